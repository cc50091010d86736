"""Reading files: YAML (or JSON) into validated models. The I/O edge of the engine."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from ..errors import (
    InputError,
    Problem,
    RulesetError,
    VoorstelError,
    line_of,
    os_reason,
)
from ..model.ruleset import Ruleset, RulesetFile
from ..model.voorstel import Voorstel, births_after
from . import validate, yamlsafe


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file, read at most up to the size limit.

    A FIFO, a device or a socket is refused without reading from it (a voorstel
    or ruleset path must never hang or fill the memory), and so is a dangling symlink.
    """
    file = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)   # a FIFO must not block the open
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError("is een symbolische koppeling naar een bestand dat niet bestaat",
                             file, None, "herstel of verwijder de koppeling") from None
        raise InputError("bestand bestaat niet", file, None, "controleer het pad") from None
    except IsADirectoryError:
        raise InputError("is een map, geen bestand", file, None, "geef een .yaml-bestand") from None
    except OSError as exc:
        raise InputError(f"kan bestand niet lezen: {os_reason(exc)}", file, None,
                         "controleer de rechten en koppelingen") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is een map, geen bestand", file, None, "geef een .yaml-bestand")
        raise InputError(f"is geen gewoon bestand maar {_kind(info.st_mode)}", file, None,
                         "geef een .yaml-bestand; maatwerk leest niet uit pipes of apparaten")
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > yamlsafe.MAX_BYTES:
            raise yamlsafe.too_big(info.st_size, file)
        try:
            return handle.read(yamlsafe.MAX_BYTES + 1)
        except OSError as exc:
            raise InputError(f"kan bestand niet lezen: {os_reason(exc)}", file, None,
                             "controleer het bestand") from None


def read_text(path: Path) -> str:
    return yamlsafe.decode(read_bytes(path), str(path))


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "een pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "een socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "een apparaat"
    return "iets anders"


def parse_file(path: Path) -> tuple[Any, dict]:
    return yamlsafe.parse(read_text(path), str(path))


def voorstel_from_data(data: Any, file: str, lines: dict | None = None,
                       kind: type[Voorstel] = Voorstel) -> Voorstel:
    """A voorstel (or a `Situatie`, a voorstel that may lack voorzieningen) from parsed data."""
    model, problems = validate.to_model(kind, data, file, lines or {}, "voorstel")
    if problems:
        raise VoorstelError(problems)
    check_births(model, model.default_peildatum(), file, lines or {})
    return model


def check_births(voorstel: Voorstel, peildatum, file: str, lines: dict) -> None:
    """Refuse a geboortedatum after the peildatum (or after the date the caller gives)."""
    found = births_after(voorstel, peildatum)
    if found:
        raise VoorstelError([Problem(what, file, line_of(lines, loc), fix, loc, "ongeldige-datum")
                            for loc, what, fix in found])


def read_voorstel(path: Path) -> Voorstel:
    return read_voorstel_lines(path)[0]


def read_voorstel_lines(path: Path, kind: type[Voorstel] = Voorstel) -> tuple[Voorstel, dict]:
    """The voorstel and the line of every value in its file (for later messages)."""
    try:
        raw = read_bytes(path)
    except InputError as exc:
        raise VoorstelError(exc.problems) from None
    return voorstel_from_bytes(raw, str(path), kind)


def voorstel_from_bytes(raw: bytes, name: str, kind: type[Voorstel] = Voorstel) -> tuple[Voorstel, dict]:
    """A voorstel from the bytes of a file or of standard input (named `name` in messages)."""
    try:
        if len(raw) > yamlsafe.MAX_BYTES:
            raise yamlsafe.too_big(len(raw), name)
        data, lines = yamlsafe.parse(yamlsafe.decode(raw, name), name)
    except InputError as exc:
        raise VoorstelError(exc.problems) from None
    return voorstel_from_data(data, name, lines, kind), lines


def read_ruleset(path: Path, cache=None) -> RulesetFile:
    """One ruleset file, validated on its own (cross-checks come in `catalog`).

    With a `cache.FileCache`, an unchanged file loads from the cache.
    """
    try:
        raw = read_bytes(path)
    except InputError as exc:
        raise RulesetError(exc.problems) from None
    if cache is None:
        return _ruleset_from_bytes(raw, path)
    return cache.get_or_make(raw, f"ruleset:{path}", lambda: _ruleset_from_bytes(raw, path))


def _ruleset_from_bytes(raw: bytes, path: Path) -> RulesetFile:
    try:
        data, lines = yamlsafe.parse(yamlsafe.decode(raw, str(path)), str(path))
    except InputError as exc:
        raise RulesetError(exc.problems) from None
    model, problems = validate.to_model(Ruleset, data, str(path), lines, "ruleset")
    if problems:
        raise RulesetError(problems)
    problems = validate.check_ruleset(model, str(path), lines)
    if problems:
        raise RulesetError(problems)
    return RulesetFile(model, str(path), lines)
