"""Report: which kaders practice keeps deviating from, and how deviations are handled.

From the folded besluiten: per group (kader, maand, team or consulent) how many
besluiten it covers (per kader: the besluiten whose pinned ruleset holds the kader),
how many of those deviated and that share, the afwijkingen, the share motivated (a
motivering and the akkoord the kader asks), the legal grounds used, and the median
time from besluit to akkoord. A `Filter` selects besluiten by period, gemeente, team
and wet, for every format alike.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from ..log.besluit import GRONDEN, Besluit
from ..model import dutch

GROUPINGS = ("kader", "maand", "team", "consulent")


@dataclass(frozen=True)
class Filter:
    """Which besluiten a report covers: registered from `van` up to and including `tot`
    (dates in Europe/Amsterdam), of one gemeente, team or wet; None means any."""

    van: dt.date | None = None
    tot: dt.date | None = None
    gemeente: str | None = None
    team: str | None = None
    wet: str | None = None

    def keeps(self, b: Besluit) -> bool:
        voorstel, day = b.inhoud.voorstel, dutch.local(b.vastgelegd.tijdstip).date()
        return ((self.van is None or day >= self.van) and (self.tot is None or day <= self.tot)
                and self.gemeente in (None, voorstel.get("gemeente"))
                and self.team in (None, b.inhoud.team) and self.wet in (None, voorstel.get("wet")))

    def describe(self) -> str:
        """In words, for a report's heading ('' when everything is included)."""
        parts = []
        if self.van or self.tot:
            parts.append("vastgelegd" + (f" vanaf {dutch.date(self.van)}" if self.van else "")
                         + (f" tot en met {dutch.date(self.tot)}" if self.tot else ""))
        parts += [f"{name} {value}" for name, value in (("gemeente", self.gemeente), ("team", self.team),
                                                         ("wet", self.wet)) if value]
        return " · ".join(parts)

    def public(self) -> dict:
        return {"van": self.van and self.van.isoformat(), "tot": self.tot and self.tot.isoformat(),
                "gemeente": self.gemeente, "team": self.team, "wet": self.wet}


@dataclass
class Groep:
    naam: str
    titel: str | None = None          # the kader's title, when grouped by kader
    toegepast: int = 0                # besluiten this group covers (per kader: in force for)
    besluiten: set[str] = field(default_factory=set)     # those with an afwijking here
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
    def aandeel_afwijkend(self) -> float:
        return round(len(self.besluiten) / self.toegepast, 4) if self.toegepast else 0.0

    @property
    def mediaan_uren_tot_akkoord(self) -> float | None:
        return round(statistics.median(self.akkoord_uren), 2) if self.akkoord_uren else None

    def public(self) -> dict:
        return {"groep": self.naam, "titel": self.titel, "besluiten": self.toegepast,
                "afwijkend": len(self.besluiten), "aandeel_afwijkend": self.aandeel_afwijkend,
                "afwijkingen": self.afwijkingen,
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


def kader_titles(store, besluiten: Iterable[Besluit]) -> dict[str, dict[str, str]]:
    """Per pinned ruleset (content hash): its kaders, id -> titel, base layer first."""
    out: dict[str, dict[str, str]] = {}
    for b in besluiten:
        sha = b.inhoud.ruleset.sha256
        if sha not in out:
            out[sha] = {k["id"]: k.get("titel") for layer in (store.ruleset(sha) or [])
                        for k in layer.get("kaders", [])}
    return out


def report(besluiten: Iterable[Besluit], by: str = "kader",
           kaders: dict[str, dict[str, str]] | None = None) -> list[Groep]:
    """Groups in a fixed order: most afwijkingen first, then by name. With `kaders` (see
    `kader_titles`), per kader also the besluiten it was in force for and its title."""
    groups: dict[str, Groep] = {}
    for b in besluiten:
        if by != "kader":
            groups.setdefault(_group_name(b, "", by), Groep(_group_name(b, "", by))).toegepast += 1
        for kader, titel in (kaders or {}).get(b.inhoud.ruleset.sha256, {}).items() if by == "kader" else ():
            g = groups.setdefault(kader, Groep(kader))
            g.titel, g.toegepast = titel, g.toegepast + 1
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


def report_public(besluiten: list[Besluit], by: str = "kader",
                  kaders: dict[str, dict[str, str]] | None = None,
                  chosen: Filter | None = None) -> dict:
    """The report as data: `audit report --json` and `GET /api/v1/audit/rapport`; the
    besluiten are those `chosen` keeps (the caller filters), `kaders` from `kader_titles`."""
    groups = report(besluiten, by, kaders)
    return {"per": by, "filter": (chosen or Filter()).public(), "besluiten": len(besluiten),
            "afwijkend": sum(1 for b in besluiten if b.standen), "totaal": totals(groups),
            "groepen": [g.public() for g in groups]}
