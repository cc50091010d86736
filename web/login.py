"""The login and logout pages (`/inloggen`, `/uitloggen`) and the login rate limit.

A login form carries a CSRF token that must equal a cookie set with the form (the
person has no session yet); a logout needs the session's CSRF token. Failed logins
are counted per name and per address in the log's database (shared by every server
process): after `login_attempts` within `login_window_seconds`, 429 until the window
has passed.
"""

from __future__ import annotations

import hmac
import time
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from maatwerk.engine.log import secret
from starlette.concurrency import run_in_threadpool

from . import auth
from .problems import ApiError

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
router = APIRouter(include_in_schema=False)


class Limiter:
    """Failed logins per key within a sliding window, counted in the log's database (table
    `inlogpogingen`), so every server process (`--workers N`, or several servers on one
    database) counts the same attempts. A key is the sha256 of `naam:…` or `adres:…`:
    the table holds no names or addresses. Moments are seconds since the epoch."""

    def __init__(self, attempts: int, window: int):
        self.attempts, self.window = attempts, window

    @staticmethod
    def keys(naam: str, adres: str) -> list[str]:
        return [secret.token_hash(f"naam:{naam.casefold()}"), secret.token_hash(f"adres:{adres}")]

    def wait(self, store, keys: list[str], moment: float) -> int:
        """Seconds until these keys may try again (0: now)."""
        seen = store.login_failures(keys, moment - self.window)
        waits = [int(times[-self.attempts] + self.window - moment) + 1
                 for times in seen.values() if len(times) >= self.attempts]
        return max(waits, default=0)

    def failed(self, store, keys: list[str], moment: float) -> None:
        store.login_failed(keys, moment, moment - self.window)

    def reset(self, store, keys: list[str]) -> None:
        store.login_reset(keys)


def safe_target(volgende: str | None) -> str:
    """Only a path on this site (never `//host` or `https://…`): no open redirect."""
    if volgende and volgende.startswith("/") and not volgende.startswith(("//", "/\\")) \
            and volgende.isprintable() and len(volgende) < 2000:
        return volgende
    return "/"


def page(request: Request, status: int = 200, melding: str | None = None,
         volgende: str = "/", gebruiker: str = "") -> HTMLResponse:
    token = secret.new_secret()
    response = TEMPLATES.TemplateResponse(request, "inloggen.html", {
        "csrf": token, "melding": melding, "volgende": volgende, "gebruiker": gebruiker},
        status_code=status)
    cookie(request, response, auth.LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


def cookie(request: Request, response: Response, name: str, value: str,
           max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict",
                        secure=auth.backend(request).settings.secure_cookie, path="/")


@router.get("/inloggen", response_class=HTMLResponse)
async def login_form(request: Request, volgende: str = "/"):
    return page(request, volgende=safe_target(volgende))


@router.post("/inloggen")
async def login(request: Request):
    form = await request.form()
    naam = str(form.get("gebruiker") or "").strip()[:200]
    wachtwoord = str(form.get("wachtwoord") or "")
    volgende = safe_target(str(form.get("volgende") or "/"))
    expected = request.cookies.get(auth.LOGIN_CSRF_COOKIE, "")
    given = str(form.get("csrf") or "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return page(request, 403, "Het formulier is verlopen; probeer het nog eens.", volgende, naam)
    limiter: Limiter = request.app.state.limiter
    keys = Limiter.keys(naam, request.client.host if request.client else "-")
    moment = time.time()      # wall-clock seconds: every server process counts the same window
    store = auth.backend(request).store()
    wait = limiter.wait(store, keys, moment)
    if wait:
        response = page(request, 429, f"Te veel mislukte pogingen; probeer het over {wait} "
                        "seconden opnieuw.", volgende, naam)
        response.headers["Retry-After"] = str(wait)
        return response
    stored = store.password_hash(naam) if naam else None
    if not await run_in_threadpool(secret.verify_password, stored, wachtwoord):
        limiter.failed(store, keys, moment)
        return page(request, 401, "Onbekende naam of verkeerd wachtwoord.", volgende, naam)
    limiter.reset(store, keys)
    value, _ = auth.start_session(request, naam)
    response = RedirectResponse(volgende, status_code=303)
    cookie(request, response, auth.SESSION_COOKIE, value)
    response.delete_cookie(auth.LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/uitloggen")
async def logout(request: Request):
    row = auth.session_of(request)
    if row is not None:
        form = await request.form()
        given = request.headers.get(auth.CSRF_HEADER) or str(form.get("csrf") or "")
        if not hmac.compare_digest(given.encode(), row["csrf"].encode()):
            raise ApiError(403, "CSRF-token ontbreekt of klopt niet; laad de pagina opnieuw")
        auth.end_session(request)
    response = RedirectResponse("/inloggen", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response
