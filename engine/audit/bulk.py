"""Bulk audit runs on fact columns: impact and replay of many besluiten at once.

The log is read as a stream of `besluit vastgelegd` payloads (keyset pages on both
stores, so memory stays flat) and cut into blocks; each block's voorstellen are
derived once into fact columns (`evaluate.columns`) and evaluated by the columnar
backend (`evaluate.bulk`). A besluit that backend cannot represent exactly goes to
the Python backend, so the outcome is always the Python backend's outcome.

An `ImpactColumns` keeps the blocks of one log in memory: a draft parameter value
("this ruleset with P = V from D") is then answered from those columns without
reading the log again.
"""

from __future__ import annotations

import contextlib
import gc
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import numpy as np

from .. import __version__
from ..errors import MaatwerkError
from ..evaluate.bulk import evaluate, field_paths, observe
from ..evaluate.columns import Facts
from ..log.events import VASTGELEGD
from ..rules.resolve import Effective
from .changes import Recorded, block_changes, with_motivated
from .impact import Besluitimpact
from .impact import evaluate as impact_one
from .stored_facts import FactRows, fact_rows
from .replay import Rulesets, Uitkomst, compare, replay, replayed_text

BLOCK = 20_000
MIN_ROWS = 2_000      # below this many besluiten the per-besluit path is as fast


@dataclass
class Block:
    """Recorded besluiten with their fact columns (row i is besluit i)."""

    besluiten: list[str]
    compared: list[tuple] | None  # replay: per row its engine version and `compared_text`
    recorded: Recorded | None     # impact: only the recorded afwijkingen, as columns
    facts: Facts
    effs: list[Effective]         # the ruleset each row is evaluated against
    eff_of: np.ndarray            # per row: index into effs
    days: np.ndarray              # per row: the peildatum as a day number
    reread: Callable[[list[str]], dict[str, dict]]   # besluit ids -> their full payloads


def reader(store) -> Callable[[list[str]], dict[str, dict]]:
    return lambda ids: dict(store.payloads(VASTGELEGD, ids))


def block_of(rows: FactRows, eff_for: Callable[[dict], Effective], chosen: Callable[[dict], bool],
             reread: Callable, motivated: dict[str, set] | None = None) -> Block:
    """A block of stored (or just derived) facts; rows not chosen get no ruleset (-1) and are
    left out of every evaluation. With `motivated` for impact, else for replay."""
    effs: list[Effective] = []
    index: dict[str, int] = {}
    code_of = np.full(len(rows.keys), -1, np.int64)
    for key in range(len(rows.keys)):    # a few thousand selection keys a block, not one a row
        payload = rows.selector(key)
        if not chosen(payload):
            continue
        eff = eff_for(payload)
        if eff.sha256 not in index:
            index[eff.sha256] = len(effs)
            effs.append(eff)
        code_of[key] = index[eff.sha256]
    eff_of = code_of[rows.key_of] if len(rows.keys) else np.zeros(0, np.int64)
    rec = None if motivated is None else \
        with_motivated(rows.recorded, rows.besluiten, rows.peildata(), motivated)
    return Block(rows.besluiten, None if motivated is not None else rows.compared(), rec, rows.facts,
                 effs, eff_of, rows.facts.peildata().copy(), reread)


def log_blocks(store, paths: tuple[set[str], set[str]], eff_for: Callable[[dict], Effective],
               chosen: Callable[[dict], bool] = lambda p: True,
               motivated: dict[str, set] | None = None) -> Iterator[Block]:
    """Every besluit of the log in blocks, from the stored fact columns (`stored_facts`)."""
    for rows in fact_rows(store, paths):
        yield block_of(rows, eff_for, chosen, reader(store), motivated)


def paths_of(effs: Iterable[Effective]) -> tuple[set[str], set[str]]:
    """The fields any of these rulesets reads, by scope."""
    vpaths: set[str] = set()
    zpaths: set[str] = set()
    for eff in effs:
        v, z = field_paths(eff)
        vpaths |= v
        zpaths |= z
    return vpaths, zpaths


