"""The ruleset file format: kaders, parameters with values by date, sources, examples.

Conditions and derived values are kept here as plain data (`Json`); `conditions`
parses and type-checks them against the voorstel model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    Field,
    StringConstraints,
    TypeAdapter,
    field_validator,
    model_serializer,
    model_validator,
)

from ..errors import line_of
from .base import Datum, Ident, Model, Naam, Tekst
from .dutch import cents, has_cents_only
from .gronden import GrondCode

Niveau = Literal["wet", "verordening", "beleidsregel", "jurisprudentie", "standaard"]
BronStatus = Literal["vastgesteld", "model", "voorbeeld"]
BRON_STATUS = {"vastgesteld": "vastgesteld door deze gemeente (of landelijk: wet, rechtspraak, standaard)",
               "model": "model uit een andere gemeente: de gemeente moet het nog bevestigen",
               "voorbeeld": "voorbeeld: door geen bron van deze autoriteit gedekt"}
Rol = Literal["teamleider", "gemandateerde", "jurist"]
Json = Any
Waarde = float | int | str | bool | list[str] | list["Band"]

PARAM_NAME = r"^[a-z][a-z0-9_]{0,63}$"
KADER_ID = r"^[a-z][a-z0-9]*(\.[a-z0-9][a-z0-9_-]*)+$"
ParamName = Annotated[str, StringConstraints(pattern=PARAM_NAME)]


class Bron(Model):
    """Een document waar kaders op steunen: wet, verordening, beleidsregel, uitspraak."""

    titel: Naam
    soort: Literal["wet", "amvb", "verordening", "beleidsregel", "uitspraak", "overig"]
    bwb: str | None = Field(None, pattern=r"^BWBR[0-9]{7}$")
    cvdr: str | None = Field(None, pattern=r"^CVDR[0-9]{3,7}$")
    ecli: str | None = Field(None, pattern=r"^ECLI:[A-Z]{2}:[A-Z]+:[0-9]{4}:[A-Z0-9.]+$")
    url: str | None = Field(None, pattern=r"^https?://\S+$")
    datum: Datum | None = None


class Grondslag(Model):
    """Waar een kader of parameter op steunt: een bron met artikel en lid."""

    bron: Ident
    artikel: str | None = Field(None, max_length=40)
    lid: str | None = Field(None, max_length=20)
    onderdeel: str | None = Field(None, max_length=20)
    toelichting: str | None = Field(None, max_length=400)


class Later(Model):
    """A model with fields added after rulesets were first logged.

    Such a field is left out of the dump while it is unset (None), so content that does not
    use it keeps the content hash it was logged under and old besluiten still replay.
    """

    ADDED_LATER: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _without_unset_later_fields(self, handler: Any) -> dict:
        data = handler(self)
        for name in self.ADDED_LATER:
            if data.get(name, 0) is None:
                del data[name]
        return data


class Band(Later):
    """Eén rij van een tabel, met expliciete grenzen.

    Onder: `van` (inclusief, sleutel >= van) of `boven` (exclusief, sleutel > boven).
    Boven: `tot` (exclusief, sleutel < tot) of `tot_en_met` (inclusief, sleutel <= tot_en_met),
    of geen van beide in de laatste rij (open naar boven). `waarde: null` zegt uitdrukkelijk
    dat de tabel voor die sleutels geen waarde geeft (het kader toetst daar niet).
    """

    ADDED_LATER: ClassVar[frozenset[str]] = frozenset({"boven", "tot_en_met"})

    van: float | int | None = None
    boven: float | int | None = None
    tot: float | int | None = None
    tot_en_met: float | int | None = None
    waarde: float | int | None
    label: str | None = Field(None, max_length=120)

    @model_validator(mode="after")
    def _one_bound_each_side(self) -> "Band":
        if (self.van is None) == (self.boven is None):
            raise ValueError("geef precies een ondergrens: van (inclusief) of boven (exclusief)")
        if self.tot is not None and self.tot_en_met is not None:
            raise ValueError("geef hooguit een bovengrens: tot (exclusief) of tot_en_met (inclusief)")
        return self

    @property
    def lower(self) -> tuple[float, bool]:
        """(bound, inclusive)."""
        return (self.van, True) if self.van is not None else (self.boven, False)

    @property
    def upper(self) -> tuple[float | None, bool]:
        """(bound or None for open, inclusive)."""
        return (self.tot_en_met, True) if self.tot_en_met is not None else (self.tot, False)

    def holds(self, key: float) -> bool:
        low, low_in = self.lower
        high, high_in = self.upper
        above = key >= low if low_in else key > low
        below = high is None or (key <= high if high_in else key < high)
        return above and below


_BANDS = TypeAdapter(list[Band])


class ParameterWaarde(Model):
    vanaf: Datum
    waarde: Waarde
    bron: str | None = Field(None, max_length=400, description="Waar deze waarde vandaan komt")

    @field_validator("waarde", mode="wrap")
    @classmethod
    def _table(cls, value: Any, handler: Any) -> Any:
        """A list of mappings is a table: report its rows' errors, not every other type's."""
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            return _BANDS.validate_python(value)
        return handler(value)


class Parameter(Model):
    """Een benoemde waarde met eenheid, grondslag en waarden per datum."""

    omschrijving: Naam
    eenheid: str | None = Field(None, max_length=40)
    grondslag: Grondslag
    voorbeeld: bool = Field(False, description="Niet geverifieerde waarde, alleen als voorbeeld")
    toelichting: str | None = Field(None, max_length=1000)
    waarden: list[ParameterWaarde] = Field(min_length=1, max_length=200)

    def value_on(self, peildatum: dt.date) -> ParameterWaarde | None:
        """The value in force on the peildatum (the last one that started), or None."""
        current = None
        for entry in self.waarden:
            if entry.vanaf <= peildatum:
                current = entry
        return current

    @model_validator(mode="after")
    def _euro_in_cents(self) -> "Parameter":
        """An amount in euro has whole cents, as a voorstel's amounts do (dutch.euro shows it)."""
        for entry in self.waarden if self.eenheid == "EUR" else ():
            w = entry.waarde
            if isinstance(w, (int, float)) and not isinstance(w, bool) and not has_cents_only(w):
                raise ValueError(f"bedrag {w!r} (vanaf {entry.vanaf}) heeft meer dan twee decimalen; "
                                 f"geef het bedrag in hele centen, bijvoorbeeld {cents(w)!r}")
        return self


