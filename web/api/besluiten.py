"""`/api/v1/besluiten…` and `/api/v1/wachtrij`: record, justify, approve, return, ask a
colleague to read along, remark, show, list; the work queue.

Who acts is the authenticated person (and the case system whose token was used); the
role they act in is the one the action needs, which they must hold in the log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from maatwerk.engine.errors import ForbiddenError, SelectionError, VoorstelError
from maatwerk.engine.log import besluit as rules
from maatwerk.engine.log.besluit import STATUSSEN
from maatwerk.engine.log.identity import Actor
from maatwerk.engine.log.public import besluit_public, besluit_row, recorded_public
from maatwerk.engine.log.query import Filter

from ..auth import current_user, require_role
from ..openapi import PREFIX, errors
from ..people import Person
from ..problems import ApiError, problem_errors, sentence
from .check import evaluate, peildatum_query, ruleset_query
from .requests import (
    BESLUIT,
    AkkoordIn,
    MeelezenIn,
    MotiveringIn,
    OpmerkingIn,
    TerugIn,
    Vastlegging,
    body_doc,
    reader,
)

router = APIRouter(tags=["besluiten"])
AKKOORD_ROLLEN = ("teamleider", "gemandateerde", "jurist")
besluit_path = Path(pattern=BESLUIT, description="Besluit-id, of een uniek begin ervan "
                    "(B-3f2a)", examples=["B-3f2a9c0d1e2b"])


def backend(request: Request):
    return request.app.state.backend


def actor(request: Request, person: Person) -> Actor:
    """The person and the case system acting for them. On PostgreSQL the server's own login
    is the service the database records (its trigger allows no other)."""
    store = backend(request).store()
    return Actor(person.naam, None if store.sessie_gebruiker else person.dienst)


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def created(besluit, what: str) -> JSONResponse:
    return JSONResponse(recorded_public(besluit, what), status_code=201,
                        headers={"Location": f"{PREFIX}/besluiten/{besluit.id}"})


def full_id(request: Request, prefix: str) -> str:
    return backend(request).store().resolve_besluit(prefix)


# --- recording -------------------------------------------------------------------------------
def writes(path: str, model, summary: str, description: str):
    """A POST that adds events about a besluit: 201 with what was written, a JSON body of
    `model`, and the errors any write can give."""
    return router.post(path, status_code=201, summary=summary, response_model=dict[str, Any],
                       responses=errors(401, 403, 404, 409, 415, 422),
                       openapi_extra=body_doc(model), description=description)


@writes("/besluiten", Vastlegging, "Toets een voorstel en leg het besluit vast",
        "Als `maatwerk record --json`: legt het voorstel, de vastgepinde ruleset, "
        "de afwijkingen en de meegegeven motiveringen vast, door de ingelogde "
        "consulent. maatwerk blokkeert niet: een besluit met open afwijkingen "
        "wordt vastgelegd en staat open tot motiveringen en akkoorden er zijn.")
def record(request: Request, peildatum: dt.date | None = peildatum_query,
           ruleset: str | None = ruleset_query, body: Vastlegging = Depends(reader(Vastlegging)),
           person: Person = Depends(require_role("consulent"))):
    settings = backend(request).settings
    try:
        voorstel, eff, result = evaluate(request, body.voorstel, peildatum, ruleset, False)
    except (VoorstelError, SelectionError) as exc:
        raise ApiError(422, "; ".join(sentence(p) for p in exc.problems[:3]),
                       problem_errors(exc.problems, ("voorstel",))) from None
    payload = rules.vastlegging(voorstel, result, eff, backend=settings.engine, team=body.team)
    motiveringen = [rules.motivering(payload.afwijkingen, m.kader, m.voorziening, m.tekst,
                                     m.grond, bron="voorstel", wet=voorstel.wet)
                    for m in voorstel.motiveringen]
    motiveringen += [rules.motivering(payload.afwijkingen, m.kader, m.voorziening, m.tekst,
                                      m.grond, bron="api", wet=voorstel.wet)
                     for m in body.motiveringen]
    besluit = backend(request).store().record(payload, eff.stored(), motiveringen,
                                               actor(request, person), "consulent",
                                               iso(body.datum))
    return created(besluit, "vastgelegd")


@writes("/besluiten/{besluit}/motiveringen", MotiveringIn, "Motiveer een afwijking",
        "Als `maatwerk justify --json`, door de ingelogde consulent. Een nieuwe "
        "motivering vervangt de vorige en vraagt opnieuw akkoord.")
def justify(request: Request, besluit: str = besluit_path,
            body: MotiveringIn = Depends(reader(MotiveringIn)),
            person: Person = Depends(require_role("consulent"))):
    result = backend(request).store().justify(
        full_id(request, besluit), body.kader, body.voorziening, body.tekst, body.grond,
        actor(request, person), "consulent", iso(body.datum))
    return created(result, "motivering")


def required_role(request: Request, besluit: str, body, person: Person) -> str:
    """The role the kader's akkoord asks for; 403 when the person does not hold it."""
    current = backend(request).store().besluit(besluit)
    key = rules.resolve_key(current.inhoud.afwijkingen, body.kader, body.voorziening, besluit)
    vereist = current.stand(key).vereist
    if vereist is None:
        return AKKOORD_ROLLEN[0]        # the log refuses it with its own message
    if not person.heeft(vereist):
        raise ForbiddenError(f"dit akkoord bij {rules.label(*key)} vraagt de rol {vereist}; "
                             f"{person.naam} heeft die rol niet", None, None,
                             f"laat een {vereist} dit doen")
    return vereist


