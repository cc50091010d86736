"""The login and logout pages (`/inloggen`, `/uitloggen`) and the login rate limit.

A login form carries a CSRF token that must equal a cookie set with the form (the
person has no session yet); a logout needs the session's CSRF token. Failed logins
are counted per name and per address (in this process): after `login_attempts`
within `login_window_seconds`, 429 until the window has passed.
"""

from __future__ import annotations

import hmac
import time
from collections import OrderedDict, deque
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
MAX_KEYS = 10_000


class Limiter:
    """Failed attempts per key within a sliding window (bounded memory)."""

    def __init__(self, attempts: int, window: int):
        self.attempts, self.window = attempts, window
        self.failures: OrderedDict[str, deque] = OrderedDict()

    def wait(self, key: str, moment: float) -> int:
        """Seconds until this key may try again (0: now)."""
        seen = self.failures.get(key)
        if not seen:
            return 0
        while seen and seen[0] <= moment - self.window:
            seen.popleft()
        return int(seen[0] + self.window - moment) + 1 if len(seen) >= self.attempts else 0

    def failed(self, key: str, moment: float) -> None:
        self.failures.setdefault(key, deque(maxlen=self.attempts)).append(moment)
        self.failures.move_to_end(key)
        while len(self.failures) > MAX_KEYS:
            self.failures.popitem(last=False)

    def reset(self, key: str) -> None:
        self.failures.pop(key, None)


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
    keys = [f"naam:{naam.casefold()}", f"adres:{request.client.host if request.client else '-'}"]
    moment = time.monotonic()
    wait = max(limiter.wait(k, moment) for k in keys)
    if wait:
        response = page(request, 429, f"Te veel mislukte pogingen; probeer het over {wait} "
                        "seconden opnieuw.", volgende, naam)
        response.headers["Retry-After"] = str(wait)
        return response
    store = auth.backend(request).store()
    stored = store.password_hash(naam) if naam else None
    if not await run_in_threadpool(secret.verify_password, stored, wachtwoord):
        for k in keys:
            limiter.failed(k, moment)
        return page(request, 401, "Onbekende naam of verkeerd wachtwoord.", volgende, naam)
    for k in keys:
        limiter.reset(k)
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
