"""Impact: what another ruleset version would have meant for past besluiten.

Each besluit's voorstel is evaluated on its own peildatum against the other
ruleset; its parameters are read on that peildatum, or on the ruleset's first day
when the besluit predates it (so a new tariff applies to old cases as it would
have). Per besluit and per kader it reports what is newly flagged, what no longer
is, what changed bound or observed value, and which motivated afwijkingen would
now fall within the kaders.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..evaluate.check import afwijkingen_data
from ..rules.load import voorstel_from_data
from ..rules.resolve import Effective
from .replay import key

NIEUW, VERVALT, GEWIJZIGD = "nieuw", "vervalt", "gewijzigd"


@dataclass
class Wijziging:
    besluit: str
    kader: str
    voorziening: int | None
    soort: str                    # nieuw | vervalt | gewijzigd
    was: dict | None
    wordt: dict | None
    gemotiveerd: bool = False     # the recorded afwijking had a motivering

    def public(self) -> dict:
        return {"besluit": self.besluit, "kader": self.kader, "voorziening": self.voorziening,
                "soort": self.soort, "gemotiveerd": self.gemotiveerd,
                "was": _values(self.was), "wordt": _values(self.wordt)}


def _values(a: dict | None) -> dict | None:
    return None if a is None else {"waargenomen": a.get("waargenomen"), "grens": a.get("grens")}


@dataclass
class Besluitimpact:
    besluit: str
    peildatum: str
    wijzigingen: list[Wijziging] = field(default_factory=list)


def changes(besluit: str, recorded: list[dict], now: list[dict],
            motivated: set[tuple[str, Any]]) -> list[Wijziging]:
    old = {key(a): a for a in recorded}
    new = {key(a): a for a in now}
    out = []
    for k, a in old.items():
        if k not in new:
            out.append(Wijziging(besluit, k[0], k[1], VERVALT, a, None, k in motivated))
        elif (a.get("waargenomen"), a.get("grens")) != (new[k].get("waargenomen"), new[k].get("grens")):
            out.append(Wijziging(besluit, k[0], k[1], GEWIJZIGD, a, new[k], k in motivated))
    out += [Wijziging(besluit, k[0], k[1], NIEUW, None, a) for k, a in new.items() if k not in old]
    return out


def evaluate(eff: Effective, besluit: str, voorstel_data: dict, peildatum: str,
             recorded: list[dict], motivated: set, engine: str = "python") -> Besluitimpact:
    day = dt.date.fromisoformat(peildatum)
    voorstel = voorstel_from_data(voorstel_data, f"<besluit {besluit}>")
    now = afwijkingen_data(eff, voorstel, day, engine)   # parameters by the one rule (see check)
    return Besluitimpact(besluit, peildatum, changes(besluit, recorded, now, motivated))


def per_kader(results: Iterable[Besluitimpact]) -> dict[str, dict[str, int]]:
    """Counts per kader: nieuw, vervalt, gewijzigd, and motivated ones that vervallen."""
    counts: dict[str, Counter] = {}
    for result in results:
        for w in result.wijzigingen:
            c = counts.get(w.kader)
            if c is None:
                c = counts[w.kader] = Counter()
            c[w.soort] += 1
            if w.soort == VERVALT and w.gemotiveerd:
                c["gemotiveerd_vervalt"] += 1
    return {k: {s: c.get(s, 0) for s in (NIEUW, VERVALT, GEWIJZIGD, "gemotiveerd_vervalt")}
            for k, c in sorted(counts.items())}
