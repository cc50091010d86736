"""The besluiten index: columns derived from the chain, kept beside it for lists and reports.

Two tables, written in the same transaction as the events they derive from (so they
are never ahead of or behind the chain that committed):

- ``besluit_index``: one row per besluit, keyed by the seq of its ``besluit vastgelegd``
  event: registration time and local day, who recorded it, team, gemeente, wet, pinned
  ruleset, the derived status and the number of afwijkingen;
- ``afwijking_index``: one row per afwijking (besluit seq, position): kader, herkomst,
  whether it is complete, the grond of its latest motivering, whether an akkoord is
  required, and the hours from besluit to the akkoord that counts.

They are not part of the chain: nothing in them is hashed, and every row can be rebuilt
by folding the besluit's events (`rows_for`), which is what the migration that added
them does for an existing log (`backfill`). `list` pages on them (keyset on seq) and
`audit report` aggregates on them, so neither reads the whole log.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Iterable, Sequence

from ...model import dutch
from .. import besluit as rules
from ..events import VASTGELEGD
from .rows import BATCH, SELECT_EVENTS, stored_event

BESLUIT_COLUMNS = ("seq", "besluit", "tijdstip", "dag", "door", "door_sleutel", "team",
                   "gemeente", "wet", "ruleset", "status", "afwijkingen")
AFWIJKING_COLUMNS = ("bseq", "nr", "kader", "eerste", "herkomst", "gemotiveerd", "motivering",
                     "grond", "vereist", "akkoord_uren")
COMPLETE = AFWIJKING_COLUMNS.index("gemotiveerd")     # nothing missing: motivering, akkoord
INSERT_BESLUIT = (f"INSERT INTO besluit_index ({', '.join(BESLUIT_COLUMNS)}) "
                  f"VALUES ({', '.join('?' * len(BESLUIT_COLUMNS))})")
INSERT_AFWIJKING = (f"INSERT INTO afwijking_index ({', '.join(AFWIJKING_COLUMNS)}) "
                    f"VALUES ({', '.join('?' * len(AFWIJKING_COLUMNS))})")


def tables(big_int: str, ordered: str = "TEXT") -> tuple[str, ...]:
    """The DDL. ``big_int``: the dialect's 64-bit key type that is also its row key;
    ``ordered``: text that compares byte for byte (times and days compare as text)."""
    return (
        f"""CREATE TABLE besluit_index (
    seq {big_int} PRIMARY KEY, besluit TEXT NOT NULL, tijdstip {ordered} NOT NULL,
    dag {ordered} NOT NULL, door TEXT NOT NULL, door_sleutel TEXT NOT NULL, team TEXT,
    gemeente TEXT, wet TEXT, ruleset TEXT NOT NULL, status TEXT NOT NULL,
    afwijkingen INTEGER NOT NULL)""",
        """CREATE TABLE afwijking_index (
    bseq BIGINT NOT NULL, nr INTEGER NOT NULL, kader TEXT NOT NULL, eerste INTEGER NOT NULL,
    herkomst TEXT NOT NULL, gemotiveerd INTEGER NOT NULL, motivering INTEGER NOT NULL,
    grond TEXT, vereist INTEGER NOT NULL, akkoord_uren DOUBLE PRECISION,
    PRIMARY KEY (bseq, nr))""",
        # the report per kader reads these in order, without a sort; few distinct keys, so
        # recording appends at a few places instead of at random ones
        "CREATE INDEX afwijking_index_kader ON afwijking_index (kader, herkomst, grond, "
        "motivering, gemotiveerd, vereist, eerste)",
        "CREATE INDEX afwijking_index_akkoord ON afwijking_index (kader, akkoord_uren) "
        "WHERE akkoord_uren IS NOT NULL",
        "CREATE INDEX besluit_index_ruleset ON besluit_index (ruleset)",
    )


def sleutel(door: str) -> str:
    """The key two spellings of one person share (`besluit.dezelfde`)."""
    return door.strip().casefold()


def _uren(akkoord: str, besluit: str) -> float:
    moment = dt.datetime.strptime
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return (moment(akkoord, fmt) - moment(besluit, fmt)).total_seconds() / 3600


def afwijking_rows(b: rules.Besluit) -> list[tuple]:
    """One row per afwijking; ``eerste`` marks the first of its kader in this besluit (so a
    sum counts besluiten per kader without COUNT DISTINCT)."""
    out, kaders = [], set()
    for nr, stand in enumerate(b.standen):
        last = stand.laatste
        akkoord = stand.geldig() if stand.vereist and last is not None else None
        eerste = stand.key[0] not in kaders
        kaders.add(stand.key[0])
        out.append((b.vastgelegd.seq, nr, stand.key[0], int(eerste),
                    stand.afwijking.get("bron_status") or "onbekend", int(not stand.ontbreekt),
                    int(last is not None), last.payload.get("grond") if last is not None else None,
                    int(bool(stand.vereist)),
                    _uren(akkoord.tijdstip, b.vastgelegd.tijdstip) if akkoord is not None else None))
    return out


def besluit_row(b: rules.Besluit, afwijkingen: list[tuple]) -> tuple:
    """The besluit's row; its status from its afwijking rows (`afwijking_rows`)."""
    first, v = b.vastgelegd, b.inhoud.voorstel
    return (first.seq, b.id, first.tijdstip, dag(first.tijdstip), first.door, sleutel(first.door),
            b.inhoud.team, v.get("gemeente"), v.get("wet"), b.inhoud.ruleset.sha256,
            rules.status(bool(r[COMPLETE]) for r in afwijkingen), len(b.standen))


