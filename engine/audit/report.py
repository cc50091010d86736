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
    afwijkend: int = 0                # of those, the besluiten with an afwijking here
    afwijkingen: int = 0
    gemotiveerd: int = 0
    met_akkoord_nodig: int = 0
    akkoorden: int = 0                # afwijkingen whose akkoord counts
    mediaan_uren_tot_akkoord: float | None = None
    gronden: Counter = field(default_factory=Counter)
    herkomst: Counter = field(default_factory=Counter)     # bron_status of the kaders deviated from

    @property
    def aandeel_gemotiveerd(self) -> float:
        return round(self.gemotiveerd / self.afwijkingen, 4) if self.afwijkingen else 0.0

    @property
    def aandeel_afwijkend(self) -> float:
        return round(self.afwijkend / self.toegepast, 4) if self.toegepast else 0.0

    def public(self) -> dict:
        return {"groep": self.naam, "titel": self.titel, "besluiten": self.toegepast,
                "afwijkend": self.afwijkend, "aandeel_afwijkend": self.aandeel_afwijkend,
                "afwijkingen": self.afwijkingen,
                "gemotiveerd": self.gemotiveerd, "aandeel_gemotiveerd": self.aandeel_gemotiveerd,
                "met_akkoord_nodig": self.met_akkoord_nodig,
                "akkoorden": self.akkoorden,
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
            out[sha] = _titles(store, sha)
    return out


def report(besluiten: Iterable[Besluit], by: str = "kader",
           kaders: dict[str, dict[str, str]] | None = None) -> list[Groep]:
    """Groups in a fixed order: most afwijkingen first, then by name. With `kaders` (see
    `kader_titles`), per kader also the besluiten it was in force for and its title.
    The reference computation from folded besluiten; `from_log` gives the same from the
    store's index without reading the besluiten."""
    groups: dict[str, Groep] = {}
    ids: dict[str, set[str]] = {}
    uren: dict[str, list[float]] = {}
    for b in besluiten:
        if by != "kader":
            groups.setdefault(_group_name(b, "", by), Groep(_group_name(b, "", by))).toegepast += 1
        for kader, titel in (kaders or {}).get(b.inhoud.ruleset.sha256, {}).items() if by == "kader" else ():
            g = groups.setdefault(kader, Groep(kader))
            g.titel, g.toegepast = titel, g.toegepast + 1
        for stand in b.standen:
            name = _group_name(b, stand.key[0], by)
            g = groups.setdefault(name, Groep(name))
            ids.setdefault(name, set()).add(b.id)
            _count(g, stand, b, uren.setdefault(name, []))
    for name, g in groups.items():
        g.afwijkend, g.akkoorden = len(ids.get(name, ())), len(uren.get(name, ()))
        g.mediaan_uren_tot_akkoord = _median(uren.get(name))
    return sorted(groups.values(), key=lambda g: (-g.afwijkingen, g.naam))


def _count(g: Groep, stand, b: Besluit, uren: list[float]) -> None:
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
            uren.append((_time(akkoord.tijdstip) - _time(b.vastgelegd.tijdstip)).total_seconds() / 3600)


def _median(values: list[float] | None) -> float | None:
    return round(statistics.median(values), 2) if values else None


def from_log(store, by: str = "kader", chosen: Filter | None = None,
             titles: bool = True) -> tuple[list[Groep], int, int]:
    """(groups, besluiten, afwijkend): the report of `report` summed in the database on the
    store's index (`store.tally`), so no besluit is read. ``titles``: per kader its title
    and the besluiten it was in force for (`report` with `kader_titles`)."""
    f = chosen or Filter()
    t = store.tally(by, f.van and f.van.isoformat(), f.tot and f.tot.isoformat(), f.gemeente,
                    f.team, f.wet)
    groups: dict[str, Groep] = {naam: Groep(naam, toegepast=n, afwijkend=int(has or 0))
                                for naam, n, has in t.per_groep}
    for sha, n in t.per_ruleset if titles else ():
        for kader, titel in _titles(store, sha).items():
            g = groups.setdefault(kader, Groep(kader))
            g.titel, g.toegepast = titel, g.toegepast + n
    for naam, herkomst, grond, motivering, n, eerste, gemotiveerd, vereist in t.delen:
        g = groups.setdefault(naam, Groep(naam))
        g.afwijkingen, g.gemotiveerd = g.afwijkingen + int(n), g.gemotiveerd + int(gemotiveerd)
        g.met_akkoord_nodig += int(vereist)
        g.afwijkend += int(eerste) if by == "kader" else 0
        g.herkomst[herkomst] += int(n)
        if motivering:
            g.gronden[_grond(grond)] += int(n)
    for naam, (n, median) in t.akkoorden.items():
        groups[naam].akkoorden, groups[naam].mediaan_uren_tot_akkoord = n, round(median, 2)
    return sorted(groups.values(), key=lambda g: (-g.afwijkingen, g.naam)), t.besluiten, t.afwijkend


def _titles(store, sha: str) -> dict[str, str]:
    return {k["id"]: k.get("titel") for layer in (store.ruleset(sha) or [])
            for k in layer.get("kaders", [])}


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
    return public(groups, by, chosen, len(besluiten), sum(1 for b in besluiten if b.standen))


def public(groups: list[Groep], by: str, chosen: Filter | None, besluiten: int,
           afwijkend: int) -> dict:
    return {"per": by, "filter": (chosen or Filter()).public(), "besluiten": besluiten,
            "afwijkend": afwijkend, "totaal": totals(groups),
            "groepen": [g.public() for g in groups]}