@writes("/besluiten/{besluit}/akkoorden", AkkoordIn, "Geef akkoord op een gemotiveerde afwijking",
        "Als `maatwerk approve --json`. Vier ogen: wie de motivering schreef, "
        "kan er geen akkoord op geven (403). Vraagt de rol die het kader noemt.")
def approve(request: Request, besluit: str = besluit_path,
            body: AkkoordIn = Depends(reader(AkkoordIn)),
            person: Person = Depends(require_role(*AKKOORD_ROLLEN))):
    ident = full_id(request, besluit)
    rol = required_role(request, ident, body, person)
    result = backend(request).store().approve(ident, body.kader, body.voorziening,
                                              actor(request, person), rol, iso(body.datum))
    return created(result, "akkoord")


@writes("/besluiten/{besluit}/terugsturen", TerugIn, "Stuur een motivering terug, met de reden",
        "Door wie het akkoord zou geven: de afwijking vraagt dan een nieuwe "
        "motivering (gebeurtenis 'teruggestuurd').")
def terugsturen(request: Request, besluit: str = besluit_path,
                body: TerugIn = Depends(reader(TerugIn)),
                person: Person = Depends(require_role(*AKKOORD_ROLLEN))):
    ident = full_id(request, besluit)
    rol = required_role(request, ident, body, person)
    result = backend(request).store().terugsturen(ident, body.kader, body.voorziening, body.reden,
                                                  actor(request, person), rol)
    return created(result, "teruggestuurd")


@writes("/besluiten/{besluit}/meelezen", MeelezenIn, "Vraag een collega de motivering mee te lezen",
        "Collegiale toetsing vóór het akkoord (gebeurtenis 'meelezen "
        "gevraagd'); vervangt het akkoord nooit.")
def meelezen(request: Request, besluit: str = besluit_path,
             body: MeelezenIn = Depends(reader(MeelezenIn)),
             person: Person = Depends(require_role("consulent"))):
    result = backend(request).store().meelezen(full_id(request, besluit), body.kader,
                                               body.voorziening, body.collega,
                                               actor(request, person), "consulent")
    return created(result, "meelezen")


@writes("/besluiten/{besluit}/opmerkingen", OpmerkingIn, "Opmerking van de collega die meeleest",
        "De opmerking staat bij het besluit (gebeurtenis 'opmerking'); ze is "
        "nooit een akkoord en verandert de status niet.")
