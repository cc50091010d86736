"""Every shared fixture, in one place: the bundled rulesets, the decision log on both
stores, voorstellen for the log, and the CLI in process. Helpers that tests import
(strategies, logdata, pgserver, ...) live in tests/support/.

Every test that takes `db` runs twice: on a fresh SQLite file and on a fresh schema
of a real PostgreSQL server (private, started once per session; see support/pgserver.py).
Without a server the PostgreSQL half skips, unless MAATWERK_REQUIRE_PG=1 (CI).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent / "support"))   # strategies, logdata, pgserver, ...

ROOT = Path(__file__).resolve().parent.parent

# The ruleset cache of the whole run (subprocesses included) lives in a folder of the
# run's own, never in the developer's ~/.cache/maatwerk.
os.environ["MAATWERK_CACHE"] = tempfile.mkdtemp(prefix="maatwerk-test-cache-")

settings.register_profile("default", deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("ci", deadline=None, derandomize=False, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def bundled():
    from maatwerk.engine.rules.catalog import Catalog, bundled_folder
    return Catalog.load(bundled_folder(), strict=True)


# --- the decision log on both stores ------------------------------------------------------------
@pytest.fixture(scope="session")
def rulesets(tmp_path_factory) -> Path:
    """A rulesets folder with one small ruleset of the log tests' own (see support/logdata.py)."""
    from logdata import RULESET
    folder = tmp_path_factory.mktemp("rulesets")
    (folder / "logtest").mkdir()
    (folder / "logtest" / "2026-01-01.yaml").write_text(RULESET, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def pg():
    """One private PostgreSQL server per session (see support/pgserver.py); skips without one,
    unless MAATWERK_REQUIRE_PG=1 (CI): then it fails."""
    import pgserver
    try:
        server = pgserver.server()
    except pgserver.NoServer as exc:
        if os.environ.get("MAATWERK_REQUIRE_PG") == "1":
            pytest.fail(f"PostgreSQL is vereist (MAATWERK_REQUIRE_PG=1) maar niet beschikbaar: "
                        f"{exc}", pytrace=False)
        pytest.skip(f"geen PostgreSQL-server beschikbaar: {exc}")
    yield server
    server.stop()


@pytest.fixture
def pg_db(pg):
    name, dsn = pg.fresh_schema()
    yield dsn
    pg.drop_schema(name)


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path) -> str:
    """A fresh, empty log: a SQLite path or a PostgreSQL URL with its own schema."""
    if request.param == "sqlite":
        return str(tmp_path / "log.db")
    return request.getfixturevalue("pg_db")


# --- voorstellen and stores for the log tests -----------------------------------------------
@pytest.fixture
def write_voorstel(tmp_path):
    from logdata import voorstel_data

    def write(kind: str = "open", name: str | None = None, **top) -> Path:
        path = tmp_path / f"{name or kind}.yaml"
        path.write_text(yaml.safe_dump(voorstel_data(kind, **top), allow_unicode=True),
                        encoding="utf-8")
        return path
    return write


@pytest.fixture
def store(db):
    """An open store on `db` with the test users registered (see support/logdata.py)."""
    from logdata import register
    from maatwerk.engine.log.store.open import open_store
    s = open_store(db, create=True)
    register(s)
    yield s
    s.close()


@pytest.fixture
def empty_store(db):
    """An open store on `db` without users."""
    from maatwerk.engine.log.store.open import open_store
    s = open_store(db, create=True)
    yield s
    s.close()


# --- the CLI, in process ------------------------------------------------------------------------
@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)

    @property
    def lines(self) -> list:
        """JSON lines output (`list --json`): one value per line."""
        return [json.loads(line) for line in self.out.splitlines()]


@pytest.fixture
def mw(db, rulesets, monkeypatch):
    """Run `maatwerk ARGS` in process against `db` (with the test users registered), as the
    real entry point would."""
    from click.testing import CliRunner
    from logdata import register_db
    register_db(db)
    from maatwerk.cli.main import cli
    from maatwerk.engine.errors import MaatwerkError
    monkeypatch.setenv("MAATWERK_DB", db)
    monkeypatch.setenv("MAATWERK_RULESETS", str(rulesets))

    def run(*args) -> Run:
        result = CliRunner().invoke(cli, [str(a) for a in args])
        exc = result.exception
        if isinstance(exc, MaatwerkError):
            err = "".join(f"Error: {p.render()}\n" for p in exc.problems)
            return Run(exc.exit_code, result.stdout, result.stderr + err)
        if exc is not None and not isinstance(exc, SystemExit):
            raise exc
        return Run(result.exit_code, result.stdout, result.stderr)
    return run


# --- the served application (maatwerk serve in a subprocess) ---------------------------------
@pytest.fixture
def server(db, tmp_path):
    """`maatwerk serve` on a fresh log (SQLite and PostgreSQL), on a free loopback port."""
    import webserver
    srv = webserver.start(db, tmp_path)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory):
    """One `maatwerk serve` on a SQLite log for the whole run (tests that only read or add)."""
    import webserver
    folder = tmp_path_factory.mktemp("served")
    srv = webserver.start(str(folder / "log.db"), folder)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def pages_server(tmp_path_factory):
    """One `maatwerk serve` on its own SQLite log for the browser tests of the pages: apart
    from `shared_server`, whose login rate-limit test locks the loopback address."""
    import webserver
    folder = tmp_path_factory.mktemp("pages")
    srv = webserver.start(str(folder / "log.db"), folder)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def site(request, pages_server):
    """The pages server with the module's `PEOPLE` (name: role) able to log in with
    `browser.PASSWORD`."""
    from browser import PASSWORD
    from webserver import add_person
    for naam, rol in request.module.PEOPLE.items():
        add_person(pages_server.db, naam, rollen=(rol,), wachtwoord=PASSWORD)
    return pages_server


@pytest.fixture(scope="module")
def shots(request, tmp_path_factory):
    """Screenshots of the module's pages, in the folder named by its `SHOTS`."""
    from browser import Shots, screenshot_folder
    found = Shots(screenshot_folder(tmp_path_factory) / request.module.SHOTS)
    yield found
    print(f"\nschermafdrukken: {found.folder}")


@pytest.fixture(scope="session")
def browser():
    """The system Chromium driven by Playwright (one for every browser test; see
    tests/support/browser.py: never downloaded; skipped without it unless
    MAATWERK_REQUIRE_CHROMIUM=1)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    from browser import launch
    with playwright_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
