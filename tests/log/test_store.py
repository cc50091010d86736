"""The store API on SQLite and PostgreSQL: schema, chain, content-addressed rulesets, replay."""

from __future__ import annotations

import datetime as dt

import pytest
from logdata import (
    BEHOEFTEN,
    GOED,
    T0,
    TARIEF,
    UREN,
    checked,
    raw,
    record,
    register,
    at,
)
from maatwerk.engine.errors import InputError, NotFoundError, RefusedError
from maatwerk.engine.evaluate.check import check
from maatwerk.engine.log import besluit as rules
from maatwerk.engine.log.events import GENESIS, VASTGELEGD, chain, new_event
from maatwerk.engine.log.store import schema
from maatwerk.engine.log.store.open import open_store
from maatwerk.engine.model.canonical import sha256
from maatwerk.engine.rules.catalog import bundled_folder
from maatwerk.engine.rules.load import voorstel_from_data
from maatwerk.engine.rules.resolve import from_stored


def test_fresh_database_gets_every_migration(empty_store):
    store = empty_store
    assert store.schema_version() == schema.LATEST
    with store._read() as cur:
        cur.execute("SELECT version FROM schema_version ORDER BY version")
        assert [r[0] for r in cur.fetchall()] == [m.version for m in schema.MIGRATIONS]
    assert store.counts() == {"gebeurtenissen": 0, "besluiten": 0, "rulesets": 0}
    assert store.verify() is None


def test_migrating_a_version_1_log_keeps_its_events(db, rulesets):
    dialect = schema.POSTGRES if db.startswith("postgresql") else schema.SQLITE
    payload, inhoud = checked(rulesets)
    event = chain(new_event(VASTGELEGD, "B-00000000000a", T0, "c.jansen", "consulent", payload),
                  1, GENESIS)
    conn = raw(db)
    cur = conn.cursor()
    schema.apply(cur, dialect, db, upto=1)
    mark = "%s" if dialect == schema.POSTGRES else "?"
    from maatwerk.engine.model import canonical
    row = event.model_dump(mode="json")
    row["payload"] = canonical.dumps(row["payload"])
    cur.execute(f"INSERT INTO events (seq, besluit, soort, tijdstip, door, rol, payload, prev, hash) "
                f"VALUES ({', '.join([mark] * 9)})", tuple(row[c] for c in (
                    "seq", "besluit", "soort", "tijdstip", "door", "rol", "payload", "prev", "hash")))
    cur.execute(f"INSERT INTO rulesets VALUES ({mark}, {mark}, {mark}, {mark})",
                (payload.ruleset.sha256, "logtest", "1", canonical.dumps(inhoud)))
    conn.close()
    with open_store(db) as store:
        assert store.schema_version() == schema.LATEST
        assert store.besluit("B-00000000000a").status == rules.OPEN
        assert store.verify() is None
        with pytest.raises(RefusedError, match="nog geen gebruikers"):   # identity comes first
            store.justify("B-00000000000a", TARIEF, 2, GOED, None, "c.jansen", "consulent")
        register(store)                  # the old event's author is not checked: it predates them
        store.justify("B-00000000000a", TARIEF, 2, GOED, None, "c.jansen", "consulent")
        assert store.verify() is None
        assert store.besluit("B-00000000000a").vastgelegd.dienst is None


def test_a_newer_schema_is_refused(db, store):
    with store._write() as cur:
        cur.execute("INSERT INTO schema_version (version, beschrijving) VALUES (99, 'toekomst')")
    assert store.schema_version() == 99
    with pytest.raises(InputError, match="schemaversie 99; deze maatwerk kent versie"):
        open_store(db)


