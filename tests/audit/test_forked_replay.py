"""`audit replay --all --processen N` gives what one process gives.

The stored fact blocks are handed out to forked processes (`audit.parallel.over_blocks`),
each replays the blocks it gets; the outcomes and the differences found are those of a
run in one process, and of replaying each besluit on its own, in the same order.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from logdata import generated  # noqa: E402
from maatwerk.engine.audit import stored_facts
from maatwerk.engine.audit.verify import replay_log
from maatwerk.engine.log.store.open import open_store


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


def test_replay_in_processes_finds_what_one_process_finds(altered_log):
    """The columnar replay (texts compared, records decoded only where they differ), in one
    process and in two, reports exactly what replaying each besluit on its own reports."""
    was, stored_facts.BLOCK = stored_facts.BLOCK, 16     # four stored blocks: the run forks
    try:
        with open_store(altered_log, migrate=False) as store:
            each = replay_log(store, None, "python", 1, altered_log)
            one = replay_log(store, None, "columnar", 1, altered_log)    # stores the blocks
            assert len(stored_facts.stored_blocks(store)) == 4
            two = replay_log(store, None, "columnar", 2, altered_log)
    finally:
        stored_facts.BLOCK = was
    assert one["verschillend"] > 0
    assert one == each
    assert two == one
    changed = {v["soort"] for u in one["uitkomsten"] for v in u["verschillen"]}
    assert {"gewijzigd", "ontbreekt in replay", "extra in replay"} <= changed
