"""Authentication: who is asking, proved by a session (password login) or an API token.

For pages and the API alike:

- `current_user`: a FastAPI dependency giving the `Person` (name, roles, service account).
  No proof: 401 problem+json for /api/…, a redirect to /inloggen for pages.
- `require_role(*roles)`: the same, and 403 unless the person holds one of the roles.
- CSRF: a request that changes something and is authenticated by the session cookie must
  carry the session's CSRF token (form field `csrf` or header `X-CSRF-Token`);
  `csrf_token(request)` gives it for a template. API tokens need no CSRF token (no cookie).

Sessions: a random cookie value (`maatwerk_sessie`, HttpOnly, SameSite=Strict, Secure when
configured), kept as its sha256; it ends after `session_minutes` without a request and after
`session_max_hours` in any case.
"""

from __future__ import annotations

import datetime as dt
import hmac

from fastapi import Depends, Request
from maatwerk.engine.log import secret

from .people import Person, lookup
from .problems import ApiError

SESSION_COOKIE = "maatwerk_sessie"
LOGIN_CSRF_COOKIE = "maatwerk_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
TOUCH_AFTER = dt.timedelta(minutes=1)


class LoginRequired(Exception):
    """A page needs a login: the handler redirects to /inloggen."""

    def __init__(self, volgende: str):
        super().__init__(volgende)
        self.volgende = volgende


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def backend(request: Request):
    return request.app.state.backend


# --- tokens -------------------------------------------------------------------------------
def _from_token(request: Request, header: str) -> Person:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.TOKEN.fullmatch(value.strip()):
        raise _unauthorized("het API-token heeft niet de vorm 'Bearer mw_…'; maak een token met "
                            "`maatwerk token maak`")
    store = backend(request).store()
    row = store.token(secret.token_hash(value.strip()))
    moment = utc(now())
    if row is None:
        raise _unauthorized("onbekend API-token; maak een nieuw token met `maatwerk token maak`")
    if row["ingetrokken"]:
        raise _unauthorized(f"API-token {row['id']} is ingetrokken op {row['ingetrokken']}; vraag "
                            "een nieuw token aan de beheerder")
    if row["verloopt"] and row["verloopt"] <= moment:
        raise _unauthorized(f"API-token {row['id']} is verlopen op {row['verloopt']}; vraag een "
                            "nieuw token aan de beheerder")
    person = lookup(store, row["voor"])
    if person is None:
        raise _unauthorized(f"API-token {row['id']} handelt namens '{row['voor']}', die niet (meer) "
                            "bestaat")
    return Person(person.naam, person.rollen, row["dienst"], "token")


def _unauthorized(detail: str) -> ApiError:
    return ApiError(401, detail, headers={"WWW-Authenticate": 'Bearer realm="maatwerk"'})


# --- sessions -----------------------------------------------------------------------------
def start_session(request: Request, naam: str) -> tuple[str, str]:
    """A new session for this person: (cookie value, CSRF token)."""
    settings = backend(request).settings
    value, csrf = secret.new_secret(), secret.new_secret()
    moment = now()
    ends = moment + dt.timedelta(hours=settings.session_max_hours)
    backend(request).store().add_session(secret.token_hash(value), naam, csrf, utc(moment),
                                         utc(ends))
    return value, csrf


def session_of(request: Request) -> dict | None:
    """The live session of this request's cookie (cached on the request), or None."""
    if "sessie" in request.scope.get("state", {}):
        return request.state.sessie
    value = request.cookies.get(SESSION_COOKIE)
    row = None
    if value and len(value) < 200:
        store = backend(request).store()
        key = secret.token_hash(value)
        row = store.session(key)
        if row is not None and not _alive(request, row):
            store.end_session(key)
            row = None
        if row is not None:
            row["key"] = key
    request.state.sessie = row
    return row


def _alive(request: Request, row: dict) -> bool:
    settings = backend(request).settings
    moment = now()
    idle = utc(moment - dt.timedelta(minutes=settings.session_minutes))
    if row["verloopt"] <= utc(moment) or row["gezien"] < idle:
        return False
    if row["gezien"] < utc(moment - TOUCH_AFTER):
        backend(request).store().touch_session(secret.token_hash(
            request.cookies[SESSION_COOKIE]), utc(moment))
    return True


def end_session(request: Request) -> None:
    row = session_of(request)
    if row is not None:
        backend(request).store().end_session(row["key"])


def csrf_token(request: Request) -> str:
    """The CSRF token to put in a form (`<input type=hidden name=csrf value=…>`)."""
    row = session_of(request)
    return row["csrf"] if row else ""


async def _check_csrf(request: Request, expected: str) -> None:
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        given = str((await request.form()).get("csrf") or "")
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(403, "CSRF-token ontbreekt of klopt niet; laad de pagina opnieuw en probeer "
                            "het nog eens")


# --- the dependencies ---------------------------------------------------------------------
async def current_user(request: Request) -> Person:
    """The authenticated person (FastAPI dependency)."""
    header = request.headers.get("authorization")
    if header:
        return _from_token(request, header)
    row = session_of(request)
    if row is not None:
        person = lookup(backend(request).store(), row["gebruiker"])
        if person is not None:
            if request.method not in SAFE:
                await _check_csrf(request, row["csrf"])
            return person
    if is_api(request):
        raise _unauthorized("log in (sessie) of geef een API-token mee: Authorization: Bearer mw_…")
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    raise LoginRequired(target)


def require_role(*rollen: str):
    """A dependency: the current person, who must hold one of these roles (else 403)."""

    async def dependency(person: Person = Depends(current_user)) -> Person:
        if not person.heeft(*rollen):
            raise ApiError(403, f"dit vraagt de rol {' of '.join(rollen)}; {person.naam} heeft "
                                f"{', '.join(sorted(person.rollen)) or 'geen rol'}")
        return person
    return dependency
