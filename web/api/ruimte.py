"""`POST /api/v1/ruimte`: `maatwerk ruimte --json` over HTTP (wat kan ik toezeggen?).

POST only: the situation is client data, and client data never travel in a URL.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from maatwerk.engine.evaluate.ruimte import ruimte as run_ruimte
from maatwerk.engine.model.ruimte import RuimteRapport
from maatwerk.engine.model.voorstel import Situatie
from maatwerk.engine.rules.load import voorstel_from_data
from starlette.concurrency import run_in_threadpool

from ..auth import current_user
from ..examples import voorstel_body
from ..openapi import ERRORS
from ..people import Person
from .body import json_body
from .check import peildatum_query, ruleset_query

router = APIRouter(tags=["toetsen"])


def rapport(request: Request, data, peildatum: dt.date | None, ruleset: str | None) -> dict:
    backend = request.app.state.backend
    situatie = voorstel_from_data(data, "situatie", kind=Situatie)
    day, eff = backend.catalog.prepare(situatie, peildatum, ruleset)
    found = run_ruimte(eff, situatie, day, engine=backend.settings.engine)
    return found.model_dump(mode="json")


@router.post(
    "/ruimte", summary="Wat kan ik toezeggen? De ruimte die elk kader laat",
    description="Voor het huishouden en de situatie tot nu toe (een voorstel waarin de "
                "voorzieningen mogen ontbreken): per kader de grens die het laat (de norm voor "
                "hulp bij het huishouden in uren per week met de opbouw, het hoogste pgb-tarief "
                "per soort aanbieder, de eigen bijdrage, de termijnen met datum), met bron, en "
                "wat in het onderzoek nog ontbreekt. Hetzelfde JSON als `maatwerk ruimte "
                "--json`; berekend uit dezelfde kaders als een toets.",
    response_model=RuimteRapport, responses=ERRORS, openapi_extra=voorstel_body())
async def ruimte(request: Request, peildatum: dt.date | None = peildatum_query,
                 ruleset: str | None = ruleset_query, person: Person = Depends(current_user)):
    data = await json_body(request)
    return JSONResponse(await run_in_threadpool(rapport, request, data, peildatum, ruleset))
