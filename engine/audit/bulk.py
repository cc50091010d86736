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
import datetime as dt
import gc
import itertools
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import numpy as np

from .. import __version__
from ..errors import MaatwerkError
from ..evaluate.bulk import evaluate, field_paths, observe
from ..evaluate.columns import Facts
from ..log.events import MOTIVERING, VASTGELEGD
from ..rules.load import voorstel_from_data
from ..rules.resolve import Effective
from .changes import Recorded, block_changes, recorded
from .impact import Besluitimpact
from .impact import evaluate as impact_one
from .replay import Rulesets, Uitkomst, compare, replay

BLOCK = 20_000
MIN_ROWS = 2_000      # below this many besluiten the per-besluit path is as fast


@dataclass
class Block:
    """Recorded besluiten with their fact columns (row i is besluit i)."""

    besluiten: list[str]
    payloads: list[dict] | None   # replay: the payloads without their voorstel
    recorded: Recorded | None     # impact: only the recorded afwijkingen, as columns
    facts: Facts
    effs: list[Effective]         # the ruleset each row is evaluated against
    eff_of: np.ndarray            # per row: index into effs
    days: np.ndarray              # per row: the peildatum as a day number
    reread: Callable[[list[str]], dict[str, dict]]   # besluit ids -> their full payloads

    def voorstellen(self, found: list) -> dict[int, dict]:
        """The recorded voorstel of every row the columnar backend left to Python."""
        rows = [i for i, f in enumerate(found) if f is None]
        if not rows:
            return {}
        full = self.reread([self.besluiten[i] for i in rows])
        return {i: full[self.besluiten[i]]["voorstel"] for i in rows}


def blocks(items: Iterable[tuple[str, dict]], eff_for: Callable[[dict], Effective],
           reread: Callable, paths: tuple[set[str], set[str]],
           motivated: dict[str, set] | None = None, size: int = BLOCK) -> Iterator[Block]:
    """The items (besluit, payload) in blocks of fact columns over these field paths; with
    `motivated` for impact (the recorded afwijkingen kept as columns), else for replay (the
    payloads kept, without their voorstel). A payload lives only until its facts are derived."""
    stream = iter(items)
    while True:
        block = build_block(itertools.islice(stream, size), eff_for, reread, paths, motivated)
        if block is None:
            return
        yield block


def reader(store) -> Callable[[list[str]], dict[str, dict]]:
    return lambda ids: dict(store.payloads(VASTGELEGD, ids))


def build_block(items: Iterable[tuple[str, dict]], eff_for: Callable[[dict], Effective],
                reread: Callable, paths: tuple[set[str], set[str]],
                motivated: dict[str, set] | None = None) -> Block | None:
    effs: list[Effective] = []
    index: dict[str, int] = {}
    eff_of, besluiten, kept = [], [], []
    facts = Facts(*paths)
    for besluit, payload in items:
        eff = eff_for(payload)
        if eff.sha256 not in index:
            index[eff.sha256] = len(effs)
            effs.append(eff)
        eff_of.append(index[eff.sha256])
        facts.add(voorstel_from_data(payload["voorstel"], f"<besluit {besluit}>"),
                  dt.date.fromisoformat(payload["peildatum"]))
        besluiten.append(besluit)
        kept.append(_light(payload) if motivated is not None else
                    {k: v for k, v in payload.items() if k != "voorstel"})
    if not besluiten:
        return None
    facts.finish()
    rec = None if motivated is None else recorded(besluiten, kept, motivated)
    return Block(besluiten, None if motivated is not None else kept, rec, facts, effs,
                 np.array(eff_of, np.int64), facts.peildata().copy(), reread)


def _light(payload: dict) -> dict:
    """What impact needs of a payload: the peildatum and what each afwijking observed."""
    return {"peildatum": payload["peildatum"],
            "afwijkingen": [{"kader": a["kader"], "voorziening": a.get("voorziening"),
                             "waargenomen": a.get("waargenomen"), "grens": a.get("grens")}
                            for a in payload["afwijkingen"]]}


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
    late = [i for i in np.flatnonzero(block.facts.fallback).tolist()]
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
    out: dict[str, set] = {}
    for besluit, m in store.payloads(MOTIVERING):
        out.setdefault(besluit, set()).add((m["kader"], m.get("voorziening")))
    return out


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

        def items(store) -> Iterator[tuple[str, dict]]:
            for besluit, payload in store.payloads(VASTGELEGD):
                if chosen(payload):
                    yield besluit, payload
                else:
                    self.skipped += 1
        with open_store() as store, quiet_gc():
            self.blocks = list(blocks(items(store), eff_for, reread, paths, motivations(store)))

    @property
    def besluiten(self) -> int:
        return sum(len(b.besluiten) for b in self.blocks)

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
    now = run(block, lambda eff, days: days)
    voorstellen = block.voorstellen(now)
    out = []
    for row, (besluit, payload, found) in enumerate(zip(block.besluiten, block.payloads, now)):
        if found is None:
            full = {**payload, "voorstel": voorstellen[row]}
            out.append(replay(besluit, full, rulesets))
            continue
        recorded = payload.get("engine_versie")
        note = None if recorded == __version__ else f"vastgelegd met engine {recorded}, nu {__version__}"
        out.append(Uitkomst(besluit, compare(payload["afwijkingen"], found), recorded, note))
    return out


# --- whole-log runs -------------------------------------------------------------------------
def impact_stream(store, chosen: Callable[[dict], bool], eff_for: Callable[[dict], Effective],
                  paths: tuple[set[str], set[str]],
                  draft: Callable[[Effective], Effective] = lambda e: e) -> dict:
    """Impact over the log, block by block; only the besluiten it touches are kept."""
    motivated = motivations(store)
    counted = {"chosen": 0, "skipped": 0}

    def items() -> Iterator[tuple[str, dict]]:
        for besluit, payload in store.payloads(VASTGELEGD):
            if chosen(payload):
                counted["chosen"] += 1
                yield besluit, payload
            else:
                counted["skipped"] += 1
    with quiet_gc():
        touched = [r for block in blocks(items(), eff_for, reader(store), paths, motivated)
                   for r in impact_block(block, draft)]
    return {"besluiten": counted["chosen"], "overgeslagen": counted["skipped"], "geraakt": touched}


def _rebuilt(rulesets: Rulesets, shas: list[str]) -> Iterator[Effective]:
    """Every stored ruleset that rebuilds (one that does not fails the replay of the besluiten
    that pin it, as the per-besluit replay does)."""
    for sha in shas:
        try:
            yield rulesets.get(sha)
        except MaatwerkError:
            continue


def replay_stream(store, rulesets: Rulesets) -> tuple[int, list[Uitkomst]]:
    """Replay of every besluit, block by block; outcomes that differ or carry a note are kept."""
    def eff_for(payload: dict) -> Effective:
        return rulesets.get(payload["ruleset"]["sha256"])
    paths = paths_of(_rebuilt(rulesets, store.ruleset_hashes()))
    n, kept = 0, []
    with quiet_gc():
        for block in blocks(store.payloads(VASTGELEGD), eff_for, reader(store), paths):
            n += len(block.besluiten)
            kept += [u for u in replay_block(block, rulesets) if not u.gelijk or u.opmerking]
    return n, kept
