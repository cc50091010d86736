"""Report: which kaders practice keeps deviating from, and how deviations are handled.

From the folded besluiten: per group (kader, maand, team or consulent) how many
afwijkingen, the share motivated (a motivering and the akkoord the kader asks),
the legal grounds used, and the median time from besluit to akkoord.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from ..log.besluit import GRONDEN, Besluit

GROUPINGS = ("kader", "maand", "team", "consulent")


@dataclass
class Groep:
    naam: str
    besluiten: set[str] = field(default_factory=set)
    afwijkingen: int = 0
    gemotiveerd: int = 0
    met_akkoord_nodig: int = 0
    akkoord_uren: list[float] = field(default_factory=list)
    gronden: Counter = field(default_factory=Counter)
    herkomst: Counter = field(default_factory=Counter)     # bron_status of the kaders deviated from

    @property
    def aandeel_gemotiveerd(self) -> float:
        return round(self.gemotiveerd / self.afwijkingen, 4) if self.afwijkingen else 0.0

    @property
    def mediaan_uren_tot_akkoord(self) -> float | None:
        return round(statistics.median(self.akkoord_uren), 2) if self.akkoord_uren else None

    def public(self) -> dict:
        return {"groep": self.naam, "besluiten": len(self.besluiten), "afwijkingen": self.afwijkingen,
                "gemotiveerd": self.gemotiveerd, "aandeel_gemotiveerd": self.aandeel_gemotiveerd,
                "met_akkoord_nodig": self.met_akkoord_nodig,
                "akkoorden": len(self.akkoord_uren),
                "mediaan_uren_tot_akkoord": self.mediaan_uren_tot_akkoord,
                "gronden": dict(sorted(self.gronden.items())),
                "herkomst": dict(sorted(self.herkomst.items()))}


def _grond(code: str | None) -> str:
    if not code:
        return "geen grond genoemd"
    return GRONDEN[code][0] if code in GRONDEN else code


def _time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def _group_name(b: Besluit, kader: str, by: str) -> str:
    if by == "kader":
        return kader
    if by == "maand":
        return b.vastgelegd.tijdstip[:7]
    if by == "team":
        return b.inhoud.team or "(geen team)"
    return b.vastgelegd.door


def report(besluiten: Iterable[Besluit], by: str = "kader") -> list[Groep]:
    """Groups in a fixed order: most afwijkingen first, then by name."""
    groups: dict[str, Groep] = {}
    for b in besluiten:
        for stand in b.standen:
            name = _group_name(b, stand.key[0], by)
            g = groups.setdefault(name, Groep(name))
            g.besluiten.add(b.id)
            g.afwijkingen += 1
            g.herkomst[stand.afwijking.get("bron_status") or "onbekend"] += 1
            if not stand.ontbreekt:
                g.gemotiveerd += 1
            if stand.laatste is not None:
                g.gronden[_grond(stand.laatste.payload.get("grond"))] += 1
            if stand.vereist:
                g.met_akkoord_nodig += 1
                akkoord = stand.geldig()
                if akkoord is not None:
                    hours = (_time(akkoord.tijdstip) - _time(b.vastgelegd.tijdstip)).total_seconds() / 3600
                    g.akkoord_uren.append(hours)
    return sorted(groups.values(), key=lambda g: (-g.afwijkingen, g.naam))


def totals(groups: list[Groep]) -> dict:
    n = sum(g.afwijkingen for g in groups)
    motivated = sum(g.gemotiveerd for g in groups)
    return {"afwijkingen": n, "gemotiveerd": motivated,
            "aandeel_gemotiveerd": round(motivated / n, 4) if n else 0.0}


def report_public(besluiten: list[Besluit], by: str = "kader") -> dict:
    """The report as data: `audit report --json` and `GET /api/v1/audit/rapport`."""
    groups = report(besluiten, by)
    return {"per": by, "besluiten": len(besluiten), "totaal": totals(groups),
            "groepen": [g.public() for g in groups]}
