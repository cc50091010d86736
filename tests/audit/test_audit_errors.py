"""Only a failing store is reported as a damaged log (exit 3); any other error is maatwerk's
own fault (exit 70), and MAATWERK_DEBUG=1 shows its cause and traceback on stderr."""

from __future__ import annotations

import pytest
from logdata import raw, record
from maatwerk.cli.main import main


def run(capsys, *args) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main([str(a) for a in args])
    return done.value.code, capsys.readouterr().err


def test_a_failing_store_is_a_damaged_log(db, store, rulesets, capsys):
    record(store, rulesets)
    conn = raw(db)
    if db.startswith("postgresql"):
        conn.execute("ALTER TABLE events RENAME COLUMN door TO wie")   # the server refuses reads
    else:
        conn.execute("PRAGMA writable_schema = ON")      # the file's schema no longer parses
        conn.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE events (kapot' "
                     "WHERE name = 'events'")
    conn.close()
    store.close()
    code, err = run(capsys, "audit", "verify", "--db", db)
    assert code == 3, err
    assert err.startswith("Error: ") and "het log kan niet gelezen worden" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("debug", ["", "1"])
def test_an_unexpected_error_is_an_internal_fault(db, store, rulesets, capsys, monkeypatch,
                                                  debug):
    import maatwerk.engine.audit.verify as audit

    def broken(*args):
        raise KeyError("peildatum")          # a bug in replay, not a damaged log
    b = record(store, rulesets)
    monkeypatch.setattr(audit, "replay", broken)
    monkeypatch.setenv("MAATWERK_DEBUG", debug)
    code, err = run(capsys, "audit", "replay", b.id, "--db", db)
    assert code == 70, err
    assert "kan niet gelezen worden" not in err and "back-up" not in err
    assert err.startswith("Error: interne fout (KeyError: 'peildatum')")
    if debug:
        assert "Traceback (most recent call last)" in err and 'raise KeyError("peildatum")' in err
    else:
        assert "Traceback" not in err
