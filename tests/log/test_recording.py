"""Bulk recording (#16) writes the bytes the reference chain gives, on SQLite and PostgreSQL.

`record_many` builds a batch in memory: each payload serialised once, the envelope checked
once per batch, events copied from a template, the besluit ids checked against the log in one
query and the rows inserted at once. None of that may change a stored byte. The property
records generated batches (new voorstellen, repeats, revisions, motiveringen, a datum,
imported history, free-form content in the voorstel that is not JSON: dates, tuples, numbers
as keys) and rebuilds every new event with the reference functions of `events` (`new_event`:
pydantic's JSON dump, `besluit_id`, `chain`: the hash over the canonical body), one by one:
the stored rows must be exactly those. Both verifiers pass, and the index rows are those of
the besluit folded back from the log. A besluit id that the log already holds sends the
batch down the path that checks each id as it is made (the next attempt), as before.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from logdata import GOED, TARIEF, at, checked, raw

from maatwerk.engine.log import events as ev
from maatwerk.engine.log.chain import as_text
from maatwerk.engine.log.events import MotiveringToegevoegd
from maatwerk.engine.log.identity import as_actor
from maatwerk.engine.log.store.index import Head, afwijking_rows, besluit_row
from maatwerk.engine.model import canonical

SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
MOMENT = "2026-03-05T10:00:00Z"
_CHECKED: dict = {}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                max_size=3), max_leaves=8)
not_json = st.one_of(st.dates(), st.tuples(st.integers(), st.text(max_size=3)),
                     st.dictionaries(st.integers(), st.integers(), min_size=2, max_size=4))
besluiten = st.fixed_dictionaries({
    "kind": st.sampled_from(["open", "binnen"]),
    "id": st.sampled_from(["V-1", "V-2", "V-3", None]),
    "bijlage": st.none() | json_values | not_json,
    "door": st.sampled_from(["c.jansen", "p.bakker"]),
    "datum": st.none() | st.sampled_from(["2026-03-02", "2026-03-04"]),
    "motiveer": st.booleans(),
    "team": st.none() | st.just("noord"),
})


def _item(folder, spec: dict) -> tuple:
    key = (spec["kind"], spec["id"])
    if key not in _CHECKED:
        _CHECKED[key] = checked(folder, spec["kind"], id=spec["id"])
    payload, inhoud = _CHECKED[key]
    voorstel = dict(payload.voorstel)
    if spec["bijlage"] is not None:
        voorstel["bijlage"] = spec["bijlage"]
    payload = payload.model_copy(update={"voorstel": voorstel, "team": spec["team"]})
    motiveringen = [MotiveringToegevoegd(kader=TARIEF, voorziening=1, tekst=GOED)] \
        if spec["motiveer"] and spec["kind"] == "open" else []
    return payload, inhoud, motiveringen, spec["door"], "consulent", spec["datum"]


def _reference(store, new: list, items: dict, herkomst, seq: int, prev: str, taken: set) -> list:
    """The rows `record` wrote one event at a time: pydantic's dump, `besluit_id`, `chain`."""
    rows = []
    for b in new:
        _, _, motiveringen, door, rol, datum = items[b.id]
        extra = {**store.envelope(as_actor(door), datum), "herkomst": herkomst}
        base = ev.new_event(ev.VASTGELEGD, "B-000000000000", MOMENT, door, rol, b.inhoud, **extra)
        attempt = 0
        while ev.besluit_id(prev, base, attempt) in taken:
            attempt += 1
        ident = ev.besluit_id(prev, base, attempt)
        taken.add(ident)
        assert ident == b.id
        more = [ev.new_event(ev.MOTIVERING, ident, MOMENT, door, rol, m, **extra)
                for m in motiveringen]
        for event in [base.model_copy(update={"besluit": ident}), *more]:
            seq += 1
            placed = ev.chain(event, seq, prev)
            rows.append((seq, ident, event.soort, MOMENT, door, rol,
                         canonical.dumps(event.payload), prev, placed.hash, extra["dienst"],
                         datum, herkomst))
            prev = placed.hash
    return rows


