"""`GET /api/v1`: the landing page of the API (what it is, where its document is)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from ..openapi import API_VERSION, CONTACT, ERRORS

router = APIRouter(tags=["api"])


class Link(BaseModel):
    model_config = ConfigDict(extra="forbid")
    href: str
    title: str


class ApiInfo(BaseModel):
    """Over de API: naam, versie en waar de beschrijving staat."""

    model_config = ConfigDict(extra="forbid")
    naam: str
    versie: str
    contact: dict[str, str]
    links: dict[str, Link]


@router.get("", summary="Over deze API", response_model=ApiInfo, include_in_schema=False,
            responses={k: v for k, v in ERRORS.items() if k in (400, 500)})
async def landing() -> dict:
    return {"naam": "maatwerk API", "versie": API_VERSION, "contact": CONTACT,
            "links": {"openapi": {"href": "/openapi.json", "title": "OpenAPI-document (JSON)"},
                      "check": {"href": "/api/v1/check", "title": "Toets een voorstel (POST)"},
                      "besluiten": {"href": "/api/v1/besluiten", "title": "Besluiten"},
                      "rulesets": {"href": "/api/v1/rulesets", "title": "Rulesets"}}}
