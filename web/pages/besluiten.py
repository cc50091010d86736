"""Besluiten on the pages: vastleggen (from the voorstel page), mijn besluiten, one besluit
with everything that happened to it, the actions on it, and its printable summary.

Who acts is the logged-in person (never a form field); every action goes through the
same store methods and rules as the CLI (`record`, `justify`, `approve`, `terugsturen`,
`meelezen`, `opmerking`), so a refusal is the CLI's Dutch message, shown on the page.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from maatwerk.engine.errors import MaatwerkError
from maatwerk.engine.evaluate.check import check as run_check
from maatwerk.engine.log import besluit as rules
from maatwerk.engine.log.identity import Actor
from maatwerk.engine.model.voorstel import Voorstel
from starlette.concurrency import run_in_threadpool

from .. import auth
from ..people import Person
from . import besluit_view
from .consulent import context, page, prepared, validated
from .views import TEMPLATES

router = APIRouter(include_in_schema=False)
AKKOORD_ROLLEN = ("teamleider", "gemandateerde", "jurist")
LEZERS = ("consulent", *AKKOORD_ROLLEN, "auditor")
lezer = auth.require_role(*LEZERS)
consulent = auth.require_role("consulent")


def actor(person: Person) -> Actor:
    return Actor(person.naam, person.dienst)


def _motiveringen(form: dict, afwijkingen: list[dict], wet: str) -> tuple[list, dict]:
    """The motiveringen typed on the page, checked by the log's own rules; errors by field."""
    out, fouten = [], {}
    for a in afwijkingen:
        key = f"{a['kader']}@{a.get('voorziening') or 0}"
        tekst = str(form.get(f"motivering.{key}") or "").strip()
        if not tekst:
            continue
        grond = str(form.get(f"grond.{key}") or "") or None
        try:
            out.append(rules.motivering(afwijkingen, a["kader"], a.get("voorziening"), tekst,
                                        grond, bron="voorstel", wet=wet))
        except MaatwerkError as exc:
            fouten[key] = exc.first.what
    return out, fouten


def vastleggen(request: Request, person: Person, form: dict):
    """Record the voorstel of this form with its motiveringen: (besluit id, messages)."""
    voorstel, _, meldingen = validated(form, Voorstel)
    if voorstel is None:
        return None, meldingen
    day, eff, meldingen = prepared(request, voorstel)
    if eff is None:
        return None, meldingen
    backend = request.app.state.backend
    engine = backend.settings.engine
    toets = run_check(eff, voorstel, day, engine=engine)
    payload = rules.vastlegging(voorstel, toets, eff, backend=engine)
    motiveringen, fouten = _motiveringen(form, payload.afwijkingen, voorstel.wet)
    if fouten:
        return None, [{"veld": None, "tekst": f"Motivering bij {k.split('@')[0]}: {v}"}
                      for k, v in fouten.items()]
    try:
        besluit = backend.store().record(payload, eff.stored(), motiveringen, actor(person),
                                         "consulent")
    except MaatwerkError as exc:
        return None, [{"veld": None, "tekst": p.what} for p in exc.problems]
    return besluit.id, []


@router.post("/voorstel/vastleggen", response_class=HTMLResponse)
async def vastleggen_page(request: Request, person: Person = Depends(consulent)):
    form = dict(await request.form())
    ident, meldingen = await run_in_threadpool(vastleggen, request, person, form)
    if ident is not None:
        return RedirectResponse(f"/besluiten/{quote(ident)}", status_code=303)
    from .consulent import toets_of
    found = await run_in_threadpool(toets_of, request, {**form, "actie": "toets"})
    found["meldingen"] = meldingen + found["meldingen"]
    return page(request, "pages/voorstel.html", context(
        request, person, "voorstel", titel="Nieuw voorstel", script="live.js", live=True,
        **found), 422)


@router.get("/besluiten", response_class=HTMLResponse)
async def mijn_besluiten(request: Request, person: Person = Depends(consulent)):
    backend = request.app.state.backend
    rows = await run_in_threadpool(lambda: besluit_view.mine(backend.store(), person.naam))
    return TEMPLATES.TemplateResponse(request, "pages/besluiten.html", {
        "persoon": person, "csrf": auth.csrf_token(request), "actief": "besluiten",
        "titel": "Mijn besluiten", "rijen": rows})


