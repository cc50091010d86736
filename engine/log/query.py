"""Which besluiten a list shows: filters on the folded besluiten, newest first. Pure.

Shared by `maatwerk list` and `GET /api/v1/besluiten`: status (derived), consulent
(who recorded it), team, gemeente, a period of recording, the start of the id, and
"waits for the akkoord of this user" (a user with their roles). The store answers the
same `Filter` from its index in keyset pages (`store.listing`); `matches` and `select`
are the reference it must agree with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .besluit import Besluit, dezelfde, mag_akkoord


@dataclass(frozen=True)
class Filter:
    status: str | None = None
    consulent: str | None = None
    team: str | None = None
    gemeente: str | None = None
    vanaf: str | None = None
    """First day (JJJJ-MM-DD) or moment of recording, inclusive."""
    tot: str | None = None
    """Last day (JJJJ-MM-DD) of recording, inclusive."""
    wacht_op: tuple[str, frozenset[str]] | None = None
    """(user, roles): only besluiten with an afwijking waiting for this user's akkoord."""
    begin: str | None = None
    """The start of the besluit id (``B-3f2a``): the short id a person copies."""


def waits_for(b: Besluit, gebruiker: str, rollen: frozenset[str]) -> bool:
    """True when an afwijking of b waits for the akkoord of this user (not its author)."""
    for s in b.standen:
        last = s.laatste
        terug = getattr(s, "terug", lambda: None)()
        if (s.vereist and last is not None and s.geldig() is None and terug is None
                and not dezelfde(last.door, gebruiker)
                and any(mag_akkoord(s.vereist, r) for r in rollen)):
            return True
    return False


def matches(b: Besluit, f: Filter) -> bool:
    v = b.inhoud.voorstel
    moment = b.vastgelegd.tijdstip
    return ((f.status is None or b.status == f.status)
            and (f.consulent is None or dezelfde(b.vastgelegd.door, f.consulent))
            and (f.team is None or (b.inhoud.team or "") == f.team)
            and (f.gemeente is None or v.get("gemeente") == f.gemeente)
            and (f.vanaf is None or moment >= f.vanaf)
            and (f.tot is None or moment[:10] <= f.tot)
            and (f.begin is None or b.id.startswith(f.begin))
            and matches_folded(b, f))


def matches_folded(b: Besluit, f: Filter) -> bool:
    """The part of the filter only the folded besluit answers (the rest the index holds)."""
    return f.wacht_op is None or waits_for(b, *f.wacht_op)


def select(besluiten: Iterable[Besluit], f: Filter, limit: int | None = None) -> list[Besluit]:
    """The besluiten that match, newest first (by their place in the chain)."""
    found = sorted((b for b in besluiten if matches(b, f)), key=lambda b: -b.vastgelegd.seq)
    return found[:limit] if limit is not None else found
