"""The auditor's pages: verify the chain, the kader-drift report with its charts, and the
replay of one besluit. Read-only; every page needs the role auditor. The figures are
`audit.verify.verify_log`, `audit.report.report` and `audit.verify.replay_log`, as on the CLI.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from maatwerk.engine.audit.report import from_log, totals
from maatwerk.engine.audit.verify import replay_log, verify_log
from maatwerk.engine.errors import MaatwerkError
from starlette.concurrency import run_in_threadpool

from .. import auth
from ..people import Person
from .charts import bars
from .views import TEMPLATES

router = APIRouter(include_in_schema=False)
auditor = auth.require_role("auditor")
INDELINGEN = {"kader": "per kader", "maand": "per maand", "team": "per team",
              "consulent": "per consulent"}


def _ctx(request: Request, person: Person, titel: str, **extra) -> dict:
    return {"persoon": person, "csrf": auth.csrf_token(request), "actief": "audit",
            "titel": titel, **extra}


@router.get("/audit", response_class=HTMLResponse)
async def verify(request: Request, person: Person = Depends(auditor)):
    backend = request.app.state.backend
    try:    # a connection belongs to its thread: take it in the worker thread
        found, fout = await run_in_threadpool(lambda: verify_log(backend.store())), None
    except MaatwerkError as exc:
        found, fout = None, exc.first.what + (f"; {exc.first.hint}" if exc.first.hint else "")
    return TEMPLATES.TemplateResponse(request, "pages/audit.html", _ctx(
        request, person, "Controle van het besluitenlog", found=found, fout=fout),
        status_code=200)


def _report(backend, by: str) -> tuple[list[dict], dict]:
    groups, _, _ = from_log(backend.store(), by, titles=False)
    return [g.public() for g in groups], totals(groups)


@router.get("/audit/rapport", response_class=HTMLResponse)
async def rapport(request: Request, per: str = "kader", person: Person = Depends(auditor)):
    per = per if per in INDELINGEN else "kader"
    rows, total = await run_in_threadpool(_report, request.app.state.backend, per)
    chart = bars([(r["groep"], r["afwijkingen"], r["gemotiveerd"]) for r in rows[:25]],
                 f"Afwijkingen {INDELINGEN[per]}, en hoeveel daarvan gemotiveerd")
    return TEMPLATES.TemplateResponse(request, "pages/rapport.html", _ctx(
        request, person, "Rapport: waar wijkt de praktijk af?", rows=rows, totaal=total,
        per=per, indelingen=INDELINGEN, grafiek=chart))


@router.get("/audit/besluiten/{besluit}/replay", response_class=HTMLResponse)
async def replay(request: Request, besluit: str, person: Person = Depends(auditor)):
    backend = request.app.state.backend
    try:
        found = await run_in_threadpool(lambda: replay_log(backend.store(), besluit, "python", 1,
                                                           backend.served.db))
    except MaatwerkError as exc:
        return TEMPLATES.TemplateResponse(request, "pages/fout.html", _ctx(
            request, person, "Niet gevonden", melding=exc.first.what), status_code=404)
    return TEMPLATES.TemplateResponse(request, "pages/replay.html", _ctx(
        request, person, f"Besluit {besluit} opnieuw getoetst", besluit=besluit, found=found))


@router.get("/audit/besluit", response_class=HTMLResponse)
async def replay_form(request: Request, besluit: str = "", person: Person = Depends(auditor)):
    """The form on /audit names a besluit; its replay has its own address."""
    from urllib.parse import quote

    from fastapi.responses import RedirectResponse
    target = besluit.strip()[:64]
    return RedirectResponse(f"/audit/besluiten/{quote(target, safe='')}/replay", status_code=303)
