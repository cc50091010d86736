"""Fixtures for the decision-log tests: both stores, a tiny ruleset, voorstellen, the CLI.

Every test that takes `db` runs twice: on a fresh SQLite file and on a fresh schema
of a real PostgreSQL server (private, started once per session; see pgserver.py).
Without a server the PostgreSQL half skips, unless MAATWERK_REQUIRE_PG=1 (CI).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))

from logdata import voorstel_data  # noqa: E402


@pytest.fixture
def write_voorstel(tmp_path):
    def write(kind: str = "open", name: str | None = None, **top) -> Path:
        path = tmp_path / f"{name or kind}.yaml"
        path.write_text(yaml.safe_dump(voorstel_data(kind, **top), allow_unicode=True),
                        encoding="utf-8")
        return path
    return write


# --- databases: `db`, `pg`, `pg_db` and `rulesets` come from tests/conftest.py ------------
@pytest.fixture
def store(db):
    from maatwerk.engine.store.base import open_store
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


@pytest.fixture
def mw(db, rulesets, monkeypatch):
    """Run `maatwerk ARGS` in process against `db`, as the real entry point would."""
    from click.testing import CliRunner

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