def opmerking(request: Request, besluit: str = besluit_path,
              body: OpmerkingIn = Depends(reader(OpmerkingIn)),
              person: Person = Depends(current_user)):
    rol = next((r for r in ("consulent", *AKKOORD_ROLLEN) if person.heeft(r)), None)
    if rol is None:
        raise ForbiddenError(f"{person.naam} heeft geen rol waarin meelezen kan", None, None,
                             "vraag een beheerder om de rol consulent")
    result = backend(request).store().opmerking(full_id(request, besluit), body.kader,
                                                body.voorziening, body.tekst,
                                                actor(request, person), rol)
    return created(result, "opmerking")


# --- reading ---------------------------------------------------------------------------------
@router.get("/besluiten/{besluit}", summary="Eén besluit", response_model=dict[str, Any],
            responses=errors(401, 404),
            description="Voorstel, vastgepinde ruleset, afwijkingen met motiveringen, akkoorden, "
                        "terugsturingen en opmerkingen, geschiedenis en status; als `maatwerk "
                        "show --json`.")
def show(request: Request, besluit: str = besluit_path, person: Person = Depends(current_user)):
    store = backend(request).store()
    return besluit_public(store.besluit(store.resolve_besluit(besluit)))


@router.get("/besluiten", summary="Besluiten, nieuwste eerst, per pagina",
            response_model=dict[str, Any], responses=errors(401, 400),
            description="Als `maatwerk list --json`, met dezelfde filters; `wachtOpMij` geeft de "
                        "besluiten met een afwijking die op uw akkoord wacht. Per pagina hoogstens "
                        "`limiet` besluiten; `volgende` is de cursor van de volgende pagina (null "
                        "op de laatste), en de kop `Link` (rel=\"next\") de hele URL ervan.")
def besluiten(request: Request,
              status: Literal[STATUSSEN] | None = Query(None, description="binnen kaders, "
                                                        "afwijking gemotiveerd of open"),
              consulent: str | None = Query(None, max_length=64, description="Vastgelegd door"),
              team: str | None = Query(None, max_length=64),
              gemeente: str | None = Query(None, max_length=10, examples=["gm0344"]),
              vanaf: dt.date | None = Query(None, description="Vastgelegd op of na deze dag"),
              tot: dt.date | None = Query(None, description="Vastgelegd op of vóór deze dag"),
              idBegin: str | None = Query(None, pattern=r"^B-[0-9a-f]{0,12}$",
                                          description="Het begin van het besluit-id (B-3f2a)"),
              wachtOpMij: bool = Query(False, description="Alleen wat op mijn akkoord wacht"),
              limiet: int = Query(100, ge=1, le=1000, description="Hoogstens zoveel besluiten"),
              cursor: str | None = Query(None, max_length=40, description="De `volgende` van "
                                         "de vorige pagina"),
              person: Person = Depends(current_user)):
    found, volgende = backend(request).store().page(Filter(
        status, consulent, team, gemeente, iso(vanaf), iso(tot),
        (person.naam, person.rollen) if wachtOpMij else None, idBegin), limiet, cursor)
    rows = [besluit_row(b) for b in found]
    headers = {"Link": f'<{request.url.include_query_params(cursor=volgende)}>; rel="next"'} \
        if volgende else {}
    return JSONResponse({"besluiten": rows, "aantal": len(rows), "volgende": volgende},
                        headers=headers)


@router.get("/wachtrij", summary="Wat op mijn akkoord wacht, oudste eerst",
            response_model=dict[str, Any], responses=errors(401, 403),
            description="Per afwijking: het besluit, de melding, de motivering en hoeveel dagen "
                        "ze wacht; als `maatwerk wachtrij --json`.")
def wachtrij(request: Request, person: Person = Depends(require_role(*AKKOORD_ROLLEN))):
    items = [w.public() for w in backend(request).store().wachtrij(person.naam)]
    return {"wachtrij": items, "aantal": len(items)}
