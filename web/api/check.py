"""`POST /api/v1/check`: `maatwerk check --json` over HTTP."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from maatwerk.engine.evaluate.check import check as run_check
from maatwerk.engine.model.findings import Toets
from maatwerk.engine.model.voorstel import Voorstel
from maatwerk.engine.rules.load import voorstel_from_data
from maatwerk.engine.rules.resolve import Effective

from ..auth import current_user
from ..examples import voorstel_body
from ..openapi import errors
from ..people import Person
from .body import json_body

router = APIRouter(tags=["toetsen"])
REF = r"^[a-z0-9][a-z0-9._-]*(@[A-Za-z0-9._-]+)?$"

peildatum_query = Query(None, description="Peildatum (JJJJ-MM-DD); standaard de peildatum, "
                        "aanvraag-, beschikkings- of meldingsdatum uit het voorstel. Nooit de klok.")
ruleset_query = Query(None, max_length=100, pattern=REF, description="Toets tegen deze ruleset "
                      "(id@versie) in plaats van die van de gemeente op de peildatum.",
                      examples=["gm0344-wmo@2016.1"])


def evaluate(request: Request, data, peildatum: dt.date | None, ruleset: str | None,
             explain: bool) -> tuple[Voorstel, Effective, Toets]:
    """Validate a voorstel (JSON data), select its ruleset and check it: as `maatwerk check`."""
    backend = request.app.state.backend
    voorstel = voorstel_from_data(data, "voorstel")
    day, eff = backend.catalog.prepare(voorstel, peildatum, ruleset)
    return voorstel, eff, run_check(eff, voorstel, day, engine=backend.settings.engine,
                                    explain=explain)


@router.post(
    "/check", summary="Toets een voorstel aan de kaders",
    description="Geeft elke afwijking van het voorstel: kader, voorziening, waargenomen waarde, "
                "grens, melding, grondslag en wat afwijken vraagt; hetzelfde JSON als "
                "`maatwerk check --json`. maatwerk blokkeert nooit: ook met afwijkingen is de "
                "status 200. Een ongeldig voorstel geeft 422 met elk probleem en zijn plek.",
    response_model=Toets, responses=errors(401, 404, 415, 422),
    openapi_extra=voorstel_body())
async def check(request: Request, peildatum: dt.date | None = peildatum_query,
                ruleset: str | None = ruleset_query,
                explain: bool = Query(False, description="Geef per afwijking de uitleg: welke "
                                      "waarden, tabelrijen en data haar opleverden."),
                person: Person = Depends(current_user)):
    data = await json_body(request)
    return JSONResponse(evaluate(request, data, peildatum, ruleset, explain)[2].public(explain))
