"""Bulk work in forked children (`audit.children.in_children`) gives what one process gives.

`audit replay --all --processen N` replays each block of besluiten in its own child
while the parent reads the next block: the outcomes, the differences found and the
errors are those of a run in one process, in the same order.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from logdata import generated  # noqa: E402
from maatwerk.engine.audit.children import in_children
from maatwerk.engine.audit.verify import replay_log
from maatwerk.engine.errors import AuditFailure, EngineFault
from maatwerk.engine.log.store.open import open_store


def _square_or_fail(item: int) -> int:
    if item < 0:
        raise AuditFailure(f"blok {item} is beschadigd", "log.db", None, "draai audit verify")
    return item * item


@settings(max_examples=25, deadline=None)
@given(items=st.lists(st.integers(-3, 50), max_size=7), processes=st.integers(1, 3))
def test_results_in_item_order_and_the_first_error_as_in_one_process(items, processes):
    try:
        expected = list(map(_square_or_fail, items))
    except AuditFailure as exc:
        with pytest.raises(AuditFailure) as raised:
            list(in_children(items, _square_or_fail, processes))
        assert str(raised.value) == str(exc)
        return
    assert list(in_children(items, _square_or_fail, processes)) == expected


def test_a_child_that_dies_is_an_engine_fault_not_a_hang():
    with pytest.raises(EngineFault, match="deelproces stopte zonder uitkomst"):
        list(in_children([1, 2], lambda item: os._exit(9), 2))


@pytest.fixture(scope="module")
def altered_log(tmp_path_factory) -> str:
    """60 recorded besluiten; the recorded melding of every seventh was written by hand."""
    def alter(seed, payload):
        if seed % 7 == 0 and payload.afwijkingen:
            payload.afwijkingen[0]["melding"] = "met de hand geschreven"
    db = str(tmp_path_factory.mktemp("children") / "log.db")
    with open_store(db, create=True) as store:
        generated(store, 60, alter)
    return db


def test_replay_in_children_finds_what_one_process_finds(altered_log):
    with open_store(altered_log, migrate=False) as store:
        one = replay_log(store, None, "columnar", 1, altered_log)
        two = replay_log(store, None, "columnar", 2, altered_log)
    assert one["verschillend"] > 0
    assert two == one
    changed = {v["soort"] for u in one["uitkomsten"] for v in u["verschillen"]}
    assert changed == {"gewijzigd"}
