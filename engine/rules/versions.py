"""A next version of a ruleset, written from the current one as text.

The new file is the old file's text with a new `versie` and `geldig_vanaf`, without
`geldig_tot` (a version holds until the next one begins), and with every date in its
example cases (`voorbeeld_voorstel`, `voorbeelden`, each kader's `voorbeelden`) moved by
the days between the two versions, so the examples run inside the new period. Comments
and layout stay as they were; the published file is never touched.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..errors import LineMap, MaatwerkError, line_of

_DATE = re.compile(r"(?<![0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9])")
_YEAR_VERSION = re.compile(r"^([0-9]{4})\.([0-9]+)$")


def next_versie(versie: str, vanaf: dt.date) -> str:
    """2024.2 → 2026.1 from a date in 2026; 2026.1 → 2026.2 in the same year."""
    m = _YEAR_VERSION.match(versie)
    if m is None:
        raise MaatwerkError(f"kan geen volgend versienummer afleiden uit '{versie}'", hint="geef --versie")
    year, n = int(m.group(1)), int(m.group(2))
    return f"{vanaf.year}.{n + 1}" if vanaf.year == year else f"{vanaf.year}.1"


def _example_trees(data: dict) -> list[tuple[tuple, Any]]:
    trees = [(("voorbeeld_voorstel",), data.get("voorbeeld_voorstel")),
             (("voorbeelden",), data.get("voorbeelden"))]
    for i, kader in enumerate(data.get("kaders") or []):
        if isinstance(kader, dict):
            trees.append((("kaders", i, "voorbeelden"), kader.get("voorbeelden")))
    return [(loc, tree) for loc, tree in trees if tree is not None]


def _leaves(tree: Any, loc: tuple):
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _leaves(value, loc + (key,))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            yield from _leaves(value, loc + (i,))
    else:
        yield loc, tree


def example_lines(data: dict, lines: LineMap) -> set[int]:
    """Lines of the file that hold a date in an example case."""
    out = set()
    for loc, tree in _example_trees(data):
        for at, value in _leaves(tree, loc):
            if isinstance(value, (str, dt.date)) and _DATE.search(str(value)):
                line = line_of(lines, at)
                if line:
                    out.add(line)
    return out


def _shift(text: str, days: int) -> str:
    def move(m: re.Match) -> str:
        try:
            return (dt.date.fromisoformat(m.group(1)) + dt.timedelta(days=days)).isoformat()
        except ValueError:
            return m.group(1)
    return _DATE.sub(move, text)


def _set_header(lines: list[str], key: str, value: str | None) -> None:
    pattern = re.compile(rf"^{key}:\s")
    for i, line in enumerate(lines):
        if pattern.match(line):
            if value is None:
                del lines[i]
            else:
                lines[i] = f"{key}: {value}\n"
            return
    if value is not None:
        raise MaatwerkError(f"'{key}:' staat niet op een eigen regel bovenaan de ruleset",
                            hint=f"zet '{key}:' als gewone regel in het bestand")


def next_version_text(text: str, data: dict, lines: LineMap, old_vanaf: dt.date,
                      vanaf: dt.date, versie: str) -> str:
    """The new file's text (see the module docstring)."""
    days = (vanaf - old_vanaf).days
    moved = example_lines(data, lines)
    out = [(_shift(line, days) if n in moved else line)
           for n, line in enumerate(text.splitlines(keepends=True), start=1)]
    _set_header(out, "versie", f'"{versie}"')
    _set_header(out, "geldig_vanaf", vanaf.isoformat())
    _set_header(out, "geldig_tot", None)
    return "".join(out)