def run(block: Block, param_day: Callable[[Effective, np.ndarray], np.ndarray],
        draft: Callable[[Effective], Effective] = lambda e: e,
        observed_only: bool = False) -> list[list[dict] | None]:
    """The afwijkingen of every row against its ruleset (None: ask the Python backend)."""
    out: list[list[dict] | None] = [None] * len(block.besluiten)
    for k, eff in enumerate(block.effs):
        rows = np.flatnonzero(block.eff_of == k)
        target = draft(eff)
        result = evaluate(target, block.facts, param_day(target, block.days), rows, observed_only)
        for r in rows.tolist():
            out[r] = result.afwijkingen[r]
    return out


# --- impact -----------------------------------------------------------------------------------
def impact_day(eff: Effective, days: np.ndarray) -> np.ndarray:
    """Parameters of the other ruleset on the peildatum, or on its first day for older besluiten."""
    return np.maximum(days, eff.head.geldig_vanaf.toordinal())


def impact_block(block: Block, draft: Callable[[Effective], Effective] = lambda e: e) -> list[Besluitimpact]:
    """The besluiten of this block that the (draft) ruleset changes, in log order."""
    rec = block.recorded
    out: dict[int, Besluitimpact] = {}
    for k, eff in enumerate(block.effs):
        rows = np.flatnonzero(block.eff_of == k)
        target = draft(eff)
        obs = observe(target, block.facts, impact_day(target, block.days), rows)
        done = np.zeros(len(block.besluiten), bool)
        done[rows] = True
        done &= ~block.facts.fallback
        out.update(block_changes(block.besluiten, rec, obs, [c.kader.id for c in target.kaders], done))
    late = [i for i in np.flatnonzero(block.facts.fallback & (block.eff_of >= 0)).tolist()]
    if late:
        full = block.reread([block.besluiten[i] for i in late])
        for i in late:
            payload = full[block.besluiten[i]]
            eff = draft(block.effs[int(block.eff_of[i])])
            found = impact_one(eff, block.besluiten[i], payload["voorstel"], payload["peildatum"],
                               payload["afwijkingen"], _motivated_of(rec, i))
            if found.wijzigingen:
                out[i] = found
    return [out[i] for i in sorted(out)]


def _motivated_of(rec: Recorded, row: int) -> set:
    return {(rec.kader[i], rec.voorziening[i]) for i in np.flatnonzero(rec.row == row).tolist()
            if rec.motivated[i]}


def motivations(store) -> dict[str, set]:
    return store.motivering_keys()


class ImpactColumns:
    """The fact columns of the besluiten one ruleset speaks to, kept for repeated impact runs
    (a draft parameter value, another version of the same family)."""

    def __init__(self, open_store: Callable, chosen: Callable[[dict], bool],
                 eff_for: Callable[[dict], Effective], paths: tuple[set[str], set[str]]):
        """open_store() gives the store as a context manager; it is opened again only to
        reread the few besluiten the columnar backend leaves to Python."""
        self.skipped = 0

        def reread(ids: list[str]) -> dict[str, dict]:
            with open_store() as store:
                return reader(store)(ids)
        with open_store() as store, quiet_gc():
            motivated = motivations(store)
            self.blocks = [block_of(rows, eff_for, chosen, reread, motivated)
                           for rows in fact_rows(store, paths)]
        self.skipped = sum(int((b.eff_of < 0).sum()) for b in self.blocks)

    @property
    def besluiten(self) -> int:
        return sum(len(b.besluiten) for b in self.blocks) - self.skipped

    def impact(self, draft: Callable[[Effective], Effective] = lambda e: e) -> list[Besluitimpact]:
        """The besluiten that change, in log order."""
        with quiet_gc():
            return [r for b in self.blocks for r in impact_block(b, draft)]


