"""Import boundaries: the engine core never loads the store; psycopg loads only for PostgreSQL."""

from __future__ import annotations

import subprocess
import sys


def loaded_after(code: str) -> set[str]:
    script = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_engine_core_and_log_rules_do_not_import_the_store():
    mods = loaded_after("import maatwerk.engine.evaluate.check, maatwerk.engine.log.besluit, "
                        "maatwerk.engine.log.events, maatwerk.engine.rules.catalog")
    assert not {m for m in mods if m.startswith("maatwerk.engine.log.store")}
    assert "sqlite3" not in mods and "psycopg" not in mods and "click" not in mods


def test_sqlite_commands_never_load_psycopg(tmp_path, rulesets, write_voorstel):
    db = tmp_path / "log.db"
    code = (f"from click.testing import CliRunner\nfrom maatwerk.cli.main import cli\n"
            f"CliRunner().invoke(cli, ['gebruiker', 'init', 'a', '--db', {str(db)!r}])\n"
            f"CliRunner().invoke(cli, ['gebruiker', 'rol', 'a', 'consulent', '--by', 'a', '--db', "
            f"{str(db)!r}])\n"
            f"r = CliRunner().invoke(cli, ['record', {str(write_voorstel('open'))!r}, '--db', "
            f"{str(db)!r}, '--rulesets', {str(rulesets)!r}, '--by', 'a', '--role', 'consulent'])\n"
            f"assert r.exit_code == 0, r.output\n"
            f"r = CliRunner().invoke(cli, ['list', '--db', {str(db)!r}])\nassert r.exit_code == 0")
    assert "psycopg" not in loaded_after(code)
    assert "maatwerk.engine.log.store.sqlite" in loaded_after(code)
