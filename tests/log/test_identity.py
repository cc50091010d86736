"""Identity in the log (#11): users and roles as events, mandaat, review, queue, times, revisions.

Every test that takes `store` runs on SQLite and PostgreSQL, with the test users of
support/logdata.py registered (c.jansen is only a consulent; t.devries is teamleider and
consulent). PostgreSQL with two real logins is in test_identity_pg.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from logdata import BEHEERDER, GOED, TARIEF, UREN, at, checked, raw, record, register
from maatwerk.engine.errors import InputError, RefusedError
from maatwerk.engine.log import events, identity
from maatwerk.engine.log import besluit as rules


# --- the fold: pure ------------------------------------------------------------------------------
OPS = st.lists(st.tuples(st.sampled_from([identity.TOEGEKEND, identity.INGETROKKEN]),
                         st.sampled_from(["a", "b"]), st.sampled_from(identity.ROLLEN)), max_size=30)


@given(ops=OPS)
@settings(max_examples=200, deadline=None)
def test_the_fold_holds_exactly_the_roles_granted_and_not_revoked_since(ops):
    people = identity.Gebruikers()
    assert people.apply(identity.GEBRUIKER, "root", {"gebruiker": "root"}) is None
    assert people.apply(identity.TOEGEKEND, "root", {"gebruiker": "root", "rol": "beheerder"}) is None
    for name in ("a", "b"):
        assert people.apply(identity.GEBRUIKER, "root", {"gebruiker": name}) is None
    expected: dict[tuple, bool] = {}
    for soort, who, rol in ops:
        problem = people.apply(soort, "root", {"gebruiker": who, "rol": rol})
        held = expected.get((who, rol), False)
        assert (problem is None) == (held != (soort == identity.TOEGEKEND))   # no-ops refused
        expected[(who, rol)] = soort == identity.TOEGEKEND
    for (who, rol), held in expected.items():
        assert people.heeft(who, rol) == held
        assert (identity.mandaat_probleem(people, who, rol) is None) == held


def test_only_a_beheerder_manages_and_init_only_on_an_empty_log():
    people = identity.Gebruikers()
    assert "geen beheerder" in people.probleem(identity.GEBRUIKER, "x", {"gebruiker": "y"})
    people.apply(identity.GEBRUIKER, "root", {"gebruiker": "root"})
    assert "geen beheerder" in people.probleem(identity.TOEGEKEND, "x",
                                                {"gebruiker": "root", "rol": "beheerder"})
    people.apply(identity.TOEGEKEND, "root", {"gebruiker": "root", "rol": "beheerder"})
    people.apply(identity.GEBRUIKER, "root", {"gebruiker": "c"})
    people.apply(identity.TOEGEKEND, "root", {"gebruiker": "c", "rol": "consulent"})
    assert "geen beheerder" in people.probleem(identity.TOEGEKEND, "c",
                                                {"gebruiker": "c", "rol": "beheerder"})
    assert "bestaat al" in people.probleem(identity.GEBRUIKER, "root", {"gebruiker": "C"})


# --- the store ---------------------------------------------------------------------------------
def test_users_are_managed_by_a_beheerder_only(store, empty_store):
    assert [u.gebruiker for u in store.users()][:2] == ["a.ander", BEHEERDER]
    assert store.user("T.DEVRIES").rollen == {"teamleider", "consulent"}
    with pytest.raises(RefusedError, match="c.jansen is geen beheerder"):
        store.add_user("x.nieuw", "c.jansen", ["teamleider"])
    with pytest.raises(RefusedError, match="al gebruikers"):
        store.init_user("x.nieuw")
    with pytest.raises(InputError, match="onbekende rol"):
        store.grant("c.jansen", "wethouder", BEHEERDER)
    store.grant("c.jansen", "jurist", BEHEERDER)
    store.revoke("c.jansen", "jurist", BEHEERDER)
    with pytest.raises(RefusedError, match="heeft de rol jurist niet"):
        store.revoke("c.jansen", "jurist", BEHEERDER)
    assert store.user("c.jansen").rollen == {"consulent"}
    assert store.verify() is None


def test_the_impersonation_of_issue_11_is_refused(store, rulesets):
    """A consulent records, writes a motivering under a colleague's name, then approves under
    his own name as teamleider: he does not hold the role, so nothing is written."""
    b = record(store, rulesets)
    store.justify(b.id, UREN, 1, GOED, None, "p.bakker", "consulent")   # SQLite cannot know
    before = store.counts()
    with pytest.raises(RefusedError, match="c.jansen heeft de rol teamleider niet"):
        store.approve(b.id, UREN, 1, "c.jansen", "teamleider")
    with pytest.raises(RefusedError, match="x.vals is geen geregistreerde gebruiker"):
        store.approve(b.id, UREN, 1, "x.vals", "teamleider")
    assert store.counts() == before and store.besluit(b.id).status == rules.OPEN


def test_a_revoked_role_ends_the_mandaat_but_not_what_was_done(store, rulesets):
    b = record(store, rulesets)
    store.justify(b.id, UREN, 1, GOED, None, "c.jansen", "consulent")
    store.approve(b.id, UREN, 1, "t.leider", "teamleider")
    store.revoke("t.leider", "teamleider", BEHEERDER)
    store.justify(b.id, UREN, 1, GOED + " (herzien)", None, "c.jansen", "consulent")
    with pytest.raises(RefusedError, match="t.leider heeft de rol teamleider niet"):
        store.approve(b.id, UREN, 1, "t.leider", "teamleider")
    assert store.verify() is None                   # the earlier akkoord held its mandaat then


def _forge_akkoord(db, store, b, door: str, rol: str) -> int:
    """Append a correctly chained akkoord behind maatwerk's back (triggers left alone: an
    insert is allowed), as someone with write access to the database could."""
    last = list(store.rows())[-1]
    stand = store.besluit(b).stand((UREN, 1))
    payload = events.AkkoordGegeven(kader=UREN, voorziening=1, motivering=stand.laatste.hash)
    new = events.new_event(events.AKKOORD, b, last["tijdstip"], door, rol, payload)
    ev = events.chain(new, last["seq"] + 1, last["hash"])
    conn = raw(db)
    from maatwerk.engine.model import canonical
    mark = "%s" if db.startswith("postgresql") else "?"
    cols = ("seq", "besluit", "soort", "tijdstip", "door", "rol", "payload", "prev", "hash")
    row = ev.model_dump(mode="json")
    row["payload"] = canonical.dumps(row["payload"])
    if db.startswith("postgresql"):
        conn.execute("ALTER TABLE events DISABLE TRIGGER events_identiteit")
    conn.execute(f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join([mark] * 9)})",
                 tuple(row[c] for c in cols))
    conn.close()
    return ev.seq


@pytest.mark.parametrize("door", ["c.jansen", "x.vals"])
def test_verify_finds_an_akkoord_without_mandaat_on_both_paths(db, store, rulesets, door):
    b = record(store, rulesets)
    store.justify(b.id, UREN, 1, GOED, None, "t.devries", "consulent")
    seq = _forge_akkoord(db, store, b.id, door, "teamleider")
    fast = store.verify()
    reference = events.verify(store.rows(), store.ruleset_hash)
    assert fast == reference and fast.seq == seq and fast.reden.startswith("mandaat: ")


def test_return_read_along_remark_and_the_queue(store, rulesets):
    at(store, "2026-03-02T09:00:00Z")
    b = record(store, rulesets)
    store.justify(b.id, UREN, 1, GOED, None, "c.jansen", "consulent")
    at(store, "2026-03-09T10:00:00Z")
    queue = store.wachtrij("t.devries")
    assert [(w.besluit, w.kader, w.dagen, w.motivering_door) for w in queue] == \
        [(b.id, UREN, 7, "c.jansen")]
    assert store.wachtrij("c.jansen") == [] and store.wachtrij("m.bakker") == []
    with pytest.raises(RefusedError, match="niet gevraagd mee te lezen"):
        store.opmerking(b.id, UREN, 1, "Noem ook de herbeoordeling in juni graag", "p.bakker",
                        "consulent")
    store.meelezen(b.id, UREN, 1, "p.bakker", "c.jansen", "consulent")
    after = store.opmerking(b.id, UREN, 1, "Noem ook de herbeoordeling in juni graag",
                            "p.bakker", "consulent")
    assert after.status == rules.OPEN and after.stand((UREN, 1)).ontbreekt == \
        ["akkoord van teamleider"]                       # a remark is no akkoord
    with pytest.raises(RefusedError, match="vraagt de rol teamleider"):
        store.terugsturen(b.id, UREN, 1, "Onderbouw waarom minder uren niet volstaan", "c.jansen",
                          "consulent")
    back = store.terugsturen(b.id, UREN, 1, "Onderbouw waarom minder uren niet volstaan",
                             "t.devries", "teamleider")
    assert back.stand((UREN, 1)).ontbreekt[0] == "nieuwe motivering (teruggestuurd)"
    assert store.wachtrij("t.devries") == []
    with pytest.raises(RefusedError, match="teruggestuurd"):
        store.approve(b.id, UREN, 1, "t.devries", "teamleider")
    store.justify(b.id, UREN, 1, GOED + "; minder uren volstaan niet", None, "c.jansen",
                  "consulent")
    assert store.approve(b.id, UREN, 1, "t.devries", "teamleider").stand((UREN, 1)).ontbreekt == []
    assert store.verify() is None


def test_times_are_the_stores_and_a_backdated_akkoord_is_impossible(store, rulesets):
    """#13.2: an akkoord backdated to 2019 on a besluit of 2026 cannot be written."""
    b = record(store, rulesets)
    store.justify(b.id, UREN, 1, GOED, None, "c.jansen", "consulent")
    with pytest.raises(RefusedError, match="ligt vóór het besluit"):
        store.approve(b.id, UREN, 1, "t.devries", "teamleider", datum="2019-01-01")
    with pytest.raises(RefusedError, match="ligt in de toekomst"):
        store.approve(b.id, UREN, 1, "t.devries", "teamleider", datum="2999-01-01")
    store.klok = lambda: "2019-01-01T09:00:00Z"           # even a clock that goes back
    done = store.approve(b.id, UREN, 1, "t.devries", "teamleider")
    times = [e["tijdstip"] for e in store.rows()]
    assert times == sorted(times) and done.events[-1].tijdstip >= b.vastgelegd.tijdstip


def test_the_same_voorstel_twice_is_one_besluit_and_a_change_is_a_revision(store, rulesets):
    """#13.7."""
    first = record(store, rulesets)
    n = store.counts()["gebeurtenissen"]
    again = record(store, rulesets)
    assert again.id == first.id and store.counts()["gebeurtenissen"] == n
    changed = record(store, rulesets, kind="binnen")          # same id, other content
    assert changed.id != first.id and changed.inhoud.vervangt == first.id
    payload, inhoud = checked(rulesets)
    both = store.record_many([(payload, inhoud, [], "c.jansen", "consulent")] * 2)
    assert both[0].id == both[1].id and both[0].inhoud.vervangt == changed.id
    assert store.counts()["besluiten"] == 3 and store.verify() is None


def test_an_unregistered_store_refuses_every_write(empty_store, rulesets):
    payload, inhoud = checked(rulesets)
    with pytest.raises(RefusedError, match="nog geen gebruikers"):
        empty_store.record(payload, inhoud, [], "c.jansen", "consulent")
    register(empty_store)
    assert empty_store.record(payload, inhoud, [], "c.jansen", "consulent").status == rules.OPEN