def test_ruleset_content_is_stored_once_per_hash(store, rulesets):
    before = store.counts()["gebeurtenissen"]
    ids = [record(store, rulesets, client={"pseudoniem": f"C-{i}"}).id for i in range(3)]
    assert len(set(ids)) == 3
    assert store.counts() == {"gebeurtenissen": before + 3, "besluiten": 3, "rulesets": 1}
    payload, inhoud = checked(bundled_folder(), ref="wmo2015")
    store.record(payload, inhoud, [], "c.jansen", "consulent")
    assert store.counts()["rulesets"] == 2
    assert sha256(store.ruleset(payload.ruleset.sha256)) == payload.ruleset.sha256


def test_replay_from_the_log_alone_gives_the_same_afwijkingen(store, rulesets):
    b = record(store, rulesets)
    pinned = b.inhoud
    eff = from_stored(store.ruleset(pinned.ruleset.sha256))
    assert eff.sha256 == pinned.ruleset.sha256
    voorstel = voorstel_from_data(pinned.voorstel, "<log>")
    again = check(eff, voorstel, dt.date.fromisoformat(pinned.peildatum), engine="python")
    assert again.public()["afwijkingen"] == pinned.afwijkingen
    assert pinned.engine_versie and len(pinned.afwijkingen) == 4


def test_justify_and_approve_fold_into_status(store, rulesets):
    b = record(store, rulesets)
    assert b.status == rules.OPEN and [s.key for s in b.standen] == [
        (BEHOEFTEN, None), (UREN, 1), (TARIEF, 1), (TARIEF, 2)]
    for kader, n in ((BEHOEFTEN, None), (UREN, 1), (TARIEF, 1), (TARIEF, 2)):
        b = store.justify(b.id, kader, n, GOED, "awb-4:84", "c.jansen", "consulent")
    assert b.status == rules.OPEN
    b = store.approve(b.id, UREN, None, "t.devries", "teamleider")
    b = store.approve(b.id, BEHOEFTEN, None, "m.bakker", "jurist")
    assert b.status == rules.GEMOTIVEERD
    assert store.besluit(b.id).status == rules.GEMOTIVEERD
    seqs = [e.seq for e in store.besluit(b.id).events]
    assert seqs == list(range(seqs[0], seqs[0] + 7))


def test_a_refused_request_writes_nothing(store, rulesets):
    b = record(store, rulesets)
    store.justify(b.id, UREN, 1, GOED, None, "t.devries", "consulent")
    before = store.counts()
    with pytest.raises(RefusedError, match="vier ogen"):
        store.approve(b.id, UREN, 1, "t.devries", "teamleider")
    with pytest.raises(RefusedError, match="c.jansen heeft de rol teamleider niet"):
        store.approve(b.id, UREN, 1, "c.jansen", "teamleider")
    with pytest.raises(RefusedError, match="x.onbekend is geen geregistreerde gebruiker"):
        store.approve(b.id, UREN, 1, "x.onbekend", "teamleider")
    with pytest.raises(RefusedError, match="wijkt niet af"):
        store.justify(b.id, "test.bestaat.niet", None, GOED, None, "c.jansen", "consulent")
    with pytest.raises(NotFoundError, match="onbekend besluit"):
        store.approve("B-ffffffffffff", UREN, 1, "t.devries", "teamleider")
    with pytest.raises(NotFoundError, match="geen besluit-id"):
        store.besluit("B-1; DROP TABLE events")
    assert store.counts() == before
    assert store.verify() is None


def test_events_and_besluiten_iterate_in_order(empty_store, rulesets):
    store = register(at(empty_store, "2026-02-01T10:00:00Z"))
    n = store.counts()["gebeurtenissen"]          # the users come first
    first = record(store, rulesets, tijdstip="2026-03-01T10:00:00Z")
    second = record(store, rulesets, kind="binnen", tijdstip="2026-03-05T10:00:00Z")
    store.justify(first.id, TARIEF, 2, GOED, None, "c.jansen", "consulent")
    third = record(store, rulesets, tijdstip="2026-03-07T10:00:00Z", id="V-2026-003")
    events = list(store.events(after=n))
    assert [e.seq for e in events] == [n + 1, n + 2, n + 3, n + 4]
    assert [e.besluit for e in events] == [first.id, second.id, first.id, third.id]
    assert [b.id for b in store.besluiten()] == [first.id, second.id, third.id]
    assert [len(b.events) for b in store.besluiten()] == [2, 1, 1]
    assert [b.id for b in store.besluiten(since="2026-03-05T00:00:00Z")] == [second.id, third.id]
    assert second.status == rules.BINNEN_KADERS
    assert [e.seq for e in store.events(after=n + 2)] == [n + 3, n + 4]