class Afgeleid(Model):
    """Een afgeleide waarde: een declaratieve berekening over velden en parameters."""

    omschrijving: Naam
    eenheid: str | None = Field(None, max_length=40)
    waarde: Json


class Vereist(Model):
    """Wat afwijken van een kader vraagt: een motivering, soms een akkoord; of correctie
    (`vereist: correctie`) waar de gegevens niet kunnen kloppen, zoals een code die niet
    bestaat: geen motivering dekt die, het voorstel moet verbeterd worden."""

    akkoord: Rol | None = None
    correctie: bool = False

    @model_validator(mode="before")
    @classmethod
    def _word(cls, value: Any) -> Any:
        return {"correctie": True} if value == "correctie" else value

    @model_validator(mode="after")
    def _one(self) -> "Vereist":
        if self.correctie and self.akkoord:
            raise ValueError("correctie en akkoord sluiten elkaar uit; kies een van beide")
        return self


class KaderVoorbeeld(Model):
    """Een voorbeeldgeval: het basisvoorstel met wijzigingen, en of het kader afwijkt."""

    naam: Naam
    wijzig: dict[str, Json] = Field(default_factory=dict)
    peildatum: Datum | None = None
    afwijking: bool
    voorziening: int | None = Field(None, ge=1)
    waargenomen: Json = None
    grens: Json = None


