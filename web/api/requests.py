"""The request bodies of the API (pydantic, unknown fields refused) and how they are read.

A body is read and validated by the engine's own `validate.to_model`, so an invalid
field gets the same Dutch problem and fix as in a file, with its JSON Pointer. Who acts
is never a field: it comes from the login or the token.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from fastapi import Request
from maatwerk.engine.rules.validate import to_model
from pydantic import BaseModel, ConfigDict, Field

from ..problems import ApiError, problem_errors, sentence
from .body import json_body

M = TypeVar("M", bound=BaseModel)
KADER = r"^[a-z][a-z0-9._-]{0,99}$"
BESLUIT = r"^B-[0-9a-f]{4,12}$"


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MotiveringIn(Body):
    """Een motivering bij een afwijking."""

    kader: str = Field(pattern=KADER, description="Het kader dat afwijkt",
                       examples=["gm0344.hbh.norm"])
    voorziening: int | None = Field(None, ge=1, le=50, description="Voorziening N (vanaf 1) "
                                    "als het kader bij een voorziening afwijkt")
    tekst: str = Field(min_length=1, max_length=4000, description="Waarom hier wordt afgeweken")
    grond: str | None = Field(None, max_length=40, description="awb-4:84, hardheidsclausule, "
                              "wmo-2.3.5-lid-3 of jeugdwet-2.3")
    datum: dt.date | None = Field(None, description="Datum van de motivering zelf (niet in de "
                                  "toekomst); de registratietijd zet het log")


class Vastlegging(Body):
    """Een voorstel om te toetsen en als besluit vast te leggen, met motiveringen."""

    voorstel: dict[str, Any] = Field(description="Het voorstel (dezelfde velden als het bestand; "
                                     "zie Voorstel)")
    motiveringen: list[MotiveringIn] = Field(default_factory=list, max_length=200)
    team: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$",
                             description="Team van de consulent (voor audit report per team)")
    datum: dt.date | None = Field(None, description="Datum van het besluit zelf")


class AfwijkingRef(Body):
    """Welke afwijking: kader en (bij een voorziening) het nummer van de voorziening."""

    kader: str = Field(pattern=KADER, examples=["gm0344.hbh.norm"])
    voorziening: int | None = Field(None, ge=1, le=50)


class AkkoordIn(AfwijkingRef):
    """Een akkoord op de laatste motivering bij een afwijking."""

    datum: dt.date | None = Field(None, description="Datum van het akkoord zelf")


class TerugIn(AfwijkingRef):
    """Een motivering terugsturen, met de reden."""

    reden: str = Field(min_length=1, max_length=4000)


class MeelezenIn(AfwijkingRef):
    """Een collega vragen de motivering mee te lezen (vóór het akkoord)."""

    collega: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$", examples=["m.bakker"])


class OpmerkingIn(AfwijkingRef):
    """De opmerking van de collega die werd gevraagd mee te lezen; nooit een akkoord."""

    tekst: str = Field(min_length=1, max_length=4000)


BODIES = (Vastlegging, MotiveringIn, AkkoordIn, TerugIn, MeelezenIn, OpmerkingIn)


def body_doc(model: type[BaseModel]) -> dict:
    """`openapi_extra` for a route whose JSON body is this model."""
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}}


def reader(model: type[M]):
    """A dependency that reads and validates the body as `model` (422 with every problem)."""

    async def read(request: Request) -> M:
        data = await json_body(request)
        found, problems = to_model(model, data, "verzoek", {}, "verzoek")
        if problems:
            raise ApiError(422, "; ".join(sentence(p) for p in problems[:3]),
                           problem_errors(problems))
        return found
    return read
