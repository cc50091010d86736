"""Errors over HTTP: every 4xx and 5xx as `application/problem+json` (RFC 9457).

The body carries `status`, `title`, `detail` and `instance`, and for invalid input an
`errors` list (NLGov REST API Design Rules): each item has `in`, `location` (a JSON
Pointer into the request body as `#/…`, or the name of a query or path parameter),
`pointer`, `name` (the path as the CLI prints it, list positions from 1), `index`
(the last list position in the path, from 0), `code` and `detail`: the same Dutch
problem and fix as the CLI prints. Never a traceback.
"""

from __future__ import annotations

from typing import Any, Iterable

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from maatwerk.engine import errors as engine_errors
from maatwerk.engine.errors import MaatwerkError, Problem
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"
TITLES = {400: "Ongeldig verzoek", 401: "Niet ingelogd", 403: "Niet toegestaan",
          404: "Niet gevonden", 405: "Methode niet toegestaan", 406: "Niet aanvaardbaar",
          409: "Conflict met het besluitenlog", 413: "Verzoek te groot",
          415: "Inhoudstype niet ondersteund", 422: "Ongeldige invoer", 429: "Te veel pogingen",
          500: "Interne fout", 503: "Tijdelijk niet beschikbaar"}


class InvalidParam(BaseModel):
    """Eén probleem in de invoer, met de plek waar het zit."""

    model_config = ConfigDict(extra="forbid")

    in_: str = Field(alias="in", description="body, query, path of header")
    location: str = Field(description="JSON Pointer in de body (`#/voorzieningen/0/volume`) of "
                          "de naam van de parameter")
    pointer: str | None = Field(None, description="JSON Pointer (RFC 6901) in de body")
    name: str = Field(description="het pad zoals de CLI het noemt (posities vanaf 1)")
    index: int | None = Field(None, description="de laatste lijstpositie in het pad (vanaf 0)")
    code: str
    detail: str


class ProblemDetails(BaseModel):
    """Foutmelding volgens RFC 9457 (application/problem+json)."""

    model_config = ConfigDict(extra="forbid")

    type: str | None = None
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[InvalidParam] | None = None


class ApiError(Exception):
    """An HTTP error with a Dutch detail, raised by the edge itself (auth, size, JSON)."""

    def __init__(self, status: int, detail: str, errors: list[dict] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors, headers


def status_of(exc: MaatwerkError) -> int:
    """The HTTP status that means what the CLI's exit code means for this error."""
    for cls, code in ((engine_errors.ForbiddenError, 403), (engine_errors.NotFoundError, 404),
                      (engine_errors.RefusedError, 409), (engine_errors.VoorstelError, 422),
                      (engine_errors.SelectionError, 422), (engine_errors.AuditFailure, 409),
                      (engine_errors.EngineFault, 500), (engine_errors.RulesetError, 500),
                      (engine_errors.StorageError, 503)):
        if isinstance(exc, cls):
            return code
    return 400


def pointer(path: Iterable[str | int]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def display(path: Iterable[str | int]) -> str:
    return ".".join(str(p + 1) if isinstance(p, int) else str(p) for p in path)


def sentence(p: Problem) -> str:
    """The problem as the CLI prints it, without a file and line."""
    return f"{p.what}; {p.hint}" if p.hint else p.what


def body_error(path: tuple, code: str, detail: str) -> dict:
    ints = [p for p in path if isinstance(p, int)]
    point = pointer(path)
    return {"in": "body", "location": "#" + point, "pointer": point, "name": display(path) or "body",
            "index": ints[-1] if ints else None, "code": code, "detail": detail}


def param_error(where: str, name: str, code: str, detail: str) -> dict:
    return {"in": where, "location": name, "pointer": None, "name": name, "index": None,
            "code": code, "detail": detail}


def problem_errors(problems: list[Problem], prefix: tuple = ()) -> list[dict] | None:
    """The `errors` list for problems placed in the request body (None when none is)."""
    placed = [p for p in problems if p.path is not None]
    if not placed:
        return None
    return [body_error(prefix + tuple(p.path), p.code or "ongeldige-waarde", sentence(p))
            for p in placed]


def response(status: int, detail: str, instance: str | None, errors: list[dict] | None = None,
             headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": TITLES.get(status, "Fout"),
                            "status": status, "detail": detail, "instance": instance}
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def from_maatwerk(exc: MaatwerkError, instance: str | None, prefix: tuple = ()) -> JSONResponse:
    detail = "; ".join(sentence(p) for p in exc.problems[:3])
    if len(exc.problems) > 3:
        detail += f" (en nog {len(exc.problems) - 3})"
    return response(status_of(exc), detail, instance, problem_errors(exc.problems, prefix))


def _validation_item(err: dict) -> dict:
    loc = list(err.get("loc", ()))
    where = str(loc[0]) if loc else "body"
    kind = err.get("type", "")
    from maatwerk.engine.rules.validate import code
    detail = _dutch(kind, err)
    if where == "body":
        return body_error(tuple(loc[1:]), code(kind), detail)
    name = str(loc[1]) if len(loc) > 1 else where
    return param_error(where, name, code(kind), detail)


def _dutch(kind: str, err: dict) -> str:
    if kind == "missing":
        return "verplicht, maar ontbreekt; vul het in"
    if kind == "extra_forbidden":
        return "onbekend veld; haal het weg (zie /openapi.json)"
    if kind.endswith(("_type", "_parsing")):
        return f"heeft het verkeerde type ({str(err.get('input'))[:60]!r}); zie /openapi.json"
    return f"ongeldige waarde: {err.get('msg', '')}"[:300]


def install(app) -> None:
    """Register the handlers that turn every error into problem+json."""

    @app.exception_handler(MaatwerkError)
    async def maatwerk_error(request: Request, exc: MaatwerkError):
        return from_maatwerk(exc, request.url.path)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        return response(exc.status, exc.detail, request.url.path, exc.errors, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        items = [_validation_item(e) for e in exc.errors()][:50]
        status = 400 if all(i["in"] != "body" for i in items) else 422
        return response(status, "het verzoek klopt niet: " + "; ".join(
            f"{i['name']}: {i['detail']}" for i in items[:3]), request.url.path, items)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        detail = {404: "deze URL bestaat niet; zie /api/v1 voor wat er is",
                  405: "deze methode kan hier niet; zie /openapi.json"}.get(
            exc.status_code, str(exc.detail))
        return response(exc.status_code, detail, request.url.path,
                        headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception):
        return response(500, f"interne fout ({type(exc).__name__}); meld dit bij de beheerders "
                        "van maatwerk", request.url.path)
