"""Whole-log audits in processes: `audit verify` over sequence ranges, `audit impact` and
`audit replay --all` over the stored fact blocks.

The own checks of an event (hash, link, format, pinned ruleset) are most of the work
(the payload's schema validation above all) and need only the range; the mandaat is
folded afterwards, in order (`log.chain.combine`). Processes, not threads: the
validation is Python and holds the GIL; hashing alone would release it (see the
figures in the README). Each worker opens the log itself, so a range is read by the
process that checks it, and only the small `RangeScan` travels back.

Impact and replay fork once the stored blocks are known (`stored_facts.stored_blocks`):
the blocks are handed out one at a time, each process reads and evaluates the block it
gets and sends back only its result (the besluiten that change, the outcomes that
differ); the parent adds them up in log order, then derives (and stores) the besluiten
recorded after the last block itself (`over_blocks`).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterator

from ..errors import MaatwerkError, StorageError
from ..log.chain import RangeScan, combine, scan_range
from ..log.events import Breuk
from ..log.store.open import open_store
from . import bulk
from .stored_facts import read_block, rest, stored_blocks

MIN_EVENTS = 20_000      # below this, starting processes costs more than it saves


def ranges(n: int, parts: int) -> list[tuple[int, int | None]]:
    """[lo, hi) sequence ranges over n events; the last one is open (it also holds any
    row whose seq is not a number, as the database orders them)."""
    size = max(1, -(-n // parts))
    bounds = list(range(1, n + 1, size)) or [1]
    return [(lo, bounds[i + 1] if i + 1 < len(bounds) else None) for i, lo in enumerate(bounds)]


def _scan(job: tuple[str, int, int | None]) -> RangeScan:
    db, lo, hi = job
    checked: dict[str, bool] = {}
    with open_store(db, create=False, migrate=False) as store:
        def ruleset_ok(sha: str) -> bool:
            if sha not in checked:
                checked[sha] = store.ruleset_hash(sha) == sha
            return checked[sha]
        return scan_range(store.raw_rows(lo - 1, upto=None if hi is None else hi - 1), lo, ruleset_ok)


def verify_ranges(db: str, n: int, workers: int, threads: bool = False) -> tuple[Breuk | None, int, tuple]:
    """(the first break or None, events checked, (seq, hash) of the last) over the log at `db`
    of n events, in `workers` processes (or threads)."""
    jobs = [(db, lo, hi) for lo, hi in ranges(n, workers)]
    if threads:
        with ThreadPoolExecutor(workers) as pool:
            scans = list(pool.map(_scan, jobs))
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            scans = pool.map(_scan, jobs, chunksize=1)
    breuk = combine(scans)
    done = [s for s in scans if s.count]
    last = (done[-1].lo + done[-1].count - 1, done[-1].last_hash) if done else (0, None)
    return breuk, sum(s.count for s in scans), last


def scans_of(rows: list[tuple], parts: int, ruleset_ok) -> Iterator[RangeScan]:
    """The range scans of rows in log order, in this process (tests and small logs)."""
    for lo, hi in ranges(len(rows), parts):
        yield scan_range([r for r in rows if _in_range(r[0], lo, hi)], lo, ruleset_ok)


def _in_range(seq, lo: int, hi: int | None) -> bool:
    if type(seq) is not int:
        return hi is None
    return seq >= lo and (hi is None or seq < hi)


_FORKED: dict = {}      # what the forked block workers inherit, and each worker's store


def over_blocks(db: str, store, paths: tuple[set[str], set[str]], make_work: Callable,
                processes: int) -> list | None:
    """work(rows, store) for every block of fact columns, in log order, with `work` from
    make_work() (called in this process, once it is clear the run forks). The stored blocks
    are handed out one at a time to forked processes (`work` and what it holds are
    inherited, not pickled; a process that finishes a block takes the next, reads it
    itself and sends back only the result); the besluiten after the last block are derived
    here. None when it does not pay (fewer than two stored blocks) or a block went missing
    meanwhile: the caller then runs in this process."""
    blocks = stored_blocks(store) if store.has_fact_blocks() else []
    if processes < 2 or len(blocks) < 2:
        return None
    work = make_work()
    _FORKED.update(db=db, blocks=blocks, paths=paths, work=work)
    try:
        with multiprocessing.get_context("fork").Pool(min(processes, len(blocks)),
                                                      initializer=_open_log) as pool:
            done = pool.map(_block, range(len(blocks)), chunksize=1)
            pool.close()        # workers end on their own and close their connection
            pool.join()
    except MaatwerkError:
        return None
    finally:
        _FORKED.clear()
    with bulk.quiet_gc():
        return done + [work(rows, store) for rows in rest(store, blocks[-1][1], paths)]


def impact_forked(db: str, store, chosen, eff_for, paths: tuple[set[str], set[str]], draft,
                  processes: int) -> dict:
    """`bulk.impact_stream` over the stored blocks in processes (`over_blocks`)."""
    def make_work() -> Callable:
        motivated = bulk.motivations(store)
        return lambda rows, reading: bulk.tally(
            bulk.block_of(rows, eff_for, chosen, bulk.reader(reading), motivated), draft)
    tallies = over_blocks(db, store, paths, make_work, processes)
    if tallies is None:
        return bulk.impact_stream(store, chosen, eff_for, paths, draft)
    return bulk.summed(tallies)


def replay_forked(db: str, store, rulesets, processes: int) -> tuple[int, list] | None:
    """`bulk.replay_stream` over the stored blocks in processes (`over_blocks`); None when
    it does not pay."""
    eff_for, paths = bulk.replay_selection(store, rulesets)

    def make_work() -> Callable:
        return lambda rows, reading: bulk.replayed(
            bulk.block_of(rows, eff_for, lambda p: True, bulk.reader(reading)), rulesets)
    done = over_blocks(db, store, paths, make_work, processes)
    if done is None:
        return None
    return sum(n for n, _ in done), [u for _, kept in done for u in kept]


def _open_log() -> None:
    """In a new worker: its own connection to the log (the parent's is not to be used)."""
    store = _FORKED["store"] = open_store(_FORKED["db"], create=False, migrate=False)
    multiprocessing.util.Finalize(store, store.close, exitpriority=10)


def _block(k: int):
    store = _FORKED["store"]
    rows = read_block(store, _FORKED["blocks"][k][0], _FORKED["paths"])
    if rows is None:
        raise StorageError("een feitblok verdween tijdens de run", store.location, None,
                           "draai de run opnieuw")
    with bulk.quiet_gc():
        return _FORKED["work"](rows, store)
