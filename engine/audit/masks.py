"""What an export mask names, and what else a masked value reaches.

A mask is a dotted path into the voorstel (`client.geboortedatum`, `onderzoek.*`,
`voorzieningen.2.tarief`: `*` for every key or item, N for item N), `door` (every user
name: authors, services, people named inside events) or `motivering.tekst` (every text
about an afwijking: motivering, remark, reason for returning; `motivering.tekst:KADER` for
those of one kader). Paths are checked against the voorstel model: a path that
names nothing is refused, never silently ignored.

A value reaches further than its own field: an afwijking whose kader reads it (directly,
through a derived value or a computed field such as an age) shows it as `waargenomen`,
`grens`, in its `melding` or `uitleg`; the peildatum comes from the procedure dates; a
motivering text written in the voorstel is recorded as a motivering too. `reaches`
answers, from the ruleset content the log stored, which afwijkingen a mask reaches.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..model.voorstel import Voorstel

DOOR = "door"
TEKST = "motivering.tekst"
PEILDATUM = ("peildatum", "procedure")
_REF = re.compile(r"\b(voorstel|voorziening|afgeleid)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*|\bpeildatum\b")
_AGE = ("voorstel.peildatum", "voorstel.procedure")
_UNITS = ("volume", "eenheid", "frequentie")
# Computed fields (engine/model/fields.py COMPUTED) and the voorstel fields they are read from.
COMPUTED_SOURCES: dict[str, tuple[str, ...]] = {
    "peildatum": _AGE,
    "voorstel.client.leeftijd": ("voorstel.client.geboortedatum", *_AGE),
    "voorstel.huishouden.partner.leeftijd": ("voorstel.huishouden.partner", *_AGE),
    "voorstel.client.leeftijd_maanden": ("voorstel.client.geboortedatum", *_AGE),
    "voorstel.huishouden.partner.leeftijd_maanden": ("voorstel.huishouden.partner", *_AGE),
    "voorstel.huishouden.oudste_inwonend_kind_leeftijd": (
        "voorstel.huishouden.geboortedata_inwonende_kinderen", *_AGE),
    "voorstel.huishouden.partner.aanwezig": ("voorstel.huishouden.partner",),
    "voorstel.aantal_voorzieningen": ("voorstel.voorzieningen",),
    "voorziening.uren_per_week": tuple(f"voorziening.{u}" for u in _UNITS),
    "voorziening.uren_per_jaar": tuple(f"voorziening.{u}" for u in _UNITS),
    "voorziening.duur_dagen": ("voorziening.begindatum", "voorziening.einddatum"),
    "voorziening.bedrag_per_jaar": tuple(f"voorziening.{u}" for u in (
        *_UNITS, "tarief", "begindatum", "einddatum")),
    "voorziening.aanbieder_is_netwerk": ("voorziening.aanbieder",),
    "voorziening.hbh.extra_inzet_niveau": ("voorziening.hbh",),
    "voorziening.hbh.samenstelling_huishouden_telt": ("voorziening.hbh",),
    "voorziening.hbh.eigen_mogelijkheden_telt": ("voorziening.hbh",),
    "voorziening.hbh.extra_kamers": ("voorziening.hbh",),
}


@dataclass(frozen=True)
class Masks:
    """The checked masks of one export."""

    voorstel: tuple[tuple[str, ...], ...] = ()      # voorstel paths, split on dots
    door: bool = False
    teksten: frozenset[str] | None = None          # kaders whose texts are masked; None: none
    alle_teksten: bool = False

    def __bool__(self) -> bool:
        return bool(self.voorstel or self.door or self.teksten or self.alle_teksten)

    def tekst(self, kader: str) -> bool:
        return self.alle_teksten or kader in (self.teksten or ())

    def columns(self) -> list[str]:
        """The voorstel masks as the Parquet export takes them: an item number widened to
        every item (a column holds them all), plus the computed fields they reach."""
        out = {".".join("*" if part.isdigit() else part for part in m) for m in self.voorstel}
        for ref, sources in COMPUTED_SOURCES.items():
            root, _, rest = ref.partition(".")
            if root in ("voorstel", "voorziening") and any(
                    overlaps(m, as_path(src)) for m in self.voorstel for src in sources):
                out.add(rest if root == "voorstel" else f"voorzieningen.*.{rest}")
        return sorted(out)

    def touches(self, *prefixes: str) -> bool:
        """Does a voorstel mask overlap one of these voorstel paths?"""
        return any(overlaps(m, tuple(p.split("."))) for m in self.voorstel for p in prefixes)


def _inner(annotation: Any) -> tuple[Any, bool]:
    """The model (or type) inside Optional/Annotated/list, and whether it is a list."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        elif origin in (list, tuple):
            return _inner(typing.get_args(annotation)[0])[0], True
        else:
            return annotation, False


