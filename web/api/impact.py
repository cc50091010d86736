"""`POST /api/v1/impact`: `maatwerk audit impact --parameter NAAM=WAARDE --vanaf DATUM --json`.

The beleidsmedewerker's question: what would this ruleset, with one parameter set to a
draft value from a day on, mean for the recorded besluiten? Answered from fact columns kept
in memory (`engine/audit/live.py`): the first question for a log reads it, every next value
is answered from the columns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from maatwerk.engine.audit.live import draft_impact
from pydantic import BaseModel, ConfigDict, Field

from ..auth import require_role
from ..openapi import errors
from ..people import Person

router = APIRouter(tags=["audit"])
IMPACT_ROLES = ("beleidsmedewerker", "auditor", "beheerder")
REF = r"^[a-z0-9][a-z0-9._-]*(@[A-Za-z0-9._-]+)?$"


class Concept(BaseModel):
    """Een conceptwaarde voor één parameter van een ruleset."""

    model_config = ConfigDict(extra="forbid")

    ruleset: str = Field(max_length=100, pattern=REF, description="De ruleset (id@versie).",
                         examples=["gm0344-wmo@2016.1"])
    parameter: str = Field(max_length=64, pattern=r"^[a-z][a-z0-9_]{0,63}$",
                           description="De naam van de parameter.", examples=["hbh_basis_uren"])
    waarde: float | int | bool | list[str] | str = Field(
        description="De conceptwaarde: een getal (ook als tekst met komma), ja/nee of een lijst.",
        examples=[100])
    vanaf: dt.date | None = Field(None, description="Vanaf deze datum (standaard de eerste dag "
                                  "van de ruleset).")
    max_besluiten: int = Field(100, ge=0, le=10_000, description="Hoogstens zoveel besluiten in "
                               "per_besluit; per_kader telt ze altijd allemaal.")


@router.post("/impact", summary="Impact van een conceptwaarde voor een parameter",
             response_model=dict[str, Any], responses=errors(401, 403, 404, 422),
             description="Wat betekent deze ruleset, met één parameter op een conceptwaarde "
                         "vanaf een datum, voor de vastgelegde besluiten: per kader nieuw "
                         "afwijkend, niet meer afwijkend en gewijzigd; als `maatwerk audit "
                         "impact --parameter NAAM=WAARDE --vanaf DATUM --json`. Er wordt niets "
                         "geschreven. Vraagt de rol beleidsmedewerker, auditor of beheerder.")
def impact(request: Request, concept: Concept,
           person: Person = Depends(require_role(*IMPACT_ROLES))):
    backend = request.app.state.backend
    return draft_impact(backend.served.db, backend.catalog, concept.ruleset, concept.parameter,
                        concept.waarde, concept.vanaf, concept.max_besluiten)
