"""Strict YAML: the only way maatwerk reads YAML.

* YAML 1.2 core scalars: ``yes``/``no``/``on``/``off`` stay text, a number with a
  leading zero stays text (so code ``01`` keeps its zero), dates stay ISO text
  and are validated by the models;
* duplicate keys, anchors and aliases (alias bombs), explicit tags, several
  documents, non-text keys, ``.inf`` and ``.nan`` are errors;
* depth and size are bounded;
* every value keeps its line, so a model error can name ``file:line``.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml
from yaml import events as ev

from ..errors import InputError, LineMap, Path

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 500_000


_MAX_DIGITS = 300                        # 10**300 still fits a float; 10**309 does not
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?|[-+]?\.[0-9]+")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def resolve_scalar(event: ev.ScalarEvent, file: str) -> Any:
    """Turn a plain scalar into null, bool, int, float or text (YAML 1.2 core)."""
    value = event.value
    if not event.implicit[0]:  # quoted, block or explicitly tagged: text
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.fullmatch(value):
        digits = len(value.lstrip("+-"))
        if digits > _MAX_DIGITS:     # beyond any float: arithmetic on it would overflow
            raise _too_large(value, event, file)
        return int(value)
    if _FLOAT.fullmatch(value):
        number = float(value)
        if math.isinf(number):      # 1e400: no finite number
            raise _too_large(value, event, file)
        return number
    if _COMMA_NUMBER.fullmatch(value):
        raise comma_number(value, value, event, file)
    if _SPECIAL_FLOAT.fullmatch(value):
        raise InputError(f"'{value}' is geen bruikbaar getal", file, _line(event),
                         "oneindig en NaN zijn niet toegestaan; geef een eindig getal")
    return value


_COMMA_NUMBER = re.compile(r"[+-]?[0-9]{1,3}(\.[0-9]{3})*,[0-9]+|[+-]?[0-9]+,[0-9]+")


def comma_number(shown: str, number: str, event: ev.Event, file: str) -> InputError:
    """A number written with a decimal comma: refused, never read as text or split."""
    dotted = number.replace(".", "").replace(",", ".")
    return InputError(f"getal met een komma: {shown}", file, _line(event),
                      f"gebruik een punt als decimaalteken: {dotted}")


def _too_large(value: str, event: ev.ScalarEvent, file: str) -> InputError:
    shown = value if len(value) <= 24 else f"{value[:12]}…{value[-6:]} ({len(value)} tekens)"
    return InputError(f"getal {shown} is te groot om mee te rekenen", file, _line(event),
                      "geef een kleiner getal, of zet het tussen aanhalingstekens als het tekst is")


def _line(event: ev.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 0


class _Builder:
    """Builds plain Python data from YAML events, keeping a line per path."""

    def __init__(self, file: str):
        self.file = file
        self.lines: LineMap = {}
        self.stack: list[list[Any]] = []  # [container, path, pending_key]
        self.root: Any = None
        self.nodes = 0
        self.documents = 0

    def fail(self, event: ev.Event, what: str, hint: str) -> None:
        raise InputError(what, self.file, _line(event), hint)

    def feed(self, event: ev.Event) -> None:
        if isinstance(event, ev.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.fail(event, "het bestand bevat meer dan één YAML-document",
                          "haal de regel '---' weg of splits het bestand")
            return
        if isinstance(event, ev.AliasEvent):
            self.fail(event, f"YAML-alias '*{event.anchor}' wordt niet ondersteund",
                      "schrijf de waarde voluit in plaats van een alias")
        if isinstance(event, (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent)):
            self.check_node(event)
        if isinstance(event, ev.ScalarEvent):
            self.add(event, resolve_scalar(event, self.file))
        elif isinstance(event, ev.MappingStartEvent):
            self.open(event, {})
        elif isinstance(event, ev.SequenceStartEvent):
            self.open(event, [])
        elif isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
            frame = self.stack.pop()
            if isinstance(frame[0], dict) and frame[2] is not None:
                self.fail(event, "sleutel zonder waarde", "geef de sleutel een waarde")

    def check_node(self, event: ev.NodeEvent) -> None:
        if event.anchor is not None:
            self.fail(event, f"YAML-anker '&{event.anchor}' wordt niet ondersteund",
                      "schrijf de waarde voluit; ankers en aliassen zijn uitgeschakeld")
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        explicit = tag is not None and not (implicit is True or
                                            (isinstance(implicit, tuple) and any(implicit)))
        if explicit and tag not in ("!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:map",
                                    "tag:yaml.org,2002:seq"):
            self.fail(event, f"YAML-tag '{tag}' wordt niet ondersteund",
                      "haal de tag weg; gewone waarden volstaan")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.fail(event, "het bestand bevat te veel waarden",
                      f"houd het onder {MAX_NODES:,} waarden".replace(",", "."))
        if len(self.stack) >= MAX_DEPTH:
            self.fail(event, "de YAML is te diep genest",
                      f"houd de nesting onder {MAX_DEPTH} niveaus")

    def path_for(self, event: ev.Event) -> Path | None:
        """Path of the node that is about to be added; None when it is a key."""
        if not self.stack:
            return ()
        container, path, key = self.stack[-1][:3]
        if isinstance(container, list):
            return path + (len(container),)
        if key is None:
            return None
        return path + (key,)

    def add(self, event: ev.ScalarEvent, value: Any) -> None:
        path = self.path_for(event)
        if path is None:
            self.add_key(event, value)
            return
        self.place(path, value, event)

    def add_key(self, event: ev.ScalarEvent, key: Any) -> None:
        container, path = self.stack[-1][:2]
        if not isinstance(key, str):
            key = event.value  # 2026, true: keys are text
        if key in container:
            first = self.lines.get(path + (key,), 0)
            self.fail(event, f"sleutel '{key}' staat twee keer in dezelfde mapping "
                      f"(eerder op regel {first})", "haal een van beide weg")
        self.stack[-1][2] = key
        self.lines[path + (key,)] = _line(event)

    def open(self, event: ev.NodeEvent, container: dict | list) -> None:
        path = self.path_for(event)
        if path is None:
            self.fail(event, "een mapping of lijst als sleutel wordt niet ondersteund",
                      "gebruik tekst als sleutel")
        self.place(path, container, event)
        # [container, path, pending key, last integer value in a flow mapping, flow style]
        self.stack.append([container, path, None, None, bool(getattr(event, "flow_style", False))])

    def place(self, path: Path, value: Any, event: ev.Event) -> None:
        if not self.stack:
            self.root = value
            self.lines[()] = _line(event)
            return
        frame = self.stack[-1]
        if isinstance(frame[0], list):
            frame[0].append(value)
            self.lines[path] = _line(event)
        else:
            last = frame[3]
            if last is not None and value is None and frame[2].isdigit() and \
                    isinstance(event, ev.ScalarEvent) and event.value == "":
                # {waarde: 22,40} in a flow mapping: the comma split 22,40 into 22 and a key 40
                number = f"{last[1].value},{frame[2]}"
                raise comma_number(f"{last[0]}: {number}", number, last[1], self.file)
            frame[0][frame[2]] = value
            flow_int = (frame[4] and isinstance(value, int) and not isinstance(value, bool)
                        and isinstance(event, ev.ScalarEvent))
            frame[3] = (frame[2], event) if flow_int else None
            frame[2] = None


def too_big(size: int, file: str) -> InputError:
    return InputError(f"bestand is {size:,} bytes".replace(",", "."), file, None,
                      f"houd het onder {MAX_BYTES // (1024 * 1024)} MB")


def decode(raw: bytes, file: str) -> str:
    """UTF-8 text of a file, or an error naming the line of the first bad byte."""
    if len(raw) > MAX_BYTES:
        raise too_big(len(raw), file)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(f"ongeldige UTF-8 (byte 0x{raw[exc.start]:02x})", file, line,
                         "sla het bestand op als UTF-8") from None


def parse(text: str, file: str) -> tuple[Any, LineMap]:
    """Parse one YAML document strictly; returns (data, line per path)."""
    builder = _Builder(file)
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what, hint = _dutch(exc.problem or exc.context or "", text, mark)
        raise InputError(f"geen geldige YAML: {what}", file, line, hint) from None
    except yaml.reader.ReaderError as exc:     # a character YAML forbids (NUL, ESC, ...)
        at = exc.position if isinstance(exc.position, int) else 0
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise InputError(f"geen geldige YAML: teken U+{code:04X} is niet toegestaan", file,
                         text.count("\n", 0, at) + 1, "haal het teken weg; binnen dubbele "
                         f"aanhalingstekens kan het als \\u{code:04X}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"geen geldige YAML: {exc}", file, None,
                         "controleer het bestand met een YAML-editor") from None
    return builder.root, builder.lines


_PROBLEMS = [
    ("did not find expected ',' or ']'", "lijst niet afgesloten", "sluit de lijst af met ']'"),
    ("did not find expected ',' or '}'", "mapping niet afgesloten", "sluit de mapping af met '}'"),
    ("mapping values are not allowed", "dubbele punt op een plek waar dat niet mag",
     "zet een waarde met ': ' erin tussen aanhalingstekens"),
    ("could not find expected ':'", "':' verwacht na een sleutel", "schrijf 'sleutel: waarde'"),
    ("did not find expected key", "inspringing klopt niet: hier werd een sleutel verwacht",
     "lijn sleutels van dezelfde mapping precies onder elkaar uit"),
    ("did not find expected '-' indicator", "inspringing van de lijst klopt niet",
     "lijn de '-' van een lijst onder elkaar uit"),
    ("found unexpected end of stream", "het bestand houdt onverwacht op",
     "sluit aanhalingstekens en haakjes"),
    ("found unknown escape character", "onbekend escape-teken in tekst tussen dubbele aanhalingstekens",
     "gebruik enkele aanhalingstekens"),
    ("found character that cannot start any token", "teken dat hier niet kan beginnen",
     "zet de waarde tussen aanhalingstekens"),
]


def _dutch(problem: str, text: str, mark) -> tuple[str, str]:
    """Dutch wording for the parser's most common complaints."""
    if mark is not None and mark.index < len(text) and text[mark.index] == "\t":
        return "tab-teken gebruikt voor inspringen", "spring in met spaties, niet met tabs"
    for english, what, hint in _PROBLEMS:
        if english in problem:
            return what, hint
    return problem.strip() or "ongeldige YAML", "controleer inspringing, dubbele punten en aanhalingstekens"
