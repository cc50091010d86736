"""The served application: `create_app(db, rulesets, settings)` gives the FastAPI app.

Nothing here reads the environment: `maatwerk serve` passes the log's address, the
rulesets folder and the settings in. The JSON API lives under /api/v1 (its OpenAPI
document at /openapi.json); the pages and /inloggen at the root.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

from . import login, openapi, problems
from .auth import LoginRequired
from .backend import Backend
from .headers import Edge
from .settings import Served, Settings


def create_app(db: str, rulesets: Path | None = None, settings: Settings | None = None,
               cache=None) -> FastAPI:
    """The application serving this log and these rulesets (the bundled ones by default).

    `cache` is an optional `engine.rules.cache.FileCache` for the validated rulesets.
    """
    served = Served(db=db, rulesets=rulesets, settings=settings or Settings())
    backend = Backend(served, cache)
    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        backend.close()

    app = FastAPI(title="maatwerk", version=openapi.API_VERSION, openapi_url=None,
                  docs_url=None, redoc_url=None, redirect_slashes=False, lifespan=lifespan)
    app.state.backend = backend
    app.state.limiter = login.Limiter(served.settings.login_attempts,
                                      served.settings.login_window_seconds)
    problems.install(app)

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired):
        from urllib.parse import quote
        return RedirectResponse(f"/inloggen?volgende={quote(exc.volgende, safe='/')}",
                                status_code=303)

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi_json():
        return JSONResponse(openapi.document(app))

    _routes(app)
    app.add_middleware(Edge, api_version=openapi.API_VERSION,
                       max_body=served.settings.max_body_bytes)
    return app


def _routes(app: FastAPI) -> None:
    from .api import audit, besluiten, check, impact, landing, ruimte, rulesets
    app.include_router(login.router)
    for module in (landing, check, besluiten, ruimte, rulesets, audit, impact):
        app.include_router(module.router, prefix=openapi.PREFIX)