@contextlib.contextmanager
def quiet_gc() -> Iterator[None]:
    """No cyclic garbage collection while a run makes many small objects next to the kept
    columns (each full collection would walk them all); it runs once afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# --- replay -----------------------------------------------------------------------------------
def replay_block(block: Block, rulesets: Rulesets) -> list[Uitkomst]:
    """Every besluit of the block replayed. A row whose replayed afwijkingen have the text of
    its record (`replay.compared_text`) is equal without decoding anything; the others (and
    those the columns leave to Python) are compared with their payload, read again."""
    now = run(block, lambda eff, days: days)
    memo: dict[int, str] = {}
    differ = [i for i, (found, (_, text)) in enumerate(zip(now, block.compared))
              if found is None or text is None or replayed_text(found, memo) != text]
    full = block.reread([block.besluiten[i] for i in differ]) if differ else {}
    differ_rows = set(differ)
    out = []
    for row, besluit in enumerate(block.besluiten):
        recorded = block.compared[row][0]
        note = None if recorded == __version__ else f"vastgelegd met engine {recorded}, nu {__version__}"
        if row not in differ_rows:
            out.append(Uitkomst(besluit, [], recorded, note))
        elif now[row] is None:
            out.append(replay(besluit, full[besluit], rulesets))
        else:
            out.append(Uitkomst(besluit, compare(full[besluit]["afwijkingen"], now[row]), recorded, note))
    return out


# --- whole-log runs -------------------------------------------------------------------------
def impact_stream(store, chosen: Callable[[dict], bool], eff_for: Callable[[dict], Effective],
                  paths: tuple[set[str], set[str]],
                  draft: Callable[[Effective], Effective] = lambda e: e) -> dict:
    """Impact over the log, block by block; only the besluiten it touches are kept."""
    with quiet_gc():
        return summed([tally(block, draft) for block in
                       log_blocks(store, paths, eff_for, chosen, motivations(store))])


def tally(block: Block, draft: Callable[[Effective], Effective]) -> tuple[int, int, list]:
    """(besluiten chosen, skipped, the besluiten that change) of one block."""
    skipped = int((block.eff_of < 0).sum())
    return len(block.besluiten) - skipped, skipped, impact_block(block, draft)


def summed(tallies: list[tuple[int, int, list]]) -> dict:
    return {"besluiten": sum(t[0] for t in tallies), "overgeslagen": sum(t[1] for t in tallies),
            "geraakt": [r for t in tallies for r in t[2]]}


def _rebuilt(rulesets: Rulesets, shas: list[str]) -> Iterator[Effective]:
    """Every stored ruleset that rebuilds (one that does not fails the replay of the besluiten
    that pin it, as the per-besluit replay does)."""
    for sha in shas:
        try:
            yield rulesets.get(sha)
        except MaatwerkError:
            continue


def replay_selection(store, rulesets: Rulesets) -> tuple[Callable[[dict], Effective], tuple]:
    """(the pinned ruleset of a payload, the fields any stored ruleset reads) for a replay."""
    def eff_for(payload: dict) -> Effective:
        return rulesets.get(payload["ruleset"]["sha256"])
    return eff_for, paths_of(_rebuilt(rulesets, store.ruleset_hashes()))


def replay_stream(store, rulesets: Rulesets) -> tuple[int, list[Uitkomst]]:
    """Replay of every besluit, block by block; outcomes that differ or carry a note are kept."""
    eff_for, paths = replay_selection(store, rulesets)
    n, kept = 0, []
    with quiet_gc():
        for block in log_blocks(store, paths, eff_for):
            size, found = replayed(block, rulesets)
            n += size
            kept += found
    return n, kept


def replayed(block: Block, rulesets: Rulesets) -> tuple[int, list[Uitkomst]]:
    """(besluiten replayed, the outcomes that differ or carry a note) of one block."""
    return len(block.besluiten), [u for u in replay_block(block, rulesets) if not u.gelijk or u.opmerking]
