"""The result of a check: afwijkingen, each with what deviating from it needs."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_serializer


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Vereist(Out):
    akkoord: str | None = Field(None, description="Rol die akkoord moet geven, of null")
    correctie: bool = Field(False, description="Alleen correctie van het voorstel lost dit op; "
                            "geen motivering (alleen in JSON als true)")
    bevoegdheid: list[str] | None = Field(None, description="Bevoegdheden die afwijken toestaan "
                                          "(awb-4:84, hardheidsclausule, ...); alleen in JSON als "
                                          "het kader ze noemt")

    @model_serializer(mode="wrap")
    def _plain(self, handler):
        data = handler(self)
        if not self.correctie:
            data.pop("correctie", None)
        if self.bevoegdheid is None:
            data.pop("bevoegdheid", None)
        return data


class Grondslag(Out):
    document: str
    artikel: str | None = None
    lid: str | None = None
    onderdeel: str | None = None
    bwb: str | None = None
    cvdr: str | None = None
    ecli: str | None = None
    url: str | None = None

    def citation(self) -> str:
        parts = [self.document]
        if self.artikel:
            parts.append(f"art. {self.artikel}")
        if self.lid:
            parts.append(f"lid {self.lid}")
        if self.onderdeel:
            parts.append(f"onder {self.onderdeel}")
        text = " ".join(parts[1:])
        head = f"{parts[0]}, {text}" if text else parts[0]
        return f"{head} ({self.ecli})" if self.ecli else head


class Factor(Out):
    """One input that produced an afwijking: a field, parameter, table row or date."""

    naam: str
    waarde: Any
    eenheid: str | None = None
    bron: str | None = None
    toelichting: str | None = None


class Uitleg(Out):
    zin: str
    factoren: list[Factor]


class Afwijking(Out):
    kader: str
    voorziening: int | None = Field(None, description="1-based index, null voor het voorstel")
    waargenomen: Any = None
    grens: Any = None
    eenheid: str | None = Field(None, description="Eenheid van waargenomen en grens (EUR, uur/jaar, …)")
    melding: str
    grondslag: Grondslag
    niveau: str
    bron_status: str | None = Field(None, description="vastgesteld, model of voorbeeld")
    herkomst: str | None = Field(None, description="Wiens regel dit is, in woorden")
    vereist: Vereist
    uitleg: Uitleg | None = None

    def key(self) -> tuple[str, int | None]:
        return self.kader, self.voorziening


class RulesetRef(Out):
    id: str
    version: str
    sha256: str


class Toets(Out):
    """One check: which ruleset, which peildatum, which afwijkingen."""

    ruleset: RulesetRef
    peildatum: str
    afwijkingen: list[Afwijking]

    def public(self, explain: bool = False) -> dict:
        data = self.model_dump(mode="json")
        if not explain:
            for a in data["afwijkingen"]:
                a.pop("uitleg", None)
        return data
