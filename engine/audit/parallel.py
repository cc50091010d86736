"""Work over the log in processes: `audit verify` over sequence ranges, and bulk runs
(replay) over blocks of besluiten, each block in a forked child (`in_children`).

The own checks of an event (hash, link, format, pinned ruleset) are most of the work
(the payload's schema validation above all) and need only the range; the mandaat is
folded afterwards, in order (`log.chain.combine`). Processes, not threads: the
validation is Python and holds the GIL; hashing alone would release it (see the
figures in the README). Each worker opens the log itself, so a range is read by the
process that checks it, and only the small `RangeScan` travels back.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

from ..errors import EngineFault
from ..log.chain import RangeScan, combine, scan_range
from ..log.events import Breuk
from ..log.store.open import open_store

MIN_EVENTS = 20_000      # below this, starting processes costs more than it saves
T = TypeVar("T")
R = TypeVar("R")


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


def in_children(items: Iterable[T], fn: Callable[[T], R], processes: int) -> Iterator[R]:
    """fn(item) for every item, each in a forked child, at most `processes` at once; the
    results in the order of the items. An item is inherited by the fork, never pickled;
    only fn's result travels back. The parent goes on reading the next item (a block from
    the log) while the children work; a child must not use the parent's database
    connection (it opens its own when it needs one)."""
    if processes <= 1:
        yield from map(fn, items)
        return
    ctx = multiprocessing.get_context("fork")
    running: deque = deque()
    for item in items:
        if len(running) >= processes:
            yield _collect(running.popleft())
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_child, args=(fn, item, send), daemon=True)
        child.start()
        send.close()
        running.append((child, receive))
    while running:
        yield _collect(running.popleft())


def _child(fn: Callable, item, send) -> None:
    try:
        result = (True, fn(item))
    except BaseException as exc:      # noqa: BLE001 - handed to the parent, which raises it
        result = (False, exc)
    try:
        send.send(result)
    except (pickle.PicklingError, TypeError, AttributeError):
        send.send((False, EngineFault(f"een deelproces faalde: {result[1]!r}", None, None,
                                      "draai opnieuw met --processen 1")))
    send.close()


def _collect(entry: tuple) -> object:
    child, receive = entry
    try:
        ok, value = receive.recv()
    except EOFError:
        child.join()
        raise EngineFault(f"een deelproces stopte zonder uitkomst (code {child.exitcode})", None, None,
                          "draai opnieuw met --processen 1; is het geheugen op?") from None
    finally:
        receive.close()
    child.join()
    if not ok:
        raise value
    return value
