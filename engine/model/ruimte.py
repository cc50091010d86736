"""What can be promised (ruimte): the room each applicable kader leaves, as data.

Computed by `engine.evaluate.ruimte` from the same kaders and parameters as a check.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .findings import Factor, Grondslag, Out, RulesetRef, Vereist

Soort = Literal["uren", "tarief", "bedrag", "termijn", "eigen_bijdrage", "overig"]
Relatie = Literal["ten hoogste", "minder dan", "ten minste", "meer dan", "gelijk aan", "niet gelijk aan"]


class Ruimte(Out):
    """The room one kader leaves for one kind of voorziening (or for the voorstel)."""

    kader: str
    titel: str
    soort: Soort
    geldt_voor: str = Field(description="Voor welke voorzieningen, in woorden; 'het voorstel' anders")
    productcategorie: str | None = None
    leveringsvormen: list[str] = Field(default_factory=list)
    aanbieders: list[str] = Field(default_factory=list)
    veld: str = Field(description="Het veld dat de consulent invult, bijv. voorziening.tarief")
    relatie: Relatie
    grens: Any = Field(description="De grens in de eenheid van het veld (afgerond naar de veilige kant)")
    eenheid: str | None = None
    grens_kader: Any = Field(None, description="De grens zoals het kader haar rekent")
    eenheid_kader: str | None = None
    datum: str | None = Field(None, description="Voor termijnen: de uiterste (of vroegste) datum")
    tabel: list[dict] = Field(default_factory=list, description="Grens per band, als die van een "
                              "nog onbekende waarde afhangt")
    zin: str
    formule: str | None = Field(None, description="Hoe de grens is opgebouwd, in woorden")
    opbouw: list[Factor] = Field(default_factory=list)
    grondslag: Grondslag
    niveau: str
    vereist: Vereist
    voorbeeld: bool = Field(False, description="Een voorbeeldwaarde (niet geverifieerd) telt mee")
    bron_status: str | None = Field(None, description="Wiens regel: vastgesteld, model (uit een "
                                    "andere gemeente) of voorbeeld")
    origin: str = Field(description="Ruleset (id@versie) waar het kader uit komt")


class Open(Out):
    """A kader the situation already falls outside of: mostly findings still missing."""

    kader: str
    titel: str
    ontbreekt: bool = Field(description="Waar: een gegeven of bevinding ontbreekt nog")
    melding: str
    grondslag: Grondslag
    vereist: Vereist


class RuimteRapport(Out):
    ruleset: RulesetRef
    peildatum: str
    gemeente: str
    wet: str
    ruimte: list[Ruimte]
    open: list[Open]
