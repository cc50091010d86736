"""Tampering with a stored decision log behind maatwerk's back, as someone with database access.

`fill(store, rulesets)` writes a small log (5 besluiten, motiveringen, akkoorden).
`tamper(conn, dialect, kind, at)` changes it with a plain connection (the
append-only triggers dropped or disabled first) and returns what `maatwerk audit
verify --kop HEAD` must then say: `("breuk", seq)` for the first broken event, or
`("kop", None)` when only the head taken before the change can show it (a cut-off
tail, or a chain rewritten from some event on with recomputed hashes).

Not a tamper here: appending a new, correctly chained event at the end. Anyone
who can write the database can do that; the chain proves order and integrity
of what is there, not who wrote it.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from logdata import GOED, TARIEF, UREN, voorstel_data  # noqa: E402

COLUMNS = ("seq", "besluit", "soort", "tijdstip", "door", "rol", "payload", "prev", "hash",
           "dienst", "datum", "herkomst")
OPTIONAL = ("dienst", "datum", "herkomst")      # hashed only when set
FIRST_BESLUIT = 9                                # after the users' 8 events
KINDS = ("door", "rol", "tijdstip", "soort", "besluit", "payload-waarde", "payload-teken",
         "payload-spaties", "prev", "hash", "verwijder", "verwijder-laatste", "invoegen", "wissel",
         "hernummer", "seq-type", "ruleset-inhoud", "ruleset-weg", "herschrijf", "afknippen")


def fill(store, rulesets: Path) -> None:
    """Four users (8 events), then five besluiten with motiveringen and akkoorden (12 events),
    1 ruleset: 20 events."""
    from maatwerk.engine.evaluate.check import check
    from maatwerk.engine.log import besluit as rules
    from maatwerk.engine.rules.catalog import Catalog
    from maatwerk.engine.rules.load import voorstel_from_data
    cat = Catalog.load(rulesets, strict=False)
    store.init_user("b.beheer")
    store.add_user("c.jansen", "b.beheer", ["consulent"])
    store.add_user("p.bakker", "b.beheer", ["consulent"])
    store.add_user("t.devries", "b.beheer", ["teamleider"])
    ids = []
    for i, kind in enumerate(["open", "binnen", "open", "open", "binnen"]):
        voorstel = voorstel_from_data(voorstel_data(kind, id=f"V-{i}"), "<t>")
        day = voorstel.default_peildatum()
        eff = cat.for_voorstel("gm0344", "wmo2015", day)
        payload = rules.vastlegging(voorstel, check(eff, voorstel, day, engine="python"), eff)
        ids.append(store.record(payload, eff.stored(), [], "c.jansen", "consulent").id)
    for b in (ids[0], ids[2]):
        store.justify(b, UREN, 1, GOED, "awb-4:84", "c.jansen", "consulent")
        store.approve(b, UREN, 1, "t.devries", "teamleider")
    store.justify(ids[3], TARIEF, 2, GOED + " (tarief)", None, "p.bakker", "consulent")
    store.justify(ids[0], TARIEF, 1, GOED + " (tarief 1)", None, "p.bakker", "consulent")
    store.justify(ids[2], TARIEF, 2, GOED + " (tarief 2)", None, "p.bakker", "consulent")


def raw(db: str):
    """A plain connection beside maatwerk, with the append-only guards out of the way."""
    if db.startswith("postgresql"):
        import psycopg
        conn = psycopg.connect(db, autocommit=True)
        for table in ("events", "rulesets"):
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        return conn
    conn = sqlite3.connect(db, isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    return conn


def _q(conn, sql: str, args: tuple = ()) -> list:
    if not isinstance(conn, sqlite3.Connection):
        sql = sql.replace("?", "%s")
    cur = conn.execute(sql, args)
    return cur.fetchall() if cur.description else []


def _rows(conn) -> list[dict]:
    return [dict(zip(COLUMNS, r)) for r in _q(conn, f"SELECT {', '.join(COLUMNS)} FROM events "
                                                    "ORDER BY seq")]


def _set(conn, seq: int, column: str, value) -> None:
    _q(conn, f"UPDATE events SET {column} = ? WHERE seq = ?", (value, seq))


def _rehash(row: dict, prev: str) -> dict:
    from maatwerk.engine.model import canonical
    body = {k: row[k] for k in COLUMNS if k != "hash" and not (k in OPTIONAL and row[k] is None)}
    body["payload"] = json.loads(row["payload"])
    body["prev"] = prev
    return {**row, "prev": prev, "hash": canonical.sha256(body)}


def _move(conn, rows: list[dict], shift: int) -> None:
    """Renumber these rows by `shift`, highest first (the primary key stays unique)."""
    for r in sorted(rows, key=lambda r: r["seq"], reverse=shift > 0):
        _set(conn, r["seq"], "seq", r["seq"] + shift)


def positions(kind: str, n: int) -> range:
    """The event positions (seq) where this kind of tamper makes sense in a log of n events."""
    if kind in ("verwijder", "wissel", "invoegen"):
        return range(1, n)
    if kind in ("verwijder-laatste", "ruleset-inhoud", "ruleset-weg", "afknippen"):
        return range(n, n + 1)
    return range(1, n + 1)


def tamper(conn, dialect: str, kind: str, at: int) -> tuple[str, int | None]:
    rows = _rows(conn)
    n = len(rows)
    row = rows[at - 1]
    if kind in ("door", "tijdstip", "besluit"):
        value = {"door": row["door"] + "x", "tijdstip": row["tijdstip"].replace("2026", "2025"),
                 "besluit": "B-000000000000"}[kind]
        _set(conn, at, kind, value)
    elif kind == "rol":
        _set(conn, at, "rol", "jurist" if row["rol"] != "jurist" else "teamleider")
    elif kind == "soort":
        other = "akkoord gegeven" if row["soort"] != "akkoord gegeven" else "motivering toegevoegd"
        _set(conn, at, "soort", other)
    elif kind == "payload-waarde":
        payload = json.loads(row["payload"])
        payload["tekst" if "tekst" in payload else "peildatum" if "peildatum" in payload
                else "kader"] = "gewijzigd door een derde, met een andere inhoud"
        _set(conn, at, "payload", json.dumps(payload, sort_keys=True, separators=(",", ":"),
                                             ensure_ascii=False))
    elif kind == "payload-teken":
        text = row["payload"]
        i = len(text) // 2
        _set(conn, at, "payload", text[:i] + ("0" if text[i] != "0" else "1") + text[i + 1:])
    elif kind == "payload-spaties":
        _set(conn, at, "payload", json.dumps(json.loads(row["payload"]), indent=1,
                                             ensure_ascii=False))
    elif kind in ("prev", "hash"):
        _set(conn, at, kind, "f" * 64 if row[kind] != "f" * 64 else "e" * 64)
    elif kind in ("verwijder", "verwijder-laatste"):
        _q(conn, "DELETE FROM events WHERE seq = ?", (at,))
        return ("kop", None) if at == n else ("breuk", at + 1)
    elif kind == "invoegen":                       # a forged event, itself correctly chained
        _move(conn, rows[at - 1:], 1)
        prev = rows[at - 2]["hash"] if at > 1 else "0" * 64
        forged = _rehash({**row, "door": "x.vals", "seq": at, "besluit": "B-00000000beef"}, prev)
        _q(conn, f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * 12)})",
           tuple(forged[c] for c in COLUMNS))
        return ("breuk", at)          # x.vals is no user of the log: the mandaat breaks there
    elif kind == "wissel":
        _set(conn, at, "seq", 10**9)
        _set(conn, at + 1, "seq", at)
        _set(conn, 10**9, "seq", at + 1)
    elif kind == "hernummer":
        _move(conn, rows[at - 1:], 10)
        return ("breuk", at + 10)
    elif kind == "seq-type":
        if dialect == "postgresql":
            return tamper(conn, dialect, "hernummer", at)
        _q(conn, "UPDATE events SET seq = seq + 0.5 WHERE seq = ?", (at,))
    elif kind == "ruleset-inhoud":
        _q(conn, "UPDATE rulesets SET inhoud = replace(inhoud, '30.0', '99.0')")
        return ("breuk", FIRST_BESLUIT)
    elif kind == "ruleset-weg":
        _q(conn, "DELETE FROM rulesets")
        return ("breuk", FIRST_BESLUIT)
    elif kind == "herschrijf":                    # edit, then recompute every hash after it
        prev = rows[at - 2]["hash"] if at > 1 else "0" * 64
        for r in rows[at - 1:]:        # an earlier time (another author would break the mandaat)
            edit = {**r, "tijdstip": r["tijdstip"].replace("20", "19", 1)}
            new = _rehash(edit if r["seq"] == at else r, prev)
            _q(conn, "UPDATE events SET tijdstip = ?, prev = ?, hash = ? WHERE seq = ?",
               (new["tijdstip"], new["prev"], new["hash"], r["seq"]))
            prev = new["hash"]
        return ("kop", None)
    elif kind == "afknippen":
        _q(conn, "DELETE FROM events WHERE seq > ?", (max(1, at - 3),))
        return ("kop", None)
    else:
        raise ValueError(kind)
    return ("breuk", at)


def judge(cli, db: str, head: str, expected: tuple[str, int | None]) -> str:
    """Run `maatwerk audit verify` with and without the head; '' when it found the tamper."""
    code, out, err = cli(["audit", "verify", "--db", db, "--kop", head])
    if code != 3 or "Traceback" in err or not err.startswith("Error: "):
        return f"--kop: exit {code}: {err[:300]}"
    how, seq = expected
    if how == "breuk" and f"keten gebroken bij gebeurtenis #{seq}" not in err:
        return f"expected the break at #{seq}: {err[:300]}"
    if how == "kop" and "ingekort of herschreven" not in err and "keten gebroken" not in err:
        return f"expected the head to be missing: {err[:300]}"
    plain, _, err2 = cli(["audit", "verify", "--db", db])
    if how == "breuk" and plain != 3:
        return f"without --kop: exit {plain}: {err2[:300]}"
    return ""
