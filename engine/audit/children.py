"""Bulk work in forked children: one child per item (a block of besluiten), at most N at once.

`audit replay --all` hands each block it reads to a child and reads the next block
while the children replay; only a child's result (the outcomes that differ) travels
back. The item is inherited by the fork, never pickled. A child must not use its
parent's database connection: it opens its own when it needs one.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections import deque
from typing import Callable, Iterable, Iterator, TypeVar

from ..errors import EngineFault

T = TypeVar("T")
R = TypeVar("R")


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
