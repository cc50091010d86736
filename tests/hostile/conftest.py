"""Hostile input and faults: fixtures (the fuzz profile is in `fuzzprofile.py`).

The decision-log fixtures (`db` on SQLite and on a private PostgreSQL server)
are the small bits of tests/store/conftest.py, on the same `pgserver` module.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "store"))

import pgserver  # noqa: E402
from logdata import RULESET  # noqa: E402

import fuzzprofile  # noqa: E402,F401  (MAATWERK_CACHE=off for every test here)


# --- the decision log on both stores (as tests/store/conftest.py) ---------------------------------
@pytest.fixture(scope="session")
def rulesets(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("rulesets")
    (folder / "logtest").mkdir()
    (folder / "logtest" / "2026-01-01.yaml").write_text(RULESET, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def pg():
    try:
        server = pgserver.server()
    except pgserver.NoServer as exc:
        if os.environ.get("MAATWERK_REQUIRE_PG") == "1":
            pytest.fail(f"PostgreSQL is vereist (MAATWERK_REQUIRE_PG=1): {exc}", pytrace=False)
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