def test_the_log_is_append_only(db, store, rulesets):
    record(store, rulesets)
    conn = raw(db)
    for statement in ("UPDATE events SET door = 'x'", "DELETE FROM events",
                      "UPDATE rulesets SET inhoud = '[]'", "DELETE FROM rulesets"):
        with pytest.raises(Exception, match="append-only"):
            conn.cursor().execute(statement)
    conn.close()
    assert store.verify() is None


def _drop_guards(db, conn) -> None:
    if db.startswith("postgresql"):
        for t in ("events", "rulesets"):
            conn.execute(f"ALTER TABLE {t} DISABLE TRIGGER USER")
    else:
        for name in ("events_geen_update", "rulesets_geen_update"):
            conn.execute(f"DROP TRIGGER {name}")


def test_verify_names_the_first_tampered_event(db, store, rulesets):
    b = record(store, rulesets)
    store.justify(b.id, UREN, 1, GOED, None, "c.jansen", "consulent")
    store.approve(b.id, UREN, 1, "t.devries", "teamleider")
    motivering, vastgelegd = b.events[-1].seq + 1, b.events[0].seq
    conn = raw(db)
    _drop_guards(db, conn)
    conn.execute(f"UPDATE events SET payload = replace(payload, 'heupoperatie', 'knieoperatie') "
                 f"WHERE seq = {motivering}")
    broken = store.verify()
    assert broken is not None and broken.seq == motivering and "hash" in broken.reden
    conn.execute(f"UPDATE events SET payload = replace(payload, 'knieoperatie', 'heupoperatie') "
                 f"WHERE seq = {motivering}")
    assert store.verify() is None
    conn.execute("UPDATE rulesets SET inhoud = replace(inhoud, '30.0', '99.0')")
    broken = store.verify()
    assert broken is not None and broken.seq == vastgelegd and "ruleset" in broken.reden
    conn.close()


def test_sqlite_refuses_missing_and_foreign_files(tmp_path):
    with pytest.raises(NotFoundError, match="geen besluitenlog"):
        open_store(str(tmp_path / "nog-niet.db"))
    with pytest.raises(InputError, match="map van de database bestaat niet"):
        open_store(str(tmp_path / "geen-map" / "log.db"), create=True)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"dit is geen database" * 100)
    with pytest.raises(InputError, match="geen leesbaar"):
        open_store(str(junk))


def test_sqlite_is_durable_by_configuration(tmp_path):
    with open_store(str(tmp_path / "log.db"), create=True) as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 2      # FULL
        assert s.conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_record_checks_what_it_is_given(store, rulesets):
    from maatwerk.engine.errors import EngineFault
    from maatwerk.engine.log.events import MotiveringToegevoegd
    payload, inhoud = checked(rulesets)
    before = store.counts()
    bad = MotiveringToegevoegd(kader="test.bestaat.niet", tekst=GOED)
    with pytest.raises(RefusedError, match="wijkt niet af"):
        store.record(payload, inhoud, [bad], "c.jansen", "consulent")
    with pytest.raises(EngineFault, match="past niet bij haar hash"):
        store.record(payload, inhoud + [{}], [], "c.jansen", "consulent")
    with pytest.raises(InputError, match="ongeldige datum"):
        store.record(payload, inhoud, [], "c.jansen", "consulent", "2026-03-02T09:00:00Z")
    assert store.counts() == {**before, "besluiten": 0, "rulesets": 0}
