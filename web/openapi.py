"""The OpenAPI document at /openapi.json, shaped by the NLGov REST API Design Rules.

Paths are served under /api/v1; the document names that prefix once, in `servers`
(the major version in the server URL), and lists the paths below it. Every error
response is `application/problem+json`. The voorstel schema is the engine's own
(`maatwerk schema voorstel`), hoisted into `components.schemas`.
"""

from __future__ import annotations

from fastapi.openapi.utils import get_openapi

API_VERSION = "1.0.0"
PREFIX = "/api/v1"
CONTACT = {"name": "Beheer maatwerk", "email": "maatwerk@example.org",
           "url": "https://github.com/maatwerk/maatwerk"}
DESCRIPTION = (
    "Toets een Wmo/Jeugdwet-voorstel aan de kaders van wet en gemeente, leg besluiten met "
    "motiveringen en akkoorden vast en controleer het besluitenlog. Dezelfde functies als de "
    "opdrachtregel (`maatwerk check`, `record`, `justify`, `approve`, `show`, `list`, "
    "`ruleset`, `audit`).\n\nAuthenticatie: een API-token (`Authorization: Bearer mw_…`, "
    "gemaakt met `maatwerk token maak`) van een koppeling die namens een genoemde medewerker "
    "handelt, of een sessie na inloggen op /inloggen. Wie iets doet komt nooit uit de body.\n\n"
    "Fouten zijn `application/problem+json` (RFC 9457), met bij ongeldige invoer een lijst "
    "`errors` waarin elk probleem zijn plek heeft (`pointer` als JSON Pointer in het voorstel).")
ERROR_CODES = {400: "Ongeldig verzoek (geen JSON, verkeerde parameter)",
               401: "Niet ingelogd, of het token is onbekend, verlopen of ingetrokken",
               403: "De rol of de vier-ogenregel staat dit niet toe",
               404: "Onbekend besluit, onbekende ruleset of URL",
               409: "Het besluitenlog weigert dit (volgorde, al gedaan, verkeerd kader)",
               413: "Het verzoek is te groot", 415: "Inhoudstype niet ondersteund",
               422: "Ongeldig voorstel of ongeldige invoer: elk probleem met zijn plek",
               500: "Interne fout (zonder details)"}
ERRORS: dict = {code: {"description": text, "content": {"application/problem+json": {
    "schema": {"$ref": "#/components/schemas/ProblemDetails"}}}} for code, text in ERROR_CODES.items()}


def errors(*codes: int) -> dict:
    """The documented error responses of a route: these, and what every route can give."""
    return {code: ERRORS[code] for code in sorted({*codes, 400, 413, 500})}


def document(app) -> dict:
    """The OpenAPI document of the application (built once, then cached on the app)."""
    if app.openapi_schema:
        return app.openapi_schema
    from maatwerk.engine.model.voorstel import Voorstel

    from .api.requests import BODIES
    from .problems import ProblemDetails
    doc = get_openapi(title="maatwerk API", version=API_VERSION, description=DESCRIPTION,
                      routes=app.routes, contact=CONTACT, tags=TAGS,
                      license_info={"name": "EUPL-1.2", "identifier": "EUPL-1.2"})
    doc["servers"] = [{"url": PREFIX, "description": "versie 1 van de API"}]
    doc["paths"] = {path[len(PREFIX):] or "/": item for path, item in doc["paths"].items()
                    if path.startswith(PREFIX)}
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for model in (Voorstel, ProblemDetails, *BODIES):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}",
                                         by_alias=True)
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    schemas["Vastlegging"]["properties"]["voorstel"] = {
        "$ref": "#/components/schemas/Voorstel", "description": "Het voorstel als JSON"}
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for item in doc["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and "responses" in op:
                op["responses"].update({str(k): v for k, v in ERRORS.items()
                                        if str(k) in op["responses"] or k == 422})
    doc["components"]["securitySchemes"] = SECURITY
    doc["security"] = [{"apiToken": []}, {"sessie": []}]
    app.openapi_schema = doc
    return doc


SECURITY = {
    "apiToken": {"type": "http", "scheme": "bearer", "bearerFormat": "mw_<id>_<geheim>",
                 "description": "API-token van `maatwerk token maak`."},
    "sessie": {"type": "apiKey", "in": "cookie", "name": "maatwerk_sessie",
               "description": "Sessie na inloggen op /inloggen (met CSRF-token bij wijzigingen)."},
}
TAGS = [
    {"name": "api", "description": "Over deze API."},
    {"name": "toetsen", "description": "Een voorstel toetsen aan de kaders (`maatwerk check`)."},
    {"name": "besluiten", "description": "Besluiten vastleggen, motiveren, accorderen, tonen."},
    {"name": "rulesets", "description": "De rulesets: lijst, inhoud, verschillen."},
    {"name": "audit", "description": "Het besluitenlog controleren en rapporteren."},
]
