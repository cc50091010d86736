"""The consulent's pages: nieuw voorstel with its toets (live while typing), reading a
voorstel from a case system's JSON or a YAML file, and *wat kan ik toezeggen?*.

Every page needs a login with the role consulent; every form carries the session's
CSRF token (checked by `auth.current_user`). Client data travel in POST bodies only,
never in a URL.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from maatwerk.engine.errors import MaatwerkError
from maatwerk.engine.evaluate.check import check as run_check
from maatwerk.engine.evaluate.ruimte import ruimte as run_ruimte
from maatwerk.engine.model.voorstel import Situatie, Voorstel
from maatwerk.engine.rules import yamlsafe
from maatwerk.engine.rules.load import voorstel_from_data
from starlette.concurrency import run_in_threadpool

from .. import auth
from ..people import Person
from . import forms
from .views import AANBIEDERS, TEMPLATES, ruimte_view, toets_view

router = APIRouter(include_in_schema=False)
consulent = auth.require_role("consulent")
MAX_UPLOAD = 512_000


def context(request: Request, person: Person, actief: str, **extra: Any) -> dict:
    backend = request.app.state.backend
    gemeenten = sorted({(f.ruleset.autoriteit.code, f"{f.ruleset.autoriteit.naam}")
                        for f in backend.catalog.files if f.ruleset.autoriteit.code != "rijk"})
    base = {"persoon": person, "csrf": auth.csrf_token(request), "actief": actief,
            "gemeenten": gemeenten, "keuzes": forms.choices(), "aanbieders": AANBIEDERS,
            "onderzoek": forms.ONDERZOEK, "waarden": {}, "fouten": {}, "meldingen": [],
            "aantal_voorzieningen": forms.MAX_VOORZIENINGEN, "titel": "maatwerk"}
    base.update(extra)
    return base


def page(request: Request, name: str, ctx: dict, status: int = 200) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, ctx, status_code=status)


def validated(form: dict, kind: type[Voorstel]) -> tuple[Any, dict, list[dict]]:
    """(voorstel or None, field errors, messages): the form as a voorstel, or why not."""
    parsed = forms.parse(form)
    if parsed.fouten:
        return None, parsed.fouten, [{"veld": k, "tekst": v} for k, v in parsed.fouten.items()]
    paths = list(forms.flat(parsed.data))
    lines = {tuple(int(p) - 1 if p.isdigit() else p for p in name.split(".")): i
             for i, name in enumerate(paths, start=1)}
    lines[("voorzieningen",)] = len(paths) + 1
    try:
        return voorstel_from_data(parsed.data, "formulier", lines, kind), {}, []
    except MaatwerkError as exc:
        names = {i: n for i, n in enumerate(paths, start=1)}
        fouten, meldingen = {}, []
        for p in exc.problems:
            veld = names.get(p.line or 0)
            tekst = p.what + (f"; {p.hint}" if p.hint else "")
            if veld:
                fouten.setdefault(veld, tekst)
            meldingen.append({"veld": veld, "tekst": tekst})
        return None, fouten, meldingen


def prepared(request: Request, voorstel) -> tuple[Any, Any, list[dict]]:
    """(peildatum, effective ruleset, messages) for a valid voorstel."""
    catalog = request.app.state.backend.catalog
    day = voorstel.default_peildatum()
    if day is None:
        return None, None, [{"veld": "procedure.aanvraag", "tekst": "Vul de datum van de "
                             "aanvraag (of de melding) in: die bepaalt welke kaders gelden."}]
    try:
        return day, catalog.for_voorstel(voorstel.gemeente, voorstel.wet, day), []
    except MaatwerkError as exc:
        return None, None, [{"veld": None, "tekst": p.what + (f"; {p.hint}" if p.hint else "")}
                            for p in exc.problems]


def form_result(request: Request, form: dict, model, key: str, run) -> dict:
    """The form read as `model`, its ruleset chosen and, when both succeed, `run(eff, obj,
    day)` under `key`; with the values, errors and messages the page shows again."""
    obj, fouten, meldingen = validated(form, model)
    result = None
    if obj is not None:
        day, eff, meldingen = prepared(request, obj)
        if eff is not None:
            result = run(eff, obj, day)
    return {"waarden": {k: str(v) for k, v in form.items() if k != "csrf"}, "fouten": fouten,
            "meldingen": meldingen, key: result}


def toets_of(request: Request, form: dict) -> dict:
    """What the toets part of the page shows for this form."""
    engine = request.app.state.backend.settings.engine
    checked = str(form.get("actie") or "") != ""
    return form_result(request, form, Voorstel, "toets", lambda eff, voorstel, day: toets_view(
        run_check(eff, voorstel, day, engine=engine), voorstel, eff, form, checked=checked))


@router.get("/voorstel", response_class=HTMLResponse)
async def nieuw_voorstel(request: Request, person: Person = Depends(consulent)):
    return page(request, "pages/voorstel.html", context(
        request, person, "voorstel", titel="Nieuw voorstel", script="live.js", live=True))


@router.post("/voorstel", response_class=HTMLResponse)
async def toets_voorstel(request: Request, person: Person = Depends(consulent)):
    form = dict(await request.form())
    found = await run_in_threadpool(toets_of, request, form)
    status = 422 if found["meldingen"] else 200
    return page(request, "pages/voorstel.html", context(
        request, person, "voorstel", titel="Toets van het voorstel", script="live.js", live=True,
        **found), status)


@router.post("/voorstel/live", response_class=HTMLResponse)
async def live_toets(request: Request, person: Person = Depends(consulent)):
    """The toets part only, for the live check while typing (live.js)."""
    form = dict(await request.form())
    found = await run_in_threadpool(toets_of, request, form)
    return page(request, "pages/toets_live.html", {**found, "live": True})


@router.post("/voorstel/inlezen", response_class=HTMLResponse)
async def inlezen(request: Request, person: Person = Depends(consulent)):
    """A voorstel from a file (JSON or YAML) or pasted text, into the form."""
    form = await request.form()
    upload = form.get("bestand")
    raw = b""
    if upload is not None and hasattr(upload, "read"):
        raw = await upload.read(MAX_UPLOAD + 1)
    if not raw.strip():
        raw = str(form.get("plakken") or "").encode("utf-8")
    ctx = context(request, person, "voorstel", titel="Nieuw voorstel", script="live.js",
                  live=True, inlezen_open=True)
    if len(raw) > MAX_UPLOAD:
        ctx["meldingen"] = [{"veld": None, "tekst": "Het bestand is groter dan 500 kB; lees "
                             "één voorstel tegelijk in."}]
        return page(request, "pages/voorstel.html", ctx, 413)
    try:
        data, _ = yamlsafe.parse(raw.decode("utf-8"), "bestand")
        if not isinstance(data, dict):
            raise ValueError("geen voorstel")
    except (MaatwerkError, UnicodeDecodeError, ValueError) as exc:
        why = exc.problems[0].what if isinstance(exc, MaatwerkError) else "geen JSON of YAML"
        ctx["meldingen"] = [{"veld": None, "tekst": f"Het bestand kon niet worden gelezen: {why}."}]
        return page(request, "pages/voorstel.html", ctx, 422)
    waarden = forms.flat(data)
    found = await run_in_threadpool(toets_of, request, waarden)
    ctx.update(found, inlezen_open=False)
    return page(request, "pages/voorstel.html", ctx, 200)


def ruimte_of(request: Request, form: dict) -> dict:
    """What the ruimte part of the page shows for this form."""
    engine = request.app.state.backend.settings.engine
    return form_result(request, form, Situatie, "rapport", lambda eff, situatie, day: ruimte_view(
        run_ruimte(eff, situatie, day, engine=engine), situatie, eff))


@router.get("/ruimte", response_class=HTMLResponse)
async def ruimte_form(request: Request, person: Person = Depends(consulent)):
    return page(request, "pages/ruimte.html", context(
        request, person, "ruimte", titel="Wat kan ik toezeggen?", zonder_voorzieningen=True,
        aantal_voorzieningen=1))


@router.post("/ruimte", response_class=HTMLResponse)
async def ruimte_page(request: Request, person: Person = Depends(consulent)):
    form = dict(await request.form())
    found = await run_in_threadpool(ruimte_of, request, form)
    return page(request, "pages/ruimte.html", context(
        request, person, "ruimte", titel="Wat kan ik toezeggen?", zonder_voorzieningen=True,
        aantal_voorzieningen=1, **found), 422 if found["meldingen"] else 200)
