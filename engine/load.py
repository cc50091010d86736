"""Reading files: YAML (or JSON) into validated models. The I/O edge of the engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import validate, yamlsafe
from .errors import InputError, RulesetError, VoorstelError
from .ruleset import Ruleset, RulesetFile
from .voorstel import Voorstel


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("bestand bestaat niet", str(path), None,
                         "controleer het pad") from None
    except IsADirectoryError:
        raise InputError("is een map, geen bestand", str(path), None, "geef een .yaml-bestand") from None
    except OSError as exc:
        raise InputError(f"kan bestand niet lezen: {exc.strerror}", str(path), None,
                         "controleer de rechten") from None
    return yamlsafe.decode(raw, str(path))


def parse_file(path: Path) -> tuple[Any, dict]:
    return yamlsafe.parse(read_text(path), str(path))


def voorstel_from_data(data: Any, file: str, lines: dict | None = None) -> Voorstel:
    model, problems = validate.to_model(Voorstel, data, file, lines or {}, "voorstel")
    if problems:
        raise VoorstelError(problems)
    return model


def read_voorstel(path: Path) -> Voorstel:
    try:
        data, lines = parse_file(path)
    except InputError as exc:
        raise VoorstelError(exc.problems) from None
    return voorstel_from_data(data, str(path), lines)


def read_ruleset(path: Path) -> RulesetFile:
    """One ruleset file, validated on its own (cross-checks come in `catalog`)."""
    try:
        data, lines = parse_file(path)
    except InputError as exc:
        raise RulesetError(exc.problems) from None
    model, problems = validate.to_model(Ruleset, data, str(path), lines, "ruleset")
    if problems:
        raise RulesetError(problems)
    problems = validate.check_ruleset(model, str(path), lines)
    if problems:
        raise RulesetError(problems)
    return RulesetFile(model, str(path), lines)