def _stored(store, after: int) -> list:
    return [tuple(as_text(v) if isinstance(v, bytes) else v for v in row)[:12]
            for row in store.raw_rows(after)]


def _index(db, seq: int) -> tuple:
    conn = raw(db)
    try:
        b = conn.execute("SELECT * FROM besluit_index WHERE seq = %s" if "://" in db else
                         "SELECT * FROM besluit_index WHERE seq = ?", (seq,)).fetchone()
        a = conn.execute("SELECT * FROM afwijking_index WHERE bseq = %s ORDER BY nr" if "://" in db
                         else "SELECT * FROM afwijking_index WHERE bseq = ? ORDER BY nr",
                         (seq,)).fetchall()
    finally:
        conn.close()
    return tuple(b), [tuple(r) for r in a]


@SETTINGS
@given(specs=st.lists(besluiten, min_size=1, max_size=6),
       herkomst=st.none() | st.just("import"))
def test_bulk_recording_stores_the_reference_bytes(db, store, rulesets, specs, herkomst):
    at(store, MOMENT)
    before = list(store.raw_rows())
    seq, prev = (before[-1][0], as_text(before[-1][8])) if before else (0, ev.GENESIS)
    taken = {as_text(r[1]) for r in before}
    items = [_item(rulesets, s) for s in specs]
    out = store.record_many(items, herkomst)
    by_id: dict = {}
    for b, item in zip(out, items):           # a repeat returns the besluit of the first
        by_id.setdefault(b.id, (b, item))
    new = [b for b, _ in by_id.values() if b.id not in taken]
    by_id = {ident: item for ident, (_, item) in by_id.items()}
    assert all(b.inhoud.voorstel is by_id[b.id][0].voorstel for b in new)
    assert _stored(store, seq) == _reference(store, new, by_id, herkomst, seq, prev, taken)
    assert store.verify() is None
    assert ev.verify(store.rows(), store.ruleset_hash) is None
    for b in new:
        folded = store.besluit(b.id)
        assert [e.hash for e in folded.events] == [e.hash for e in b.events]
        head = Head.of(folded)
        rows = afwijking_rows(head, folded.standen)
        assert _index(db, b.vastgelegd.seq) == (besluit_row(head, rows), rows)


def test_an_id_the_log_holds_already_takes_the_next_attempt(db, store, rulesets):
    """The batch's ids are checked at once before the insert; one that is taken (here: a row
    put in the log behind the store's back) makes the batch again, each id checked as it is
    made: the besluit gets the id of the next attempt, as one `record` at a time gave it."""
    at(store, MOMENT)
    payload, inhoud = checked(rulesets, "binnen", id="V-9")
    last = list(store.raw_rows())[-1]
    fake = "f" * 64                     # the chain continues from this row's hash
    door, rol = "c.jansen", "consulent"
    sha = canonical.sha256_text(canonical.dumps(payload.model_dump(mode="json")))
    taken = ev.seeded_id(fake, 0, ev.VASTGELEGD, MOMENT, door, rol, sha)
    conn = raw(db)
    mark = "%s" if "://" in db else "?"
    try:
        conn.execute(f"INSERT INTO events (seq, besluit, soort, tijdstip, door, rol, payload, "
                     f"prev, hash) VALUES ({', '.join([mark] * 9)})",
                     (last[0] + 1, taken, ev.MOTIVERING, MOMENT,
                      conn.info.user if "://" in db else door,    # PostgreSQL: only as oneself
                      rol, "{}", as_text(last[8]), fake))
    finally:
        conn.close()
    b = store.record_many([(payload, inhoud, [], door, rol)])[0]
    assert b.id == ev.seeded_id(fake, 1, ev.VASTGELEGD, MOMENT, door, rol, sha) != taken
    assert (b.vastgelegd.seq, b.vastgelegd.prev) == (last[0] + 2, fake)
    assert store.besluit(b.id).vastgelegd.hash == b.vastgelegd.hash
    assert dt.date.fromisoformat(b.vastgelegd.tijdstip[:10]) == dt.date(2026, 3, 5)
