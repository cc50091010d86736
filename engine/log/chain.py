"""The fast chain check over stored rows: whole (`verify_raw`) or by sequence ranges.

Both give the verdict of the reference verifier (`events.verify`): the first broken
event, or None. The check of one event has two parts. Its own part (sequence number,
link to the previous hash, the hash over the stored bytes, the format, the pinned
ruleset) needs only the event and its predecessor's hash, so ranges of the log can be
checked apart, in parallel (`scan_range`). The mandaat needs the users and roles
folded from every earlier event; it is cheap, so `combine` does it in order afterwards,
from what each range reports: its identity events and, between two of them, the first
event of every (door, rol) pair (the verdict on a pair cannot change while the users
do not). tests/log/test_chain_ranges.py holds both to the reference verdict.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from . import identity
from .events import (
    COLUMNS,
    FORMAT_BREAK,
    GENESIS,
    Breuk,
    Sha,
    besluit_text,
    format_problem,
    mandaat,
    raw_body,
    validated,
)

RawRow = tuple   # (seq, besluit, soort, tijdstip, door, rol, payload, prev, hash[, dienst, datum, herkomst])


def as_text(value: Any) -> Any:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def verify_raw(rows: Iterable[RawRow], ruleset_ok: Callable[[str], bool]) -> Breuk | None:
    """The same verdict as `events.verify`, on stored rows (text or bytes)."""
    expected, prev, people = 1, GENESIS, identity.Gebruikers()
    for row in rows:
        broken = _sequence_problem(row, expected, prev)
        checked = None
        if broken is None:
            checked = own_check(row, ruleset_ok)
            broken = checked if isinstance(checked, str) else \
                mandaat(people, checked[0].soort, checked[0].door, checked[0].rol, checked[0].payload)
        if broken:
            seq = row[0] if type(row[0]) is int else expected
            return Breuk(seq, besluit_text(row[1]), broken)
        expected, prev = expected + 1, as_text(row[8])
    return None


def _sequence_problem(row: RawRow, expected: int, prev: Sha | None) -> str | None:
    if type(row[0]) is not int or row[0] != expected:
        return f"volgnummer {as_text(row[0])} waar {expected} verwacht werd (gat of dubbel)"
    if prev is not None and as_text(row[7]) != prev:
        return "prev wijst niet naar de hash van de vorige gebeurtenis"
    return None


def own_check(row: RawRow, ruleset_ok: Callable[[str], bool]) -> tuple | str:
    """Hash, format and pinned ruleset of one row: the validated (event, payload), or what
    is broken."""
    try:
        body = raw_body(row)
        fields = {k: v.decode("utf-8") if isinstance(v, bytes) else v for k, v in zip(COLUMNS, row)}
    except (TypeError, UnicodeError):
        return f"{FORMAT_BREAK}: een veld ontbreekt of is geen tekst"
    if hashlib.sha256(body).hexdigest() != fields["hash"]:
        return "herberekende hash wijkt af van de opgeslagen hash (inhoud gewijzigd)"
    checked = validated(fields)
    problem = format_problem(checked, ruleset_ok)
    return problem if problem is not None else checked


@dataclass
class RangeScan:
    """What one range of the log says: its first row, how far it got, its first own break,
    and what the mandaat check needs (in order)."""

    lo: int
    first: tuple | None = None           # (seq as stored, besluit, prev) of the first row
    count: int = 0                       # rows checked without a break
    last_hash: Sha | None = None
    breuk: Breuk | None = None           # the first break of the range's own checks
    mandaat: list[tuple] = field(default_factory=list)   # ("id", seq, besluit, soort, door, payload)
    #                                                     or ("pair", seq, besluit, door, rol)


def scan_range(rows: Iterable[RawRow], lo: int, ruleset_ok: Callable[[str], bool]) -> RangeScan:
    """The own checks of the rows of one range (seq from `lo`), numbered from `lo`; the link
    of the first row to the range before is left to `combine`."""
    scan = RangeScan(lo)
    expected, prev = lo, None
    seen: set[tuple] = set()
    for row in rows:
        if scan.first is None:
            scan.first = (row[0], besluit_text(row[1]), as_text(row[7]))
        checked = _sequence_problem(row, expected, prev) or own_check(row, ruleset_ok)
        if isinstance(checked, str):
            seq = row[0] if type(row[0]) is int else expected
            scan.breuk = Breuk(seq, besluit_text(row[1]), checked)
            return scan
        event = checked[0]
        if event.soort in identity.SOORTEN:
            scan.mandaat.append(("id", event.seq, event.besluit, event.soort, event.door, event.payload))
            seen.clear()
        elif (event.door, event.rol) not in seen:
            seen.add((event.door, event.rol))
            scan.mandaat.append(("pair", event.seq, event.besluit, event.door, event.rol))
        scan.count, scan.last_hash = scan.count + 1, as_text(row[8])
        expected, prev = expected + 1, scan.last_hash
    return scan


def combine(scans: Iterable[RangeScan]) -> Breuk | None:
    """The verdict over ranges in log order: each range's link to the one before, then the
    mandaat in order, then the range's own first break."""
    expected, prev, people = 1, GENESIS, identity.Gebruikers()
    for scan in scans:
        if scan.first is None:
            continue
        seq, besluit, first_prev = scan.first
        if type(seq) is not int or seq != expected:
            return Breuk(seq if type(seq) is int else expected, besluit,
                         f"volgnummer {as_text(seq)} waar {expected} verwacht werd (gat of dubbel)")
        if first_prev != prev:
            return Breuk(seq, besluit, "prev wijst niet naar de hash van de vorige gebeurtenis")
        for item in scan.mandaat:
            problem = (mandaat(people, item[3], item[4], "", item[5]) if item[0] == "id"
                       else mandaat(people, "", item[3], item[4], None))
            if problem:
                return Breuk(item[1], item[2], problem)
        if scan.breuk is not None:
            return scan.breuk
        expected, prev = expected + scan.count, scan.last_hash
    return None
