"""PostgreSQL enforces identity itself (#11), with two real logins and a service login.

The admin (the test server's superuser, a service role) migrates the schema, which
creates the roles maatwerk_gebruiker and maatwerk_dienst, the grants and the identity
trigger, and registers the users. Then c (a consulent) and t (a teamleider) log in as
themselves: the login is the author, whatever a caller claims.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import pytest
from logdata import GOED, UREN, checked, raw
from maatwerk.engine.errors import RefusedError
from maatwerk.engine.log import events
from maatwerk.engine.log.identity import Actor
from maatwerk.engine.log.store.open import open_store
from maatwerk.engine.model import canonical


@dataclass
class Ran:
    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


@pytest.fixture
def mw_at(rulesets, monkeypatch):
    """Run `maatwerk ARGS` in process against the log at `dsn` (logged in as its user)."""
    from click.testing import CliRunner
    from maatwerk.cli.main import cli
    from maatwerk.engine.errors import MaatwerkError
    monkeypatch.setenv("MAATWERK_RULESETS", str(rulesets))

    def run(dsn: str, *args) -> Ran:
        monkeypatch.setenv("MAATWERK_DB", dsn)
        result = CliRunner().invoke(cli, [str(a) for a in args])
        if isinstance(result.exception, MaatwerkError):
            return Ran(result.exception.exit_code, result.stdout,
                       "".join(f"Error: {p.render()}\n" for p in result.exception.problems))
        return Ran(result.exit_code, result.stdout, result.stderr)
    return run


@pytest.fixture
def logins(pg, pg_db, rulesets):
    """(admin dsn, {role: (name, dsn)}) with the users registered in the log."""
    tag = uuid.uuid4().hex[:6]
    names = {"c": f"c.jansen-{tag}", "t": f"t.devries-{tag}", "svc": f"koppeling-{tag}"}
    schema = pg_db.split("search_path%3D")[-1]
    with open_store(pg_db, create=True) as admin:
        admin.init_user(f"beheer-{tag}")
        admin.add_user(names["c"], f"beheer-{tag}", ["consulent"])
        admin.add_user(names["t"], f"beheer-{tag}", ["teamleider", "consulent"])
    dsns = {k: pg.login(n, schema, "maatwerk_dienst" if k == "svc" else "maatwerk_gebruiker")
            for k, n in names.items()}
    yield pg_db, {k: (names[k], dsns[k]) for k in names}
    for n in names.values():
        pg.drop_login(n)


def test_the_login_is_the_author_and_the_database_refuses_impersonation(logins, rulesets, mw_at):
    admin, who = logins
    (c, c_dsn), (t, t_dsn) = who["c"], who["t"]
    payload, inhoud = checked(rulesets)
    with open_store(c_dsn) as store:
        b = store.record(payload, inhoud, [], Actor(c), "consulent")
        assert b.vastgelegd.door == c and b.vastgelegd.dienst is None
        with pytest.raises(RefusedError, match="geweigerd door de database.*namens"):
            store.justify(b.id, UREN, 1, GOED, None, Actor(t), "consulent")  # under t's name
        store.justify(b.id, UREN, 1, GOED, None, Actor(c), "consulent")
        with pytest.raises(RefusedError, match="heeft de rol teamleider niet"):
            store.approve(b.id, UREN, 1, Actor(c), "teamleider")
    r = mw_at(c_dsn, "approve", b.id, UREN, "--by", t, "--role", "teamleider")
    assert r.code == 1 and "wijkt af van de aangemelde gebruiker" in r.err
    _forged_akkoord_is_refused(c_dsn, admin, b.id, c)
    r = mw_at(t_dsn, "approve", b.id, UREN, "--role", "teamleider", "--json")
    assert r.code == 0, r.err
    with open_store(admin) as store:
        done = store.besluit(b.id)
        assert done.stand((UREN, 1)).geldig().door == t and done.events[-1].dienst is None
        assert store.verify() is None


def _forged_akkoord_is_refused(c_dsn: str, admin: str, besluit: str, c: str) -> None:
    """c writes a correctly chained akkoord in his own name straight into the table: the
    trigger refuses it, because c does not hold the role teamleider."""
    with open_store(admin) as store:
        last = list(store.rows())[-1]
        motivering = store.besluit(besluit).stand((UREN, 1)).laatste.hash
    payload = events.AkkoordGegeven(kader=UREN, voorziening=1, motivering=motivering)
    ev = events.chain(events.new_event(events.AKKOORD, besluit, last["tijdstip"], c, "teamleider",
                                       payload), last["seq"] + 1, last["hash"])
    row = ev.model_dump(mode="json")
    row["payload"] = canonical.dumps(row["payload"])
    cols = ("seq", "besluit", "soort", "tijdstip", "door", "rol", "payload", "prev", "hash")
    import psycopg
    with raw(c_dsn) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege, match="mandaat"):
        conn.execute(f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join(['%s'] * 9)})",
                     tuple(row[k] for k in cols))
    with raw(c_dsn) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE events SET door = 'x' WHERE seq = 1")     # no UPDATE grant at all


def test_a_service_login_acts_for_a_named_user_recorded_as_such(logins, rulesets, mw_at):
    _, who = logins
    (c, _), (svc, svc_dsn) = who["c"], who["svc"]
    r = mw_at(svc_dsn, "record", _voorstel(rulesets), "--by", c, "--role", "consulent", "--json")
    assert r.code == 0, r.err
    with open_store(svc_dsn) as store:
        first = store.besluit(r.json["besluit"]).vastgelegd
    assert (first.door, first.dienst) == (c, svc)


def _voorstel(rulesets) -> str:
    import yaml
    from logdata import voorstel_data
    path = rulesets.parent / f"v-{uuid.uuid4().hex[:6]}.yaml"
    path.write_text(yaml.safe_dump(voorstel_data("open", id=path.stem)), encoding="utf-8")
    return str(path)