def _load(request: Request, ident: str):
    try:
        return request.app.state.backend.store().besluit(ident)
    except MaatwerkError:
        return None


@router.get("/besluiten/{ident}", response_class=HTMLResponse)
async def besluit_page(request: Request, ident: str, person: Person = Depends(lezer),
                       melding: str | None = None, status: int = 200):
    b = await run_in_threadpool(_load, request, ident)
    if b is None:
        return TEMPLATES.TemplateResponse(request, "pages/fout.html", {
            "persoon": person, "csrf": auth.csrf_token(request), "titel": "Niet gevonden",
            "melding": f"Er is geen besluit {ident}."}, status_code=404)
    users = await run_in_threadpool(lambda: request.app.state.backend.store().users())
    view = besluit_view.view(b, person, [u.gebruiker for u in users])
    return TEMPLATES.TemplateResponse(request, "pages/besluit.html", {
        "persoon": person, "csrf": auth.csrf_token(request), "actief": "",
        "titel": f"Besluit {b.id}", "b": view, "melding": melding}, status_code=status)


@router.get("/besluiten/{ident}/afdruk", response_class=HTMLResponse)
async def afdruk(request: Request, ident: str, person: Person = Depends(lezer)):
    b = await run_in_threadpool(_load, request, ident)
    if b is None:
        return await besluit_page(request, ident, person)
    return TEMPLATES.TemplateResponse(request, "pages/besluit_afdruk.html", {
        "persoon": person, "csrf": auth.csrf_token(request), "titel": f"Besluit {b.id}",
        "b": besluit_view.view(b, person, [])})


ACTIES = {"motiveren", "akkoord", "terugsturen", "meelezen", "opmerking"}


def _act(store, b_id: str, person: Person, form: dict) -> None:
    """One action on a besluit by this person; raises MaatwerkError with the log's message."""
    actie = str(form.get("actie") or "")
    kader, _, vz = str(form.get("afwijking") or "").rpartition("@")
    voorziening = int(vz) if vz.isdigit() and vz != "0" else None
    rol = str(form.get("rol") or "")
    if rol not in person.rollen:
        raise MaatwerkError(f"u hebt de rol {rol or '(geen)'} niet", None, None,
                            "kies een rol die u hebt")
    tekst = str(form.get("tekst") or "")
    who = actor(person)
    if actie == "motiveren":
        store.justify(b_id, kader, voorziening, tekst, str(form.get("grond") or "") or None,
                      who, rol)
    elif actie == "akkoord":
        store.approve(b_id, kader, voorziening, who, rol)
    elif actie == "terugsturen":
        store.terugsturen(b_id, kader, voorziening, tekst, who, rol)
    elif actie == "meelezen":
        store.meelezen(b_id, kader, voorziening, str(form.get("collega") or ""), who, rol)
    elif actie == "opmerking":
        store.opmerking(b_id, kader, voorziening, tekst, who, rol)
    else:
        raise MaatwerkError("onbekende handeling", None, None, "laad de pagina opnieuw")


@router.post("/besluiten/{ident}", response_class=HTMLResponse)
async def besluit_actie(request: Request, ident: str, person: Person = Depends(lezer)):
    form = dict(await request.form())
    backend = request.app.state.backend
    try:
        await run_in_threadpool(lambda: _act(backend.store(), ident, person, form))
    except MaatwerkError as exc:
        p = exc.first
        return await besluit_page(request, ident, person,
                                  melding=p.what + (f"; {p.hint}" if p.hint else ""), status=422)
    return RedirectResponse(f"/besluiten/{quote(ident)}", status_code=303)


@router.get("/wachtrij", response_class=HTMLResponse)
async def wachtrij(request: Request,
                   person: Person = Depends(auth.require_role(*AKKOORD_ROLLEN))):
    backend = request.app.state.backend
    rows = await run_in_threadpool(lambda: backend.store().wachtrij(person.naam))
    return TEMPLATES.TemplateResponse(request, "pages/wachtrij.html", {
        "persoon": person, "csrf": auth.csrf_token(request), "actief": "wachtrij",
        "titel": "Wachtrij", "rijen": [besluit_view.wachtend(w) for w in rows]})
