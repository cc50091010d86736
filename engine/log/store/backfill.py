"""Filling the index of an existing log (the migration that adds it): fast and resumable.

A log of a million besluiten is indexed in batches, each in its own write transaction:
a batch reads a window of the chain in seq order (one range scan of the key), takes
the besluiten recorded in that window with their later events, and inserts their
index rows. What a batch commits stays: a stopped upgrade continues after the last
besluit indexed (the highest seq in ``besluit_index``), so no row is written twice,
and until the last batch the migration is not recorded in ``schema_version``, so
readers keep reading the besluiten themselves (`IndexMixin.indexed` is False).

Only what the index needs is read of a ``besluit vastgelegd`` payload: the database
extracts the pinned ruleset's hash, gemeente, wet, team and the afwijkingen (so the
voorstel, most of the payload, is never parsed in Python), and the later events are
read without validating them against their schema (the chain's own check, `audit
verify`, does that). The afwijkingen stand by the same rules as everywhere
(`besluit.standen`), so the rows are those the store writes when it records. A
payload that is no JSON or lacks what the index needs is a damaged log: `StorageError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from ...errors import StorageError
from .. import besluit as rules
from ..events import VASTGELEGD, Event
from . import index
from .rows import POSTGRES, SQLITE, param

WINDOW = 4000       # events of the chain per batch (and per transaction)
_FIELDS = ("ruleset", "sha256"), ("voorstel", "gemeente"), ("voorstel", "wet"), ("team",), \
    ("afwijkingen",)
# per dialect: of a besluit's payload the fields above as one JSON array, else the payload
_HEAD = {
    SQLITE: "CASE WHEN soort <> ? THEN payload WHEN json_valid(payload) THEN json_extract(payload, "
            + ", ".join("'$." + ".".join(f) + "'" for f in _FIELDS) + ") END",
    POSTGRES: "CASE WHEN soort <> ? THEN payload ELSE (SELECT jsonb_build_array("
              + ", ".join("j" + "".join(f"->'{k}'" for k in f) for f in _FIELDS)
              + ")::text FROM (SELECT payload::jsonb AS j OFFSET 0) AS p) END",   # parsed once
}
_COLUMNS = "seq, besluit, soort, tijdstip, door, rol, {payload}, hash"


@dataclass(frozen=True)
class Progress:
    """How far the index backfill of migration ``version`` is: besluiten done of total."""

    version: int
    done: int
    total: int


def total(cur, sql) -> int:
    """Besluiten in the log (what the backfill has to index)."""
    cur.execute(sql("SELECT COUNT(*) FROM events WHERE soort = ?"), (VASTGELEGD,))
    return int(cur.fetchone()[0])


def indexed(cur) -> int:
    """Besluiten indexed so far."""
    cur.execute("SELECT COUNT(*) FROM besluit_index")
    return int(cur.fetchone()[0])


def batch(cur, dialect: str, location: str) -> int | None:
    """Index the besluiten of the next window of the chain after the last one indexed;
    None when none is left (the backfill is complete), else how many were indexed."""
    columns = _COLUMNS.format(payload=_HEAD[dialect])
    cur.execute("SELECT MAX(seq) FROM besluit_index")
    after = cur.fetchone()[0] or 0
    while True:
        cur.execute(param(dialect, f"SELECT {columns} FROM events WHERE seq > ? ORDER BY seq "
                                   f"LIMIT {WINDOW}"), (VASTGELEGD, after))
        window = cur.fetchall()
        firsts = [r for r in window if r[2] == VASTGELEGD]
        if firsts:
            break
        if len(window) < WINDOW:
            return None
        after = window[-1][0]       # a window of people's events only: look further
    ids = [r[1] for r in firsts]
    chosen = set(ids)
    marks = ", ".join("?" * len(ids))
    cur.execute(param(dialect, f"SELECT {columns} FROM events WHERE besluit IN ({marks}) "
                               f"AND seq > ? ORDER BY seq"), (VASTGELEGD, *ids, window[-1][0]))
    later = [r for r in window if r[1] in chosen and r[2] != VASTGELEGD] + cur.fetchall()
    index.insert(cur, lambda text: param(dialect, text), _besluiten(firsts, later, location),
                 index.V6)
    return len(firsts)


def _besluiten(firsts: Sequence, later: Iterable[Sequence], location: str) -> list[tuple]:
    """(head, afwijkingen as they stand) of each besluit, in the order of ``firsts``."""
    events: dict[str, list[Event]] = {r[1]: [] for r in firsts}
    for row in later:
        events[row[1]].append(_checked(row, location, _event))
    return [_checked(r, location, _stand, events[r[1]]) for r in firsts]


def _checked(row: Sequence, location: str, make: Callable, *args):
    try:
        return make(row, *args)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise StorageError(f"gebeurtenis #{row[0]} ({row[1]}) is onleesbaar voor de index: "
                           f"{type(exc).__name__} {exc}"[:400], location, None,
                           "draai `maatwerk audit verify` en herstel het log uit de "
                           "back-up") from exc


def _event(row: Sequence) -> Event:
    seq, besluit, soort, tijdstip, door, rol, payload, digest = row
    data = json.loads(payload)
    if not isinstance(data, dict):
        raise TypeError("payload is geen object")
    return Event.model_construct(seq=int(seq), besluit=besluit, soort=soort, tijdstip=tijdstip,
                                 door=door, rol=rol, payload=data, prev="", hash=digest,
                                 dienst=None, datum=None, herkomst=None)


def _stand(row: Sequence, later: list[Event]) -> tuple:
    seq, besluit, _, tijdstip, door, _, head, _ = row
    if head is None:
        raise ValueError("payload is geen JSON")
    sha, gemeente, wet, team, afwijkingen = json.loads(head)
    if not (isinstance(sha, str) and isinstance(afwijkingen, list)
            and all(isinstance(a, dict) and "kader" in a for a in afwijkingen)):
        raise TypeError("ruleset of afwijkingen heeft niet de vorm van een besluit")
    return (index.Head(int(seq), besluit, tijdstip, door, team, gemeente, wet, sha),
            rules.standen(afwijkingen, later))


def run(cur, dialect: str, location: str, version: int, batches: int | None,
        counted: Callable[[int, int], None] | None = None) -> bool:
    """Up to ``batches`` batches (None: until done) in the caller's transaction; True when
    the backfill is complete. ``counted(version, n)`` hears of each batch of n besluiten."""
    n = 0
    while batches is None or n < batches:
        done = batch(cur, dialect, location)
        if done is None:
            return True
        n += 1
        if counted is not None:
            counted(version, done)
    return False
