"""Tampering found by `maatwerk audit verify`, at every event, on SQLite and PostgreSQL.

tests/audit/test_audit.py has one fixed case per tamper kind. This adds what
it lacked: every kind at every position (hypothesis, SQLite), every kind on
PostgreSQL, payload whitespace and single characters, prev and hash columns,
a seq of the wrong type, a deleted ruleset, renumbering, and a chain rewritten
with recomputed hashes, which only the head (`--kop`) taken earlier reveals.
"""

from __future__ import annotations

import json
import shutil

import fuzzcore
import pytest
import tamper
from fuzzprofile import FUZZ
from hypothesis import given, settings
from hypothesis import strategies as st
from maatwerk.engine.log.store.open import open_store


@pytest.fixture(scope="module")
def template(tmp_path_factory, rulesets):
    """A filled SQLite log and its head, copied for every tamper."""
    path = tmp_path_factory.mktemp("tamper") / "sjabloon.db"
    with open_store(str(path), create=True) as store:
        tamper.fill(store, rulesets)
    return path, _head(str(path))


def _head(db: str) -> str:
    code, out, err = fuzzcore.cli(["audit", "verify", "--db", db, "--json"])
    assert code == 0, err
    return json.loads(out)["kop"]


N = 20


@settings(max_examples=80 if FUZZ == "ci" else 600, deadline=None, database=None)
@given(data=st.data())
def test_every_tamper_kind_at_every_event_is_found_sqlite(template, tmp_path_factory, data):
    kind = data.draw(st.sampled_from(tamper.KINDS), label="kind")
    at = data.draw(st.sampled_from(tamper.positions(kind, N)), label="at")
    path, head = template
    db = str(tmp_path_factory.mktemp("t") / "log.db")
    shutil.copy(path, db)
    conn = tamper.raw(db)
    expected = tamper.tamper(conn, "sqlite", kind, at)
    conn.close()
    assert tamper.judge(fuzzcore.cli, db, head, expected) == ""


@pytest.mark.parametrize("kind", tamper.KINDS)
def test_every_tamper_kind_is_found_postgres(pg_db, rulesets, kind):
    with open_store(pg_db, create=True) as store:
        tamper.fill(store, rulesets)
    head = _head(pg_db)
    assert head.startswith(f"{N}:")
    positions = tamper.positions(kind, N)
    at = positions[len(positions) // 2]
    with tamper.raw(pg_db) as conn:
        expected = tamper.tamper(conn, "postgresql", kind, at)
    assert tamper.judge(fuzzcore.cli, pg_db, head, expected) == ""


def test_a_rewritten_chain_passes_without_the_head_and_fails_with_it(template, tmp_path):
    """The limit of a hash chain, stated as a test: keep the head somewhere else."""
    path, head = template
    db = str(tmp_path / "log.db")
    shutil.copy(path, db)
    conn = tamper.raw(db)
    assert tamper.tamper(conn, "sqlite", "herschrijf", 12) == ("kop", None)
    conn.close()
    assert fuzzcore.cli(["audit", "verify", "--db", db])[0] == 0
    code, _, err = fuzzcore.cli(["audit", "verify", "--db", db, "--kop", head])
    assert code == 3 and "ingekort of herschreven" in err


def test_a_head_without_digest_is_refused(template, tmp_path):
    path, head = template
    db = str(tmp_path / "log.db")
    shutil.copy(path, db)
    conn = tamper.raw(db)
    tamper.tamper(conn, "sqlite", "herschrijf", 2)
    conn.close()
    seq = head.split(":")[0]
    code, _, err = fuzzcore.cli(["audit", "verify", "--db", db, "--kop", f"{seq}:…"])
    assert code == 3, "a rewritten log passed verify --kop with a head of only '…'"


def test_tampering_never_gives_a_traceback_on_unreadable_rows(template, tmp_path):
    """Values a column never holds (NULL-like, binary, huge) break the chain, not the tool."""
    path, head = template
    for i, (column, value) in enumerate([("payload", b"\xff\xfe\x00"), ("door", 12345),
                                         ("prev", "x" * 64), ("payload", "[" * 100_000),
                                         ("soort", "akkoord gegeven"), ("tijdstip", "")]):
        db = str(tmp_path / f"log{i}.db")
        shutil.copy(path, db)
        conn = tamper.raw(db)
        conn.execute(f"UPDATE events SET {column} = ? WHERE seq = 5", (value,))
        conn.close()
        assert tamper.judge(fuzzcore.cli, db, head, ("breuk", 5)) == "", (column, value)
