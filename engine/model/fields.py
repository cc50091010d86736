"""The catalogue of paths a condition may name, with their types.

Paths come from the voorstel model (`voorstel.*`, `voorziening.*`) plus a few
computed fields (age on the peildatum, hours per week, ...). Every path in a
ruleset is checked against this catalogue at load time, so a misspelt path is a
load error, never a kader that silently never fires.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from dataclasses import dataclass
from typing import Any, Callable, Literal

from pydantic import BaseModel

from .voorstel import Hbh, Voorstel, Voorziening

NUMBER, TEXT, DATE, BOOL, LIST, TABLE = "getal", "tekst", "datum", "ja/nee", "lijst", "tabel"


@dataclass(frozen=True)
class FieldSpec:
    path: str
    type: str
    description: str = ""
    enum: tuple[str, ...] | None = None
    unit: str | None = None
    compute: Callable[[Voorstel, Voorziening | None, dt.date], Any] | None = None

    @property
    def scope(self) -> str:
        return "voorziening" if self.path.startswith("voorziening.") else "voorstel"


def _unwrap(annotation: Any) -> Any:
    """Strip Optional and Annotated from a field annotation."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _kind(annotation: Any) -> tuple[str, tuple[str, ...] | None]:
    if typing.get_origin(annotation) is Literal:
        return TEXT, tuple(str(a) for a in typing.get_args(annotation))
    if typing.get_origin(annotation) is list:
        item = _unwrap(typing.get_args(annotation)[0])
        return LIST, (tuple(typing.get_args(item)) if typing.get_origin(item) is Literal else None)
    if annotation is bool:
        return BOOL, None
    if annotation in (int, float):
        return NUMBER, None
    if annotation is dt.date:
        return DATE, None
    return TEXT, None


def _walk(model: type[BaseModel], prefix: str, skip: set[str]) -> list[FieldSpec]:
    specs: list[FieldSpec] = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        annotation = _unwrap(info.annotation)
        path = f"{prefix}.{name}"
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            specs.extend(_walk(annotation, path, set()))
            continue
        kind, enum = _kind(annotation)
        specs.append(FieldSpec(path, kind, info.description or "", enum))
    return specs


