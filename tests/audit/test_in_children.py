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


def _alter(seed: int, payload) -> None:
    """What a hand in the record may have changed, by seed: a melding, an observed value,
    a grondslag, the order, an afwijking left out, one added, an integer written as a float."""
    found = payload.afwijkingen
    kind = seed % 8
    if not found or kind == 7:
        return
    first = found[0]
    if kind == 0:
        first["melding"] = "met de hand geschreven"
    elif kind == 1:
        first["waargenomen"] = 123456
    elif kind == 2:
        first["grondslag"] = {**first["grondslag"], "artikel": "99"}
    elif kind == 3 and len(found) > 1:
        found.reverse()
    elif kind == 4:
        found.pop()
    elif kind == 5:
        found.append({**first, "voorziening": 9})
    elif kind == 6 and isinstance(first.get("grens"), int):
        first["grens"] = float(first["grens"])      # equal as a number: no difference


@pytest.fixture(scope="module")
def altered_log(tmp_path_factory) -> str:
    """60 recorded besluiten, most of them with a record changed by hand (`_alter`)."""
    db = str(tmp_path_factory.mktemp("children") / "log.db")
    with open_store(db, create=True) as store:
        generated(store, 60, _alter)
    return db


def test_replay_in_children_finds_what_one_process_finds(altered_log):
    """The columnar replay (texts compared, records decoded only where they differ), in one
    process and in two, reports exactly what replaying each besluit on its own reports."""
    with open_store(altered_log, migrate=False) as store:
        each = replay_log(store, None, "python", 1, altered_log)
        one = replay_log(store, None, "columnar", 1, altered_log)
        two = replay_log(store, None, "columnar", 2, altered_log)
    assert one["verschillend"] > 0
    assert one == each
    assert two == one
    changed = {v["soort"] for u in one["uitkomsten"] for v in u["verschillen"]}
    assert {"gewijzigd", "ontbreekt in replay", "extra in replay"} <= changed
