"""Reading a JSON request body ourselves, so that a bad voorstel gets the CLI's Dutch problems
with their places (FastAPI's own validation would report in English)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from ..problems import ApiError, body_error

JSON_TYPES = ("application/json", "application/problem+json", "application/merge-patch+json")


def _constant(name: str):
    raise ValueError(f"{name} is geen getal in JSON")


async def json_body(request: Request) -> Any:
    """The parsed body; 415 for another content type, 400 for bytes that are no JSON."""
    kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if kind not in JSON_TYPES:
        raise ApiError(415, f"inhoudstype '{kind[:60]}' wordt niet ondersteund; stuur "
                            "application/json")
    raw = await request.body()
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_constant)
    except UnicodeDecodeError:
        problem = "de body is geen UTF-8"
    except json.JSONDecodeError as exc:
        problem = f"geen geldige JSON: {exc.msg} (regel {exc.lineno}, kolom {exc.colno})"
    except ValueError as exc:
        problem = f"geen geldige JSON: {exc}"
    except RecursionError:
        problem = "geen bruikbare JSON: te diep genest"
    raise ApiError(400, problem + "; stuur het voorstel als JSON-object",
                   [body_error((), "geen-json", problem)])
