"""What the served application is given: the log, the rulesets and its settings.

`create_app` never reads the environment; `maatwerk serve` builds these from its
options (and the environment) and passes them in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    """Settings of one served application (all have safe defaults)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    secure_cookie: bool = Field(False, description="Zet de Secure-vlag op cookies (achter https).")
    session_minutes: int = Field(30, ge=1, le=24 * 60, description="Sessie verloopt na zoveel "
                                 "minuten zonder verzoek.")
    session_max_hours: int = Field(12, ge=1, le=24 * 7, description="Sessie verloopt hoe dan ook "
                                   "na zoveel uur.")
    max_body_bytes: int = Field(1_000_000, ge=1_000, le=50_000_000)
    login_attempts: int = Field(5, ge=1, le=100, description="Mislukte inlogpogingen per naam en "
                                "per adres binnen het venster.")
    login_window_seconds: int = Field(300, ge=1, le=86_400)
    engine: Literal["durable", "python"] = "durable"


class Served(BaseModel):
    """The log and the rulesets one application serves."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    db: str
    rulesets: Path | None = None
    settings: Settings = Settings()
