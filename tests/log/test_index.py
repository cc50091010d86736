"""The index beside the chain (#16): list pages and report sums agree with the folded besluiten.

One generated log per store (SQLite and PostgreSQL, the `db` fixture): besluiten of
several consulenten, teams, gemeenten and days, open, binnen kaders and fully motivated
with akkoorden, one revision. Then properties: every way of paging (any limit, any
filter) concatenates to exactly the reference list (`query.select` over all besluiten),
newest first, without duplicates; the report summed in the database (`report.from_log`)
equals the report computed from the besluiten (`report.report`) for every grouping and
filter. And the migration that adds the index fills it for a log made without one, the
chain untouched.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from logdata import BEHOEFTEN, GOED, TARIEF, UREN, at, checked, raw

from maatwerk.engine.audit import report as rep
from maatwerk.engine.log.besluit import STATUSSEN
from maatwerk.engine.log.query import Filter, select

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
DAYS = ["2026-03-02", "2026-03-03", "2026-04-01", "2026-04-02"]
TEAMS = [None, "noord", "zuid"]
GEMEENTEN = ["gm0344", "gm0999"]
CONSULENTEN = ["c.jansen", "p.bakker", "P.Smit"]


def _record(store, folder, i: int):
    kind = "binnen" if i % 4 == 0 else "open"
    payload, inhoud = checked(folder, kind, id=f"V-{i:03d}")
    voorstel = {**payload.voorstel, "gemeente": GEMEENTEN[i % 2]}
    payload = payload.model_copy(update={"voorstel": voorstel, "team": TEAMS[i % 3]})
    at(store, f"{DAYS[i // 6]}T{8 + i % 6:02d}:00:00Z")       # in time order
    return store.record(payload, inhoud, [], CONSULENTEN[i % 3].lower(), "consulent")


def _motivate(store, b, approve: bool):
    for kader, vz in ((BEHOEFTEN, None), (UREN, 1), (TARIEF, 1), (TARIEF, 2)):
        store.justify(b.id, kader, vz, GOED, "awb-4:84" if vz != 2 else None, "c.jansen",
                      "consulent")
    if approve:
        store.approve(b.id, BEHOEFTEN, None, "m.bakker", "jurist")
        store.approve(b.id, UREN, 1, "t.leider", "teamleider")


@pytest.fixture
def filled(store, rulesets):
    """A log of 24 besluiten (and one revision) in time order, some motivated, some approved."""
    made = [_record(store, rulesets, i) for i in range(24)]
    at(store, "2026-04-03T10:00:00Z")
    for i, b in enumerate(made):
        if b.standen and i % 3 == 1:
            _motivate(store, b, approve=i % 2 == 1)
    at(store, "2026-04-04T09:00:00Z")
    payload, inhoud = checked(rulesets, "binnen", id="V-001")        # a revision of V-001
    store.record(payload, inhoud, [], "c.jansen", "consulent")
    return store


filters = st.builds(
    Filter, status=st.none() | st.sampled_from(STATUSSEN),
    consulent=st.none() | st.sampled_from(["c.jansen", "P.BAKKER", "p.smit", "x.niemand"]),
    team=st.none() | st.sampled_from(["noord", "zuid", "west"]),
    gemeente=st.none() | st.sampled_from(GEMEENTEN),
    vanaf=st.none() | st.sampled_from(["2026-03-03", "2026-04-01T09:00:00Z"]),
    tot=st.none() | st.sampled_from(DAYS),
    begin=st.none() | st.sampled_from(["B-", "B-1", "B-a", "B-0f", "B-_"]))


def test_pages_concatenate_to_the_whole_list_newest_first(filled):
    everything = list(filled.besluiten())
    assert len(everything) == 25

    @SETTINGS
    @given(f=filters, limit=st.integers(1, 30), wacht=st.booleans())
    def check(f, limit, wacht):
        if wacht:
            f = Filter(**{**f.__dict__, "wacht_op": ("t.leider", frozenset({"teamleider"}))})
        expected = [b.id for b in select(everything, f)]
        got, cursor, pages = [], None, 0
        while True:
            page, cursor = filled.page(f, limit, cursor)
            assert len(page) <= limit and (cursor is None or len(page) == limit)
            got += [b.id for b in page]
            pages += 1
            if cursor is None:
                break
        assert got == expected and len(set(got)) == len(got)
        assert pages == max(1, -(-len(expected) // limit))
        assert [b.id for b in filled.stream(f)] == expected
    check()


def test_a_cursor_no_page_gave_is_refused(filled):
    from maatwerk.engine.errors import UsageError
    for bad in ("x", "bXcxOg", "!!!", "bXcxOi0x"):
        with pytest.raises(UsageError, match="cursor"):
            filled.page(Filter(), 5, bad)


report_filters = st.builds(
    rep.Filter, van=st.none() | st.sampled_from([dt.date(2026, 3, 3), dt.date(2026, 4, 1)]),
    tot=st.none() | st.sampled_from([dt.date(2026, 3, 2), dt.date(2026, 4, 2)]),
    gemeente=st.none() | st.sampled_from(GEMEENTEN), team=st.none() | st.sampled_from(TEAMS[1:]),
    wet=st.none() | st.sampled_from(["wmo2015", "jeugdwet"]))


def test_the_report_summed_in_the_database_is_the_report_from_the_besluiten(filled):
    everything = list(filled.besluiten())

    @SETTINGS
    @given(by=st.sampled_from(rep.GROUPINGS), chosen=report_filters, titles=st.booleans())
    def check(by, chosen, titles):
        kept = [b for b in everything if chosen.keeps(b)]
        kaders = rep.kader_titles(filled, kept) if by == "kader" and titles else None
        expected = rep.report_public(kept, by, kaders, chosen)
        groups, n, afwijkend = rep.from_log(filled, by, chosen, titles)
        assert rep.public(groups, by, chosen, n, afwijkend) == expected
    check()


def test_the_migration_indexes_a_log_made_without_the_index(db, filled):
    """A log as the old schema left it (the index tables and their migration gone, the
    events as they were): opening it migrates, the backfill gives the same index rows,
    and not one event changes."""
    from maatwerk.engine.log.store.open import open_store
    columns = {"besluit_index": "seq", "afwijking_index": "bseq, nr"}
    before = {t: _rows(db, f"SELECT * FROM {t} ORDER BY {k}") for t, k in columns.items()}
    events = _rows(db, "SELECT * FROM events ORDER BY seq")
    filled.close()
    conn = raw(db)
    for table in (*columns, "feitblokken"):     # and the fact blocks of the later migration 7
        conn.execute(f"DROP TABLE IF EXISTS {table}")
    conn.execute("DELETE FROM schema_version WHERE version >= 6")
    conn.close()
    with open_store(db, migrate=False) as old:
        assert not old.indexed() and old.schema_version() == 5
    with open_store(db) as store:
        assert store.indexed() and store.verify() is None
    assert {t: _rows(db, f"SELECT * FROM {t} ORDER BY {k}") for t, k in columns.items()} == before
    assert _rows(db, "SELECT * FROM events ORDER BY seq") == events
    assert len(before["besluit_index"]) == 25 and before["afwijking_index"]


def _rows(db, sql):
    conn = raw(db)
    try:
        return [tuple(r) for r in conn.execute(sql).fetchall()]
    finally:
        conn.close()
