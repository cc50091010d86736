"""Shared fixtures: the bundled rulesets, and helpers importable by test modules."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "store"))   # pgserver, logdata

ROOT = Path(__file__).resolve().parent.parent

settings.register_profile("default", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("ci", deadline=None, derandomize=False,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def bundled():
    from maatwerk.engine.catalog import Catalog, bundled_folder
    return Catalog.load(bundled_folder(), strict=True)


# --- the decision log on both stores (tests/store and tests/hostile) ----------------------------
@pytest.fixture(scope="session")
def rulesets(tmp_path_factory) -> Path:
    """A rulesets folder with one small ruleset of the log tests' own (see store/logdata.py)."""
    from logdata import RULESET
    folder = tmp_path_factory.mktemp("rulesets")
    (folder / "logtest").mkdir()
    (folder / "logtest" / "2026-01-01.yaml").write_text(RULESET, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def pg():
    """One private PostgreSQL server per session (see store/pgserver.py); skips without one,
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
