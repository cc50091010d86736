"""One verifier: the fast chain check (`verify_raw`, used by `audit verify` and the stores)
gives the reference verifier's verdict (`events.verify`) on every log, valid or tampered,
including events that are correctly hashed but carry a payload maatwerk never writes; and
`show` refuses such an event instead of displaying it."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st
from logdata import GOED, T0, UREN, raw, record
from maatwerk.engine.audit.parallel import scans_of
from maatwerk.engine.log.chain import combine, verify_raw
from maatwerk.engine.log.events import (
    AKKOORD,
    COLUMNS,
    GENESIS,
    MEELEZEN,
    MOTIVERING,
    OPMERKING,
    TERUG,
    VASTGELEGD,
    raw_body,
    verify,
)
from maatwerk.engine.model.canonical import dumps

SHA = "a" * 64
GOOD = {
    VASTGELEGD: {"engine_versie": "0.1.0", "backend": "python", "peildatum": "2026-03-02",
                 "ruleset": {"id": "r", "versie": "1", "sha256": SHA}, "voorstel": {"id": "V"},
                 "afwijkingen": [{"kader": "k.a", "voorziening": 1}], "team": None},
    MOTIVERING: {"kader": "k.a", "voorziening": 1, "tekst": GOED, "grond": None, "bron": "cli"},
    AKKOORD: {"kader": "k.a", "voorziening": 1, "motivering": "b" * 64},
    TERUG: {"kader": "k.a", "voorziening": 1, "motivering": "b" * 64, "reden": GOED},
    MEELEZEN: {"kader": "k.a", "voorziening": 1, "motivering": "b" * 64, "collega": "p.x"},
    OPMERKING: {"kader": "k.a", "voorziening": 1, "motivering": "b" * 64, "tekst": GOED},
}
ROLES = {VASTGELEGD: "consulent", MOTIVERING: "consulent", AKKOORD: "teamleider",
         TERUG: "teamleider", MEELEZEN: "consulent", OPMERKING: "consulent"}
LATER = (MOTIVERING, AKKOORD, TERUG, MEELEZEN, OPMERKING)
# Payloads that are JSON but not what maatwerk writes for that kind.
BAD_PAYLOADS = [
    lambda p: {k: v for k, v in p.items() if k != sorted(p)[0]},              # a field missing
    lambda p: {**p, "extra": 1},                                              # a field too many
    lambda p: {**p, **{sorted(p)[-1]: [1, 2]}},                               # a wrong type
    lambda p: {**p, "tekst": ""} if "tekst" in p else {**p, "motivering": "xyz"},
    lambda p: {**p, "ruleset": {"id": "r", "versie": "1", "sha256": "kort"}},
    lambda p: [p],
    lambda p: "tekst",
]
TEXTS = ["geen json {", "", "NaN", '{"a":NaN}', "{}", "null", '{"kader":"k.a","kader":1}']


def chained(rows: list[dict], start: int = 0) -> list[dict]:
    """Recompute prev and hash from `start` on, as a forger with write access would."""
    for i in range(start, len(rows)):
        row = rows[i]
        row["prev"] = rows[i - 1]["hash"] if i else GENESIS
        try:
            row["hash"] = hashlib.sha256(raw_body(tuple(row.get(c) for c in COLUMNS))).hexdigest()
        except (TypeError, UnicodeError, AttributeError):
            pass
    return rows


def valid_log(n: int) -> list[dict]:
    kinds = [VASTGELEGD] + [LATER[i % len(LATER)] for i in range(n - 1)]
    return chained([{"seq": i + 1, "besluit": "B-0123456789ab", "soort": kind, "tijdstip": T0,
                     "door": f"p.{i}", "rol": ROLES[kind], "payload": dumps(GOOD[kind]),
                     "prev": "", "hash": ""} for i, kind in enumerate(kinds)])


@st.composite
def tampered(draw) -> tuple[list[dict], set[str]]:
    rows = valid_log(draw(st.integers(1, 6), label="n"))
    for _ in range(draw(st.integers(0, 3), label="changes")):
        at = draw(st.integers(0, len(rows) - 1))
        how = draw(st.sampled_from(["column", "payload", "text", "spaces", "delete", "swap",
                                    "seq", "hash", "prev"]), label="how")
        row = rows[at]
        if how == "column":
            column = draw(st.sampled_from(["besluit", "soort", "tijdstip", "door", "rol"]))
            row[column] = draw(st.one_of(st.text(max_size=12), st.integers(), st.none(),
                                         st.sampled_from(list(ROLES) + list(ROLES.values()))))
        elif how == "payload" and row["soort"] in GOOD:
            row["payload"] = dumps(draw(st.sampled_from(BAD_PAYLOADS))(GOOD[row["soort"]]))
        elif how == "text":
            row["payload"] = draw(st.one_of(st.sampled_from(TEXTS), st.text(max_size=8)))
        elif how == "spaces":
            row["payload"] = row["payload"].replace(",", ", ", 1)
        elif how == "delete" and len(rows) > 1:
            del rows[at]
        elif how == "swap" and at + 1 < len(rows):
            rows[at], rows[at + 1] = rows[at + 1], rows[at]
        elif how == "seq":
            row["seq"] = draw(st.one_of(st.integers(-1, 9), st.just(str(row["seq"]))))
        elif how in ("hash", "prev"):
            row[how] = draw(st.sampled_from(["f" * 64, "", row[how].upper()]))
        if draw(st.booleans(), label="rehash"):          # well hashed from here on
            chained(rows, min(at, len(rows) - 1))
    missing = draw(st.sets(st.sampled_from([SHA]), max_size=1), label="ruleset absent")
    return rows, missing


@settings(max_examples=600, deadline=None)
@given(log=tampered())
def test_the_fast_path_gives_the_reference_verdict(log):
    rows, missing = log
    stored = lambda sha: None if sha in missing else sha  # noqa: E731
    expected = verify([dict(r) for r in rows], stored)
    as_text = [tuple(r.get(c) for c in COLUMNS) for r in rows]
    as_bytes = [tuple(v.encode("utf-8", "surrogatepass") if isinstance(v, str) else v
                      for v in row) for row in as_text]
    for given_rows in (as_text, as_bytes):
        assert verify_raw(given_rows, lambda sha: stored(sha) == sha) == expected


def test_a_well_hashed_event_with_a_bad_payload_is_broken_for_both():
    rows = valid_log(3)
    rows[2]["payload"] = dumps({**GOOD[AKKOORD], "motivering": "niet-een-hash"})
    chained(rows, 2)
    found = verify([dict(r) for r in rows])
    assert found is not None and found.seq == 3
    assert found.reden == ("gebeurtenis voldoet niet aan het formaat: veld payload.motivering "
                           "heeft een ongeldige waarde")
    assert verify_raw([tuple(r.get(c) for c in COLUMNS) for r in rows], lambda sha: True) == found


def test_show_and_verify_refuse_a_well_hashed_akkoord_with_a_bad_payload(db, mw, store, rulesets):
    a = record(store, rulesets)
    store.justify(a.id, UREN, 1, GOED, "awb-4:84", "c.jansen", "consulent")
    store.approve(a.id, UREN, 1, "t.devries", "teamleider")
    rows = [dict(zip(COLUMNS, r)) for r in store.raw_rows()]
    rows[-1]["payload"] = dumps({"kader": UREN, "voorziening": 1, "motivering": "vals"})
    chained(rows, len(rows) - 1)
    conn = raw(db)
    mark = "%s" if db.startswith("postgresql") else "?"
    if db.startswith("postgresql"):
        conn.execute("ALTER TABLE events DISABLE TRIGGER USER")
    else:
        conn.execute("DROP TRIGGER events_geen_update")
    conn.execute(f"UPDATE events SET payload = {mark}, hash = {mark} WHERE seq = {mark}",
                 (rows[-1]["payload"], rows[-1]["hash"], rows[-1]["seq"]))
    result = mw("audit", "verify")
    assert result.code == 3
    assert (f"keten gebroken bij gebeurtenis #{rows[-1]['seq']} (besluit {a.id}): gebeurtenis "
            "voldoet niet aan het formaat: veld payload.motivering heeft een ongeldige waarde"
            ) in result.err
    shown = mw("show", a.id)
    assert shown.code == 1 and "Traceback" not in shown.err
    assert "voldoet niet aan het formaat" in shown.err and "akkoord" not in shown.out
    assert mw("list").code == 1
    # audit report sums the index written with the events (#16) and reads no event: finding
    # a payload changed behind the store's back is verify's work (above), not the report's
    assert mw("audit", "report").code == 0


def db_order(rows: list[tuple]) -> list[tuple]:
    """Rows as the database returns them by seq: numbers in order, then anything else."""
    return sorted(rows, key=lambda r: (type(r[0]) is not int, r[0] if type(r[0]) is int else 0))


@settings(max_examples=400, deadline=None)
@given(log=tampered(), parts=st.integers(1, 5))
def test_sequence_ranges_give_the_reference_verdict(log, parts):
    """Checked by ranges (as `audit verify --processen N` does) and combined, every log, valid
    or tampered, gets the verdict of the whole-chain walk over the same rows."""
    rows, missing = log
    ok = lambda sha: sha not in missing  # noqa: E731
    ordered = db_order([tuple(r.get(c) for c in COLUMNS) for r in rows])
    readable = [r for r in ordered if type(r[0]) is not int or r[0] > 0]    # WHERE seq > 0
    assert combine(scans_of(ordered, parts, ok)) == verify_raw(readable, ok)


def test_ranges_fold_the_mandaat_in_order(db, store, rulesets):
    """An event by someone without the role, well hashed, in a later range: the ranges find it
    where the walk does; and a user added in one range counts in the next."""
    a = record(store, rulesets)
    store.justify(a.id, UREN, 1, GOED, "awb-4:84", "c.jansen", "consulent")
    store.approve(a.id, UREN, 1, "t.devries", "teamleider")
    rows = [dict(zip(COLUMNS, r)) for r in store.raw_rows()]
    raw_rows = [tuple(r.get(c) for c in COLUMNS) for r in rows]
    for parts in range(1, len(raw_rows) + 1):
        assert combine(scans_of(raw_rows, parts, lambda sha: True)) is None
    rows[-1]["door"] = "c.jansen"            # an akkoord by the consulent: no mandaat
    chained(rows, len(rows) - 1)
    bad = [tuple(r.get(c) for c in COLUMNS) for r in rows]
    expected = verify_raw(bad, lambda sha: True)
    assert expected is not None and expected.reden.startswith("mandaat")
    for parts in range(1, len(bad) + 1):
        assert combine(scans_of(bad, parts, lambda sha: True)) == expected