def schema_paths(model: type[BaseModel] = Voorstel, prefix: str = "") -> list[str]:
    """Every path into the voorstel a mask may name (`*` for a list item)."""
    out = []
    for name, info in model.model_fields.items():
        path = prefix + name
        inner, many = _inner(info.annotation)
        out.append(path)
        if many:
            out.append(path + ".*")
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            out += schema_paths(inner, path + (".*." if many else "."))
    return out


SCHEMA = tuple(tuple(p.split(".")) for p in schema_paths())


def _matches(mask: tuple[str, ...], path: tuple[str, ...]) -> bool:
    return len(mask) == len(path) and all(
        m == p or m == "*" or (m.isdigit() and m[0] != "0" and p == "*") for m, p in zip(mask, path))


def parse(masks: list[str]) -> Masks:
    """The masks, or ValueError(mask) for the first that names nothing."""
    paths, door, teksten, alle = [], False, set(), False
    for m in masks:
        if m == DOOR:
            door = True
        elif m == TEKST:
            alle = True
        elif m.startswith(TEKST + ":") and re.fullmatch(r"[a-z0-9][a-z0-9._-]*", m[len(TEKST) + 1:]):
            teksten.add(m[len(TEKST) + 1:])
        elif any(_matches(tuple(m.split(".")), p) for p in SCHEMA):
            paths.append(tuple(m.split(".")))
        else:
            raise ValueError(m)
    masks_ = Masks(tuple(paths), door, frozenset(teksten) or None, alle)
    if masks_.touches("motiveringen"):      # voorstel texts are recorded as motiveringen too
        masks_ = Masks(masks_.voorstel, door, masks_.teksten, True)
    return masks_


def valid_forms() -> list[str]:
    return [DOOR, TEKST, TEKST + ":KADER", *schema_paths()]


def overlaps(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Does one path lie inside the other (`*` and item numbers match any item)?"""
    return all(x == y or "*" in (x, y) for x, y in zip(a, b))


# --- which afwijkingen a mask reaches -----------------------------------------------------
def _strings(node: Any):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in ("voorbeelden", "titel", "grondslag", "id"):
                yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def _sources(kader: dict, afgeleid: dict[str, Any]) -> set[str]:
    """Every voorstel or voorziening field a kader reads, through derived and computed ones."""
    out: set[str] = set()
    todo, seen = [kader], set()
    while todo:
        for text in _strings(todo.pop()):
            for found in _REF.finditer(text):
                ref = found.group(0)
                if ref.startswith("afgeleid."):
                    name = ref.split(".")[1]
                    if name not in seen:
                        seen.add(name)
                        todo.append(afgeleid.get(name, {"?": "voorstel.*"}))
                else:
                    out.update(COMPUTED_SOURCES.get(ref, (ref,)))
    return out


def kader_sources(content: list[dict] | None) -> dict[str, set[str]] | None:
    """Per kader id, the fields it reads (None without ruleset content: assume all)."""
    if not content:
        return None
    afgeleid: dict[str, Any] = {}
    for layer in content:
        afgeleid.update(layer.get("afgeleid") or {})
    out: dict[str, set[str]] = {}
    for layer in content:
        for kader in layer.get("kaders") or []:
            out.setdefault(kader.get("id"), set()).update(_sources(kader, afgeleid))
    return out


def reaches(masks: Masks, afwijking: dict, sources: dict[str, set[str]] | None) -> bool:
    """Does a masked voorstel field reach this afwijking's values?"""
    if not masks.voorstel:
        return False
    read = None if sources is None else sources.get(afwijking.get("kader"))
    if read is None:
        return True
    n = afwijking.get("voorziening")
    item = str(n) if isinstance(n, int) else "*"
    return any(overlaps(m, as_path(ref, item)) for ref in read for m in masks.voorstel)


def as_path(ref: str, item: str = "*") -> tuple[str, ...]:
    """A condition's reference as a voorstel path (`voorziening.x` is item `item`'s x)."""
    root, *rest = ref.split(".")
    if root == "voorstel":
        return tuple(rest)
    return ("voorzieningen", item, *rest) if root == "voorziening" else ("*",)
