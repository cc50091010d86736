"""`GET /api/v1/rulesets…`: `maatwerk ruleset list | show | diff --json` over HTTP."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from maatwerk.engine.evaluate.overview import ruleset_detail, ruleset_rows
from maatwerk.engine.rules.diff import diff as run_diff

from ..auth import current_user
from ..openapi import errors
from ..people import Person

router = APIRouter(tags=["rulesets"])
REF = r"^[a-z0-9][a-z0-9._-]*(@[A-Za-z0-9._-]+)?$"


def ref_path(description: str):
    return Path(description=description, max_length=100, pattern=REF,
                examples=["gm0847-wmo@2024.1"])


@router.get("/rulesets", summary="Alle rulesets", response_model=list[dict[str, Any]],
            description="De rulesets in de map van de server, met geldigheid en aantal kaders; "
                        "als `maatwerk ruleset list --json`.", responses=errors(401))
def rulesets(request: Request, person: Person = Depends(current_user)):
    return ruleset_rows(request.app.state.backend.catalog)


@router.get("/rulesets/{ref}", summary="Eén ruleset: kaders en parameters",
            response_model=dict[str, Any], responses=errors(401, 404),
            description="Alle kaders met grondslag en wat afwijken vraagt, en de parameters met "
                        "hun waarden per datum; als `maatwerk ruleset show REF --json`.")
def ruleset(request: Request, ref: str = ref_path("id@versie, of id voor de nieuwste versie"),
            person: Person = Depends(current_user)):
    return ruleset_detail(request.app.state.backend.catalog, ref)


@router.get("/rulesets/{ref}/diff/{nieuw}", summary="Wat verandert er tussen twee versies",
            response_model=dict[str, Any], responses=errors(401, 404),
            description="Kaders toegevoegd, verwijderd en gewijzigd (voorwaarde, melding, "
                        "grondslag, vereist) en parameters met gewijzigde waarden; als "
                        "`maatwerk ruleset diff REF NIEUW --json`.")
def diff(request: Request, ref: str = ref_path("de oude versie (id@versie)"),
         nieuw: str = ref_path("de nieuwe versie (id@versie)"),
         person: Person = Depends(current_user)):
    cat = request.app.state.backend.catalog
    return run_diff(cat.by_ref(ref).ruleset, cat.by_ref(nieuw).ruleset)
