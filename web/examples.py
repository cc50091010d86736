"""Example voorstellen for the OpenAPI document: the `voorbeeld_voorstel` of every bundled
ruleset (the base of its own examples, so valid for it and shipped in the wheel)."""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def voorstellen() -> dict[str, dict]:
    """name -> {summary, value} for the example voorstel of every bundled ruleset file."""
    from maatwerk.engine.errors import MaatwerkError
    from maatwerk.engine.rules.catalog import bundled_folder
    from maatwerk.engine.rules.load import parse_file
    out = {}
    for path in sorted(bundled_folder().glob("*/*.yaml")):
        try:
            data, _ = parse_file(path)
        except MaatwerkError:
            continue
        if isinstance(data, dict) and isinstance(data.get("voorbeeld_voorstel"), dict):
            out[f"{path.parent.name}-{path.stem}"] = {
                "summary": f"Voorbeeldvoorstel van ruleset {data.get('id')}@{data.get('versie')}",
                "value": data["voorbeeld_voorstel"]}
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
