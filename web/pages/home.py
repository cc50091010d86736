"""The start page after login: what this person's roles let them do."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from .. import auth
from ..people import Person
from .views import TEMPLATES, menu

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, person: Person = Depends(auth.current_user)):
    return TEMPLATES.TemplateResponse(request, "pages/start.html", {
        "persoon": person, "csrf": auth.csrf_token(request), "actief": "", "titel": "Start",
        "items": menu(person)})
