"""Example voorstellen for the OpenAPI document, from examples/voorstellen/ (when present)."""

from __future__ import annotations

import functools
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "examples" / "voorstellen"


@functools.lru_cache(maxsize=1)
def voorstellen() -> dict[str, dict]:
    """name -> {summary, value} for every example voorstel that loads."""
    from maatwerk.engine.errors import MaatwerkError
    from maatwerk.engine.rules.load import parse_file
    out = {}
    for path in sorted(FOLDER.glob("*.yaml")) if FOLDER.is_dir() else []:
        try:
            data, _ = parse_file(path)
        except MaatwerkError:
            continue
        out[path.stem] = {"summary": f"examples/voorstellen/{path.name}", "value": data}
    return out


def voorstel_body(wrap: str | None = None) -> dict:
    """`openapi_extra` for a route whose JSON body is a voorstel (or holds one under `wrap`)."""
    schema = {"$ref": "#/components/schemas/Voorstel"}
    examples = voorstellen()
    if wrap:
        schema = {"$ref": f"#/components/schemas/{wrap}"}
        examples = {k: {"summary": v["summary"], "value": {"voorstel": v["value"]}}
                    for k, v in examples.items()}
    return {"requestBody": {"required": True, "description": "Het voorstel als JSON (dezelfde "
                            "velden als het YAML-bestand; zie `maatwerk schema voorstel`).",
                            "content": {"application/json": {"schema": schema,
                                                             "examples": examples}}}}
