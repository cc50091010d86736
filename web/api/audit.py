"""`GET /api/v1/audit/…`: `maatwerk audit verify | report --json` over HTTP."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from maatwerk.engine.audit.report import from_log, public
from maatwerk.engine.audit.verify import verify_log

from ..auth import require_role
from ..openapi import errors
from ..people import Person

router = APIRouter(tags=["audit"])
AUDIT_ROLES = ("auditor", "beheerder")
REPORT_ROLES = ("auditor", "beleidsmedewerker", "teamleider", "beheerder")


@router.get("/audit/verify", summary="Controleer de hashketen", response_model=dict[str, Any],
            responses=errors(401, 403, 409),
            description="Herberekent de hele keten; 409 met de eerste gebroken gebeurtenis als "
                        "iets is gewijzigd. Bewaar de kop (SEQ:HASH) en geef hem een volgende keer "
                        "mee als `kop`: dan valt ook een afgeknipt einde op. Als `maatwerk audit "
                        "verify --json`. Vraagt de rol auditor of beheerder.")
def verify(request: Request, kop: str | None = Query(
        None, max_length=200, description="De kop van een eerdere verify (SEQ:HASH)."),
        person: Person = Depends(require_role(*AUDIT_ROLES))):
    return verify_log(request.app.state.backend.store(), kop)


@router.get("/audit/report", summary="Hoe vaak wordt van welk kader afgeweken",
            response_model=dict[str, Any], responses=errors(401, 403),
            description="Per kader, maand, team of consulent: afwijkingen, aandeel gemotiveerd, "
                        "gronden en de mediane tijd tot akkoord; als `maatwerk audit report "
                        "--json`. Vraagt de rol auditor, beleidsmedewerker, teamleider of "
                        "beheerder.")
def report(request: Request, per: Literal["kader", "maand", "team", "consulent"] = Query(
        "kader", description="Waarop groeperen."),
        person: Person = Depends(require_role(*REPORT_ROLES))):
    groups, n, afwijkend = from_log(request.app.state.backend.store(), per, titles=False)
    return public(groups, per, None, n, afwijkend)
