"""Appending to the chain: each new event placed after the last, as the row the log stores.

`place` gives an event its seq, its ``prev`` and its hash, and keeps the row to insert in
a `Tail`; the store inserts the rows of a whole write at once (``executemany``). The
stored payload is its canonical JSON and the hash is taken over the same bytes that
`verify` reassembles from the stored row (`events.raw_body`), so the check needs no parse.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..events import Event, NewEvent, raw_body


@dataclass
class Tail:
    """The end of the chain while a write adds to it: the last seq and hash, the rows not
    yet inserted and the besluit ids they take. ``deferred``: the ids are checked against
    the log once, before the insert (bulk recording), instead of each as it is made."""

    seq: int
    prev: str
    deferred: bool = False
    rows: list[tuple] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    envelopes: dict[tuple, Event] = field(default_factory=dict)   # `template`s, checked


def place(tail: Tail, template: Event, changes: dict, text: str, raw: bytes | None = None) -> Event:
    """The stored event with the fields of ``template`` (already checked) but ``changes``
    (besluit, soort, payload) and canonical payload ``text`` (``raw``: its UTF-8 bytes, when
    the caller has them), placed after the tail. A copy of a template is a third of the cost
    of constructing the event anew."""
    tail.seq += 1
    event = {**template.__dict__, **changes}
    head = (tail.seq, event["besluit"], event["soort"], event["tijdstip"], event["door"],
            event["rol"])
    extra = (event["dienst"], event["datum"], event["herkomst"])
    digest = hashlib.sha256(raw_body(head + (raw or text, tail.prev, "") + extra)).hexdigest()
    tail.rows.append(head + (text, tail.prev, digest) + extra)
    placed = template.model_copy(update={**changes, "seq": tail.seq, "prev": tail.prev,
                                         "hash": digest})
    tail.prev = digest
    return placed


def template(event: NewEvent) -> Event:
    """An event to `place` copies of: the fields of ``event``, not yet in the chain."""
    return Event.model_construct(**event.__dict__, seq=0, prev="", hash="")