def _age(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


_PER_WEEK = {"1": 7.0, "2": 1.0, "4": 12.0 / 52.0}
_HOURS = {"01": 1.0 / 60.0, "04": 1.0}


def _hours_per_week(v: Voorziening) -> float | None:
    if v.volume is None or v.eenheid not in _HOURS or v.frequentie not in ("1", "2", "4", "6"):
        return None
    if v.frequentie == "6":
        weeks = _weeks(v)
        return None if not weeks else v.volume * _HOURS[v.eenheid] / weeks
    return v.volume * _HOURS[v.eenheid] * _PER_WEEK[v.frequentie]


def _weeks(v: Voorziening) -> float | None:
    if v.begindatum is None or v.einddatum is None:
        return None
    return ((v.einddatum - v.begindatum).days + 1) / 7.0


def _units_per_year(v: Voorziening) -> float | None:
    if v.volume is None or v.frequentie not in ("1", "2", "4", "6"):
        return None
    if v.frequentie == "6":
        weeks = _weeks(v)
        return None if not weeks else v.volume * 52.0 / weeks
    return v.volume * _PER_WEEK[v.frequentie] * 52.0


def _amount_per_year(v: Voorziening) -> float | None:
    units = _units_per_year(v)
    return None if units is None or v.tarief is None else units * v.tarief


_EXTRA_INZET = {"geen": 0, "enig": 1, "veel": 2}


def _hbh(v: Voorziening | None):
    """The HbH norm factors of a voorziening; the defaults when none were given."""
    return Hbh() if v is None or v.hbh is None else v.hbh


def _partner_age(s: Voorstel, on: dt.date) -> int | None:
    partner = s.huishouden.partner
    return _age(partner.geboortedatum, on) if partner else None


def _months(born: dt.date | None, on: dt.date) -> int | None:
    """Whole months of age on a date (66 jaar en 4 maanden = 796), as the AOW-leeftijd counts."""
    if born is None:
        return None
    return (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)


def _oldest_child(s: Voorstel, on: dt.date) -> int | None:
    ages = [_age(born, on) for born in s.huishouden.geboortedata_inwonende_kinderen]
    return max(ages) if ages else None


COMPUTED = [
    FieldSpec("peildatum", DATE, "De peildatum van de toets", compute=lambda s, v, d: d),
    FieldSpec("voorstel.client.leeftijd", NUMBER, "Leeftijd van de cliënt op de peildatum",
              unit="jaar", compute=lambda s, v, d: _age(s.client.geboortedatum, d)),
    FieldSpec("voorstel.huishouden.partner.leeftijd", NUMBER,
              "Leeftijd van de partner op de peildatum", unit="jaar",
              compute=lambda s, v, d: _partner_age(s, d)),
    FieldSpec("voorstel.client.leeftijd_maanden", NUMBER,
              "Leeftijd van de cliënt op de peildatum in hele maanden", unit="maanden",
              compute=lambda s, v, d: _months(s.client.geboortedatum, d)),
    FieldSpec("voorstel.huishouden.partner.leeftijd_maanden", NUMBER,
              "Leeftijd van de partner op de peildatum in hele maanden", unit="maanden",
              compute=lambda s, v, d: _months(s.huishouden.partner.geboortedatum, d)
              if s.huishouden.partner else None),
    FieldSpec("voorstel.huishouden.oudste_inwonend_kind_leeftijd", NUMBER,
              "Leeftijd van het oudste inwonende kind op de peildatum", unit="jaar",
              compute=lambda s, v, d: _oldest_child(s, d)),
    FieldSpec("voorstel.huishouden.partner.aanwezig", BOOL, "Er is een partner in het huishouden",
              compute=lambda s, v, d: s.huishouden.partner is not None),
    FieldSpec("voorstel.aantal_voorzieningen", NUMBER, "Aantal voorzieningen in het voorstel",
              compute=lambda s, v, d: len(s.voorzieningen)),
    FieldSpec("voorziening.uren_per_week", NUMBER, "Uren per week (eenheid minuut of uur)",
              unit="uur/week", compute=lambda s, v, d: _hours_per_week(v)),
    FieldSpec("voorziening.uren_per_jaar", NUMBER, "Uren per jaar (52 weken)", unit="uur/jaar",
              compute=lambda s, v, d: (lambda h: None if h is None else h * 52.0)(_hours_per_week(v))),
    FieldSpec("voorziening.duur_dagen", NUMBER, "Dagen van begindatum tot en met einddatum",
              unit="dagen", compute=lambda s, v, d: (
                  None if not (v.begindatum and v.einddatum) else (v.einddatum - v.begindatum).days + 1)),
    FieldSpec("voorziening.bedrag_per_jaar", NUMBER, "Tarief maal eenheden per jaar", unit="EUR",
              compute=lambda s, v, d: _amount_per_year(v)),
    FieldSpec("voorziening.aanbieder_is_netwerk", BOOL,
              "Aanbieder komt uit het sociaal netwerk of is een huisgenoot",
              compute=lambda s, v, d: (v.aanbieder is not None
                                       and v.aanbieder.soort in ("sociaal_netwerk", "huisgenoot"))),
    # Numeric keys of the HbH norm factors, for `lookup` tables and `mul` in a derived norm.
    # Without an hbh block they take the defaults (geen extra inzet, 0 kamers, ...).
    FieldSpec("voorziening.hbh.extra_inzet_niveau", NUMBER,
              "Extra inzet door beperkingen als getal: 0 geen, 1 enig, 2 veel",
              compute=lambda s, v, d: _EXTRA_INZET[_hbh(v).extra_inzet]),
    FieldSpec("voorziening.hbh.samenstelling_huishouden_telt", NUMBER,
              "1 als de samenstelling van het huishouden extra inzet vraagt, anders 0",
              compute=lambda s, v, d: int(_hbh(v).samenstelling_huishouden)),
    FieldSpec("voorziening.hbh.eigen_mogelijkheden_telt", NUMBER,
              "1 als cliënt of netwerk een deel van het huishouden zelf kan doen, anders 0",
              compute=lambda s, v, d: int(_hbh(v).eigen_mogelijkheden)),
    FieldSpec("voorziening.hbh.extra_kamers", NUMBER,
              "Extra kamers in gebruik (0 zonder hbh-gegevens)",
              compute=lambda s, v, d: _hbh(v).extra_kamers_in_gebruik),
]

_UNITS = {"voorziening.tarief": "EUR", "voorziening.zin_tarief": "EUR", "voorziening.kostprijs": "EUR",
          "voorziening.eigen_bijdrage_totaal": "EUR", "voorstel.eigen_bijdrage.bedrag": "EUR",
          "voorziening.woon.kosten": "EUR", "voorziening.vervoer.km_per_jaar": "km/jaar",
          "voorziening.vervoer.zone_km": "km"}


def _build() -> dict[str, FieldSpec]:
    specs = _walk(Voorstel, "voorstel", {"voorzieningen", "motiveringen", "peildatum"})
    specs += _walk(Voorziening, "voorziening", set())
    catalogue = {s.path: s for s in specs}
    for path, unit in _UNITS.items():
        s = catalogue[path]
        catalogue[path] = FieldSpec(s.path, s.type, s.description, s.enum, unit)
    catalogue.update({s.path: s for s in COMPUTED})
    return catalogue


CATALOGUE: dict[str, FieldSpec] = _build()


def suggest(name: str, candidates: typing.Iterable[str]) -> str | None:
    """The closest candidate, for a 'did you mean' hint."""
    match = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return match[0] if match else None


def read(spec: FieldSpec, voorstel: Voorstel, voorziening: Voorziening | None,
         peildatum: dt.date) -> Any:
    """The value of one catalogued path for a voorstel (and one voorziening), or None."""
    if spec.compute is not None:
        return spec.compute(voorstel, voorziening, peildatum)
    root, *parts = spec.path.split(".")
    obj: Any = voorstel if root == "voorstel" else voorziening
    for part in parts:
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj
