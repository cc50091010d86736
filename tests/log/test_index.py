"""The index beside the chain (#16): list pages and report sums agree with the folded besluiten.

One generated log per store (SQLite and PostgreSQL, the `db` fixture): besluiten of
several consulenten, teams, gemeenten and days, open, binnen kaders and fully motivated
with akkoorden, one revision. Then properties: every way of paging (any limit, any
filter) concatenates to exactly the reference list (`query.select` over all besluiten),
newest first, without duplicates; the report summed in the database (`report.from_log`)
equals the report computed from the besluiten (`report.report`) for every grouping and
filter. And the migration that adds the index fills it for a log made without one, the
chain untouched, also when it was stopped halfway (it continues where it stopped); a log
of schema 7 (before the group columns) reports alike before and after migration 8.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from logdata import BEHOEFTEN, GOED, TARIEF, UREN, at, checked, raw

from maatwerk.engine.audit import report as rep
from maatwerk.engine.log.besluit import STATUSSEN
from maatwerk.engine.log.store import schema
from maatwerk.engine.log.store.index import GROUPS
from maatwerk.engine.log.store.open import open_store
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
    before = _index(db)
    events = _rows(db, "SELECT * FROM events ORDER BY seq")
    filled.close()
    _downgrade(db, 5)
    with open_store(db, migrate=False) as old:
        assert not old.indexed() and old.schema_version() == 5
    with open_store(db) as store:
        assert store.indexed() and store.verify() is None
    assert _index(db) == before
    assert _rows(db, "SELECT * FROM events ORDER BY seq") == events
    assert len(before["besluit_index"]) == 25 and before["afwijking_index"]


class Stopped(Exception):
    """The upgrade stopped from outside (a Ctrl-C, a restart)."""


def test_a_stopped_upgrade_continues_where_it_stopped(db, filled, monkeypatch):
    """The backfill in windows of a few events (so 25 besluiten take many transactions, and
    some windows hold people's events only), stopped by the progress callback after k
    batches, once or several times: what was committed stays, the log stays usable at
    schema 5 (read without the index), and the next open continues without writing a row
    twice; the index is then the one recording wrote."""
    from maatwerk.engine.log.store import backfill
    before = _index(db)
    filled.close()

    @SETTINGS
    @given(window=st.integers(1, 8), stops=st.lists(st.integers(1, 4), min_size=1, max_size=3))
    def check(window, stops):
        monkeypatch.setattr(backfill, "WINDOW", window)
        _downgrade(db, 5)
        heard = []
        for k in stops:
            try:
                with open_store(db, migrate=False) as old:
                    old.migrate(_stopping(heard, len(heard) + k))
            except Stopped:
                pass
            with open_store(db, migrate=False) as old:
                if old.schema_version() == 5:
                    assert not old.indexed() and len(list(old.besluiten())) == 25
            assert len(_rows(db, "SELECT seq FROM besluit_index")) == heard[-1].done
        with open_store(db, progress=heard.append) as store:
            assert store.indexed() and store.schema_version() == schema.LATEST
        done = [p.done for p in heard]
        assert done == sorted(set(done)) and done[-1] == 25
        assert {(p.version, p.total) for p in heard} == {(6, 25)}
        assert _index(db) == before
    check()


def _stopping(heard: list, after: int):
    """A progress callback that stops the upgrade when ``after`` batches were heard."""
    def stop(p):
        heard.append(p)
        if len(heard) == after:
            raise Stopped
    return stop


def test_a_damaged_payload_stops_the_upgrade_with_its_event_named(db, filled):
    """The backfill reads payloads without their schema check, but one that is no JSON is
    refused as a damaged log (as before): the upgrade stops, the log stays at schema 5."""
    from maatwerk.engine.errors import StorageError
    filled.close()
    _downgrade(db, 5)
    conn = raw(db)
    try:
        if db.startswith("postgresql"):
            conn.execute("ALTER TABLE events DISABLE TRIGGER USER")
        else:
            conn.execute("DROP TRIGGER events_geen_update")
        (seq,) = conn.execute("SELECT MAX(seq) FROM events WHERE soort = 'besluit vastgelegd'"
                              ).fetchone()
        conn.execute(f"UPDATE events SET payload = 'geen json' WHERE seq = {seq}")
    finally:
        conn.close()
    with pytest.raises(StorageError) as caught:
        open_store(db)
    if not db.startswith("postgresql"):      # PostgreSQL's own message: invalid json
        assert f"gebeurtenis #{seq} " in str(caught.value)
    with open_store(db, migrate=False) as old:
        assert old.schema_version() == 5 and old.verify() is not None


def test_a_log_of_schema_7_reports_the_same_before_and_after_migration_8(db, filled):
    """Audit reads a log without migrating it: on a log of schema 7 (no group columns yet)
    every grouping joins the besluiten and still equals the report from the besluiten;
    migration 8 then fills the columns as recording writes them."""
    everything = list(filled.besluiten())
    before = _index(db)
    filled.close()
    _downgrade(db, 7)
    with open_store(db, migrate=False) as old:
        assert old.schema_version() == 7 and old.indexed()
        for by in rep.GROUPINGS:
            for chosen in (rep.Filter(), rep.Filter(gemeente=GEMEENTEN[0], team="noord")):
                kept = [b for b in everything if chosen.keeps(b)]
                kaders = rep.kader_titles(old, kept) if by == "kader" else None
                groups, n, afwijkend = rep.from_log(old, by, chosen)
                assert rep.public(groups, by, chosen, n, afwijkend) == rep.report_public(
                    kept, by, kaders, chosen)
    with open_store(db) as store:
        assert store.schema_version() == schema.LATEST
    assert _index(db) == before


def test_maatwerk_migrate_shows_its_progress_on_stderr(db, filled):
    from click.testing import CliRunner

    from maatwerk.cli.main import cli
    filled.close()
    _downgrade(db, 5)
    first = CliRunner().invoke(cli, ["migrate", "--db", db])
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith(f"Log bijgewerkt van schema 5 naar {schema.LATEST} (")
    assert first.stderr.splitlines()[-1] == ("Log bijwerken (schema 6, index): 25 van 25 "
                                             "besluiten (100%)")
    again = CliRunner().invoke(cli, ["migrate", "--db", db, "--json"])
    assert again.exit_code == 0 and again.stderr == ""
    assert json.loads(again.stdout) == {"schema_voor": schema.LATEST, "schema_na": schema.LATEST,
                                        "toegepast": []}


def _downgrade(db, to: int):
    """The log as an older maatwerk left it: at schema 5, without the index tables (and the
    fact blocks of migration 7); at 7, without the group columns of migration 8; and
    without the failed logins of migration 9 and the fact parts of migration 10."""
    conn = raw(db)
    try:
        if to < 6:
            for table in ("besluit_index", "afwijking_index", "feitblokken"):
                conn.execute(f"DROP TABLE IF EXISTS {table}")
        for group in GROUPS if to == 7 else ():
            conn.execute(f"DROP INDEX afwijking_index_{group}")
            conn.execute(f"DROP INDEX afwijking_index_{group}_akkoord")
            conn.execute(f"ALTER TABLE afwijking_index DROP COLUMN {group}")
        if to < 9:
            conn.execute("DROP TABLE IF EXISTS inlogpogingen")
        if to < 10:
            conn.execute("DROP TABLE IF EXISTS feitkolommen")
        conn.execute(f"DELETE FROM schema_version WHERE version > {to}")
    finally:
        conn.close()


def _index(db) -> dict:
    return {t: _rows(db, f"SELECT * FROM {t} ORDER BY {k}") for t, k in
            (("besluit_index", "seq"), ("afwijking_index", "bseq, nr"))}


def _rows(db, sql):
    conn = raw(db)
    try:
        return [tuple(r) for r in conn.execute(sql).fetchall()]
    finally:
        conn.close()