class Kader(Later):
    """Eén toetsbare regel uit wet, verordening, beleidsregel, jurisprudentie of standaard."""

    ADDED_LATER: ClassVar[frozenset[str]] = frozenset({"bron_status", "afwijkbevoegdheid"})

    id: str = Field(pattern=KADER_ID, description="Stabiel over versies heen, bijv. wmo.onderzoek.termijn")
    titel: Naam
    niveau: Niveau
    grondslag: Grondslag
    bron_status: BronStatus | None = Field(None, description="Wiens regel dit is: vastgesteld (door deze autoriteit), model (uit een andere gemeente) of voorbeeld")
    geldt_voor: Literal["voorstel", "voorziening"] = "voorstel"
    als: Json = Field(None, description="Wanneer het kader van toepassing is")
    afwijking_als: Json = Field(description="Wanneer het voorstel buiten het kader valt")
    waargenomen: Json = None
    grens: Json = None
    melding: Tekst = Field(description="Nederlandse melding met {waargenomen} en {grens}")
    vereist: Vereist = Vereist()
    afwijkbevoegdheid: list[GrondCode] | None = Field(
        None, min_length=1, max_length=4,
        description="Bevoegdheden om af te wijken: awb-4:84 (beleidsregel), hardheidsclausule "
                    "(verordening), wmo-2.3.5-lid-3 of jeugdwet-2.3 (maatwerk)")
    toelichting: str | None = Field(None, max_length=2000)
    voorbeelden: list[KaderVoorbeeld] = Field(default_factory=list, max_length=50)


class Autoriteit(Model):
    naam: Naam
    code: str = Field(pattern=r"^(rijk|gm[0-9]{4})$", description="'rijk' of CBS-code gm....")


class VerwachteAfwijking(Model):
    kader: str
    voorziening: int | None = Field(None, ge=1)
    waargenomen: Json = None


class RulesetVoorbeeld(Model):
    """Een volledig voorbeeldgeval: precies deze afwijkingen, niet meer en niet minder."""

    naam: Naam
    voorstel: str | None = Field(None, description="Pad naar een voorstel, relatief aan de ruleset")
    wijzig: dict[str, Json] = Field(default_factory=dict)
    peildatum: Datum | None = None
    afwijkingen: list[VerwachteAfwijking] = Field(default_factory=list)


class Ruleset(Model):
    """De kaders en parameters van één autoriteit voor één geldigheidsperiode."""

    id: Ident = Field(description="Familie, gelijk over versies: bijv. gm0344-wmo")
    titel: Naam
    autoriteit: Autoriteit
    wet: Literal["wmo2015", "jeugdwet"]
    versie: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")
    geldig_vanaf: Datum
    geldig_tot: Datum | None = Field(None, description="Laatste dag waarop deze versie geldt")
    extends: Ident | None = Field(None, description="Id van de wettelijke basis")
    bronnen: dict[str, Bron] = Field(min_length=1)
    parameters: dict[ParamName, Parameter] = Field(default_factory=dict)
    afgeleid: dict[ParamName, Afgeleid] = Field(default_factory=dict)
    kaders: list[Kader] = Field(default_factory=list, max_length=500)
    voorbeeld_voorstel: dict[str, Json] | None = Field(None, description="Basis voor voorbeelden")
    voorbeelden: list[RulesetVoorbeeld] = Field(default_factory=list)

    @model_validator(mode="after")
    def _period(self) -> "Ruleset":
        if self.geldig_tot and self.geldig_tot < self.geldig_vanaf:
            raise ValueError("geldig_tot ligt voor geldig_vanaf")
        return self

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.versie}"

    def in_force(self, peildatum: dt.date) -> bool:
        return self.geldig_vanaf <= peildatum and (self.geldig_tot is None or peildatum <= self.geldig_tot)


@dataclass(frozen=True)
class RulesetFile:
    """A validated ruleset with where it came from, for file:line in later checks."""

    ruleset: Ruleset
    file: str
    lines: dict = field(default_factory=dict, compare=False, repr=False)

    def line(self, loc: tuple) -> int | None:
        return line_of(self.lines, loc) if self.lines else None