@functools.lru_cache(maxsize=1024)
def dag(tijdstip: str) -> str:
    """The day in Europe/Amsterdam of a registration time (the report's --van and --tot)."""
    return dutch.local(tijdstip).date().isoformat()


INDEX_VERSION = 6     # the schema migration that added the index


class IndexMixin:
    """Keeps the index in step with the chain: part of `Store`, inside its write transactions."""

    def indexed(self) -> bool:
        """Whether this log has the index (a log opened without migrating may predate it)."""
        with self._read() as cur:
            return self._version(cur) >= INDEX_VERSION

    def _index_new(self, cur, besluiten: Sequence[rules.Besluit]) -> None:
        """Rows for newly recorded besluiten."""
        _insert(cur, self.sql, besluiten)

    def _index_changed(self, cur, b: rules.Besluit) -> None:
        """A besluit got an event: its status and afwijkingen as they are now."""
        seq = b.vastgelegd.seq
        rows = afwijking_rows(b)
        cur.execute(self.sql("UPDATE besluit_index SET status = ? WHERE seq = ?"),
                    (rules.status(bool(r[COMPLETE]) for r in rows), seq))
        cur.execute(self.sql("DELETE FROM afwijking_index WHERE bseq = ?"), (seq,))
        if rows:
            cur.executemany(self.sql(INSERT_AFWIJKING), rows)


def backfill(cur, sql, location: str) -> int:
    """Index every besluit already in the log (the migration that adds the index), in
    keyset pages of the chain so memory stays flat. ``sql`` adapts a query to the dialect.
    Returns how many besluiten were indexed."""
    after, done = 0, 0
    while True:
        cur.execute(sql(f"SELECT seq, besluit FROM events WHERE soort = ? AND seq > ? "
                        f"ORDER BY seq LIMIT {BATCH}"), (VASTGELEGD, after))
        page = cur.fetchall()
        if not page:
            return done
        _insert(cur, sql, list(_fold_page(cur, sql, [b for _, b in page], location)))
        after, done = page[-1][0], done + len(page)


def _insert(cur, sql, besluiten: Sequence[rules.Besluit]) -> None:
    per_besluit = [afwijking_rows(b) for b in besluiten]
    cur.executemany(sql(INSERT_BESLUIT), [besluit_row(b, rows) for b, rows in
                                          zip(besluiten, per_besluit)])
    rows = [r for block in per_besluit for r in block]
    if rows:
        cur.executemany(sql(INSERT_AFWIJKING), rows)


def _fold_page(cur, sql, ids: list[str], location: str) -> Iterable[rules.Besluit]:
    marks = ", ".join("?" * len(ids))
    cur.execute(sql(f"{SELECT_EVENTS} WHERE besluit IN ({marks}) ORDER BY seq"), tuple(ids))
    grouped: dict[str, list] = {i: [] for i in ids}
    for row in cur.fetchall():
        event = stored_event(row, location)
        grouped[event.besluit].append(event)
    return (rules.fold(grouped[i]) for i in ids)
