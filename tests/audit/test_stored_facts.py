"""Stored fact columns (`audit.stored_facts`): equal to the facts derived from the payloads,
trusted only while the chain says the events are those they were derived from, and impact
from them equal to the per-besluit impact. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

import strategies  # noqa: E402
from logdata import raw  # noqa: E402
from maatwerk.engine.audit import stored_facts
from maatwerk.engine.audit.verify import impact_log, replay_log, verify_log
from maatwerk.engine.errors import AuditFailure, SelectionError
from maatwerk.engine.evaluate.check import check
from maatwerk.engine.log import besluit as rules
from maatwerk.engine.log.events import VASTGELEGD
from maatwerk.engine.rules.catalog import Catalog, bundled_folder
from maatwerk.engine.rules.load import voorstel_from_data

CATALOG = Catalog.load(bundled_folder(), strict=False)


def record_generated(store, seeds) -> None:
    for seed in seeds:
        for gemeente in ("gm0847", "gm0344")[seed % 2:]:     # Someren's rulesets start in 2024
            data = strategies.build(seed, gemeente=gemeente)
            data["procedure"]["aanvraag"] = data["procedure"].get("aanvraag") or "2026-03-01"
            voorstel = voorstel_from_data(data, f"<seed {seed}>")
            day = voorstel.default_peildatum()
            try:
                eff = CATALOG.for_voorstel(voorstel.gemeente, voorstel.wet, day)
                break
            except SelectionError:
                continue
        done = store.record(rules.vastlegging(voorstel, check(eff, voorstel, day), eff),
                            eff.stored(), [], "c.jansen", "consulent")
        afwijkingen = done.inhoud.afwijkingen
        if seed % 3 == 0 and afwijkingen:
            store.justify(done.id, afwijkingen[0]["kader"], afwijkingen[0].get("voorziening"),
                          "besproken met de client in het keukentafelgesprek", None,
                          "c.jansen", "consulent")


def same_rows(a: stored_facts.FactRows, b: stored_facts.FactRows) -> None:
    assert a.besluiten == b.besluiten and a.keys == b.keys
    assert np.array_equal(a.key_of, b.key_of)
    ra, rb = a.recorded, b.recorded
    assert ra.kader == rb.kader and ra.voorziening == rb.voorziening and ra.lists == rb.lists
    assert np.array_equal(ra.row, rb.row) and np.array_equal(ra.keys, rb.keys)
    assert a.compared() == b.compared()
    assert a.facts.vocab.words == b.facts.vocab.words
    for scope in ("voorstel", "voorziening"):
        cols_a, cols_b = getattr(a.facts, scope), getattr(b.facts, scope)
        assert sorted(cols_a) == sorted(cols_b)
        for path, col in cols_a.items():
            other = cols_b[path]
            for part in ("val", "ok", "isint", "rows"):
                x, y = getattr(col, part), getattr(other, part)
                assert (x is None) == (y is None), (path, part)
                assert x is None or np.array_equal(x, y), (path, part)
    for part in ("owner", "idx", "fallback"):
        assert np.array_equal(getattr(a.facts, part), getattr(b.facts, part)), part


def derived_again(store, rows: stored_facts.FactRows) -> stored_facts.FactRows:
    payloads = dict(store.payloads(VASTGELEGD, rows.besluiten))
    return stored_facts.derive([(b, payloads[b]) for b in rows.besluiten])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seeds=st.lists(st.integers(0, 10**6), min_size=1, max_size=4), block=st.integers(1, 5))
def test_stored_facts_equal_the_facts_derived_from_the_payloads(store, seeds, block):
    """Over a growing log (blocks stored, then more besluiten, caught up in blocks of 1-5):
    every stored block read back is what the payloads give, field by field."""
    was, stored_facts.BLOCK = stored_facts.BLOCK, block
    try:
        record_generated(store, seeds)
        first = list(stored_facts.fact_rows(store, None))        # catches up, stores
        again = list(stored_facts.fact_rows(store, None))        # read from the blocks
    finally:
        stored_facts.BLOCK = was
    assert sum(len(r.besluiten) for r in again) == store.counts()["besluiten"]
    assert [r.besluiten for r in first] == [r.besluiten for r in again]
    for rows in again:
        same_rows(rows, derived_again(store, rows))


def test_a_block_whose_events_changed_is_derived_again(store, db):
    record_generated(store, range(6))
    before = list(stored_facts.fact_rows(store, None))
    conn = raw(db)
    conn.execute("UPDATE feitblokken SET kop = '" + "0" * 64 + "'")
    if not db.startswith("postgresql"):
        conn.commit()
    conn.close()
    after = list(stored_facts.fact_rows(store, None))
    for a, b in zip(before, after):
        same_rows(a, b)
    assert [len(r.besluiten) for r in after] == [len(r.besluiten) for r in before]


def test_a_broken_chain_empties_the_stored_facts(store, db):
    record_generated(store, range(4))
    list(stored_facts.fact_rows(store, None))
    assert list(store.fact_blocks(stored_facts.formaat()))
    conn = raw(db)
    if db.startswith("postgresql"):
        conn.execute("ALTER TABLE events DISABLE TRIGGER USER")
    else:
        conn.execute("DROP TRIGGER events_geen_update")
    conn.execute("UPDATE events SET tijdstip = '2026-01-01T00:00:00Z' WHERE seq = "
                 "(SELECT MAX(seq) FROM events)")
    if not db.startswith("postgresql"):
        conn.commit()
    conn.close()
    with pytest.raises(AuditFailure):
        verify_log(store)
    assert not list(store.fact_blocks(stored_facts.formaat()))


@pytest.mark.parametrize("draft", [None, ("hbh_basis_uren", 80, "2026-01-01")])
def test_impact_and_replay_from_stored_facts_equal_the_python_backend(store, draft):
    from maatwerk.engine.audit.draft import with_parameter
    record_generated(store, range(40))
    change = with_parameter(draft[0], draft[1], dt.date.fromisoformat(draft[2])) if draft else None
    python = impact_log(store, CATALOG, "gm0344-wmo@2016.1", None, None, "python", 1, change)
    for _ in range(2):           # the first run stores the facts, the second reads them
        assert impact_log(store, CATALOG, "gm0344-wmo@2016.1", None, None, "columnar", 1,
                          change) == python
        assert replay_log(store, None, "columnar", 1, "") == replay_log(store, None, "python", 1, "")
    assert list(store.fact_blocks(stored_facts.formaat()))
    assert python["besluiten"] > 0


def test_a_missing_block_between_two_is_not_a_gap(store, db):
    """A block that went missing (deleted, or never stored) between two others: the besluiten
    it held are derived again, none is skipped."""
    record_generated(store, range(6))
    was, stored_facts.BLOCK = stored_facts.BLOCK, 2
    try:
        before = list(stored_facts.fact_rows(store, None))
    finally:
        stored_facts.BLOCK = was
    assert len(before) == 3
    conn = raw(db)
    conn.execute("DELETE FROM feitblokken WHERE eerste = (SELECT MIN(eerste) FROM feitblokken "
                 "WHERE eerste > (SELECT MIN(eerste) FROM feitblokken))")
    conn.close()
    after = list(stored_facts.fact_rows(store, None))
    assert [b for r in after for b in r.besluiten] == [b for r in before for b in r.besluiten]
    for rows in after:
        same_rows(rows, derived_again(store, rows))


@pytest.mark.parametrize("draft", [None, ("hbh_basis_uren", 80, "2026-01-01")])
def test_impact_over_blocks_in_processes_equals_the_python_backend(store, db, draft):
    """Stored blocks split over 2 and 3 forked processes, and besluiten recorded after the
    last block (derived by the parent): the same report as the Python backend."""
    from maatwerk.engine.audit.draft import with_parameter
    record_generated(store, range(30))
    change = with_parameter(draft[0], draft[1], dt.date.fromisoformat(draft[2])) if draft else None
    was, stored_facts.BLOCK = stored_facts.BLOCK, 4
    try:
        list(stored_facts.fact_rows(store, None))        # blocks of 4 besluiten
    finally:
        stored_facts.BLOCK = was
    record_generated(store, range(30, 36))              # after the last block
    assert len(stored_facts.stored_blocks(store)) >= 4
    python = impact_log(store, CATALOG, "gm0344-wmo@2016.1", None, None, "python", 1, change)
    for processes in (2, 3):
        assert impact_log(store, CATALOG, "gm0344-wmo@2016.1", None, None, "columnar", processes,
                          change, db) == python
    assert python["besluiten"] > 0


def test_a_chain_rewritten_with_valid_hashes_is_derived_again(store, db):
    """A block is trusted by the hash of its last event: an event inside the first block edited
    and every hash after it recomputed (a valid chain, as only `verify --kop` can tell) changes
    that hash, so every block from there is derived again and records the new hashes."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hostile"))
    import tamper
    record_generated(store, range(6))
    was, stored_facts.BLOCK = stored_facts.BLOCK, 2
    try:
        list(stored_facts.fact_rows(store, None))
        old = list(store.fact_blocks(stored_facts.formaat()))
        conn = tamper.raw(db)
        tamper.tamper(conn, "postgresql" if db.startswith("postgresql") else "sqlite",
                      "herschrijf", old[0][0])
        conn.close()
        again = list(stored_facts.fact_rows(store, None))
    finally:
        stored_facts.BLOCK = was
    new = list(store.fact_blocks(stored_facts.formaat()))
    assert [b[:3] for b in new] == [b[:3] for b in old] and len(old) == 3
    assert all(n[3] != o[3] and n[3] == store.event_hash(n[1]) for n, o in zip(new, old))
    for rows in again:
        same_rows(rows, derived_again(store, rows))
