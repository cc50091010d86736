"""The beleidsmedewerker's pages: the rulesets in force per gemeente, one ruleset with its
kaders and parameters, one kader with its source and example cases, the diff of two
versions, and what a (draft) version would mean for the recorded besluiten (impact).

Read-only: every page needs the role beleidsmedewerker. Nothing is computed here:
the diff is `rules.diff`, the impact is `audit.verify.impact_log`, as on the CLI.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from maatwerk.engine.audit.verify import impact_log
from maatwerk.engine.errors import MaatwerkError
from maatwerk.engine.model import dutch
from maatwerk.engine.rules.diff import compact, diff
from starlette.concurrency import run_in_threadpool

from .. import auth
from ..people import Person
from .views import TEMPLATES, vereist

router = APIRouter(include_in_schema=False)
beleid = auth.require_role("beleidsmedewerker")


def _ctx(request: Request, person: Person, titel: str, **extra) -> dict:
    return {"persoon": person, "csrf": auth.csrf_token(request), "actief": "rulesets",
            "titel": titel, **extra}


def _files(request: Request):
    return request.app.state.backend.catalog.files


def _by_ref(request: Request, ref: str):
    try:
        return request.app.state.backend.catalog.by_ref(ref)
    except MaatwerkError:
        return None


def _not_found(request: Request, person: Person, what: str) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "pages/fout.html", _ctx(
        request, person, "Niet gevonden", melding=what), status_code=404)


@router.get("/rulesets", response_class=HTMLResponse)
async def rulesets(request: Request, person: Person = Depends(beleid)):
    groups: dict[str, list[dict]] = {}
    for f in sorted(_files(request), key=lambda f: (f.ruleset.autoriteit.naam, f.ruleset.geldig_vanaf)):
        rs = f.ruleset
        groups.setdefault(f"{rs.autoriteit.naam} ({rs.autoriteit.code})", []).append({
            "ref": rs.ref, "titel": rs.titel, "wet": rs.wet, "vanaf": dutch.date(rs.geldig_vanaf),
            "tot": dutch.date(rs.geldig_tot) if rs.geldig_tot else "open", "kaders": len(rs.kaders),
            "extends": rs.extends or "—"})
    refs = [f.ruleset.ref for f in _files(request)]
    return TEMPLATES.TemplateResponse(request, "pages/rulesets.html", _ctx(
        request, person, "Rulesets", groepen=groups, refs=sorted(refs)))


@router.get("/rulesets/vergelijk", response_class=HTMLResponse)
async def vergelijk(request: Request, oud: str = "", nieuw: str = "",
                    person: Person = Depends(beleid)):
    a, b = _by_ref(request, oud), _by_ref(request, nieuw)
    if a is None or b is None:
        return _not_found(request, person, "Kies twee rulesets die bestaan om te vergelijken.")
    found = diff(a.ruleset, b.ruleset)
    return TEMPLATES.TemplateResponse(request, "pages/vergelijk.html", _ctx(
        request, person, f"{oud} en {nieuw} vergeleken", d=found))


@router.get("/rulesets/{ref}", response_class=HTMLResponse)
async def ruleset(request: Request, ref: str, person: Person = Depends(beleid)):
    f = _by_ref(request, ref)
    if f is None:
        return _not_found(request, person, f"Er is geen ruleset {ref}.")
    rs = f.ruleset
    kaders = [{"id": k.id, "titel": k.titel, "niveau": k.niveau,
               "vereist": vereist(k.vereist.akkoord, k.afwijkbevoegdheid),
               "bron": rs.bronnen[k.grondslag.bron].titel} for k in rs.kaders]
    params = [{"naam": n, "omschrijving": p.omschrijving, "voorbeeld": p.voorbeeld,
               "waarden": [(dutch.date(w.vanaf), compact(w.waarde)) for w in p.waarden],
               "eenheid": p.eenheid or ""} for n, p in rs.parameters.items()]
    return TEMPLATES.TemplateResponse(request, "pages/ruleset.html", _ctx(
        request, person, rs.titel, rs=rs, kaders=kaders, parameters=params))


@router.get("/rulesets/{ref}/kaders/{kader_id}", response_class=HTMLResponse)
async def kader(request: Request, ref: str, kader_id: str, person: Person = Depends(beleid)):
    f = _by_ref(request, ref)
    k = next((k for k in f.ruleset.kaders if k.id == kader_id), None) if f else None
    if k is None:
        return _not_found(request, person, f"Er is geen kader {kader_id} in {ref}.")
    bron = f.ruleset.bronnen[k.grondslag.bron]
    return TEMPLATES.TemplateResponse(request, "pages/kader.html", _ctx(
        request, person, k.titel, rs=f.ruleset, k=k, bron=bron,
        vereist=vereist(k.vereist.akkoord, k.afwijkbevoegdheid),
        als=compact(k.als) if k.als is not None else None, afwijking_als=compact(k.afwijking_als),
        voorbeelden=[{"naam": v.naam, "afwijking": v.afwijking, "wijzig": compact(v.wijzig),
                      "waargenomen": compact(v.waargenomen) if v.waargenomen is not None else "",
                      "grens": compact(v.grens) if v.grens is not None else ""}
                     for v in k.voorbeelden]))


@router.post("/rulesets/{ref}/impact", response_class=HTMLResponse)
async def impact(request: Request, ref: str, person: Person = Depends(beleid)):
    backend = request.app.state.backend
    if _by_ref(request, ref) is None:
        return _not_found(request, person, f"Er is geen ruleset {ref}.")
    form = await request.form()
    since = _date(str(form.get("vanaf") or ""))
    found = await run_in_threadpool(lambda: impact_log(backend.store(), backend.catalog, ref,
                                                       since, None, "python", 1))
    rows = [{"kader": k, **v} for k, v in sorted(found["per_kader"].items())]
    return TEMPLATES.TemplateResponse(request, "pages/impact.html", _ctx(
        request, person, f"Impact van {ref}", ref=ref, found=found, rows=rows))


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None
