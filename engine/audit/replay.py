"""Replay: re-evaluate a recorded besluit and compare, and the impact of another ruleset.

Pure: the stored ruleset content, the stored voorstel and the engine are
arguments; reading the log is the caller's business. A replay rebuilds the
ruleset from the content the log kept by hash (never from files), evaluates the
voorstel on its recorded peildatum, and compares every afwijking field by field.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from dataclasses import dataclass, field
from typing import Any, Callable

from .. import __version__
from ..errors import AuditFailure, MaatwerkError
from ..evaluate.check import afwijkingen_data
from ..rules.load import voorstel_from_data
from ..rules.resolve import Effective, from_stored

Key = tuple[str, Any]
COMPARED = ("waargenomen", "grens", "melding", "grondslag", "niveau", "vereist")


def key(a: dict) -> Key:
    return a["kader"], a.get("voorziening")


@dataclass
class Verschil:
    """One afwijking that differs between the record and the replay."""

    kader: str
    voorziening: int | None
    soort: str                     # ontbreekt in replay | extra in replay | gewijzigd
    velden: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        where = f"{self.kader}" + (f" (voorziening {self.voorziening})" if self.voorziening else "")
        out = [f"{where}: {self.soort}"]
        out += [f"    {name}: vastgelegd {was!r} → nu {wordt!r}" for name, (was, wordt) in self.velden.items()]
        return out

    def public(self) -> dict:
        return {"kader": self.kader, "voorziening": self.voorziening, "soort": self.soort,
                "velden": {k: {"vastgelegd": a, "nu": b} for k, (a, b) in self.velden.items()}}


_COMPARED = operator.itemgetter("kader", "voorziening", *COMPARED)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False)


def compared_text(afwijkingen: list[dict]) -> str | None:
    """The compared fields of an afwijkingen list as one canonical JSON text (None when a
    value has no such text). Equal texts mean `compare` finds nothing: a bulk replay keeps
    this text per recorded besluit and decodes a record only when the texts differ."""
    try:
        return _dumps([_COMPARED(a) for a in afwijkingen])
    except (KeyError, TypeError, ValueError):
        return None


def replayed_text(afwijkingen: list[dict], memo: dict[int, str]) -> str | None:
    """`compared_text` of replayed afwijkingen whose dicts rows share (`evaluate.bulk`):
    each dict is written once, by its id in `memo` (valid while the dicts are alive)."""
    parts = []
    try:
        for a in afwijkingen:
            text = memo.get(id(a))
            if text is None:
                text = memo[id(a)] = _dumps(_COMPARED(a))
            parts.append(text)
    except (KeyError, TypeError, ValueError):
        return None
    return "[" + ",".join(parts) + "]"


def compare(recorded: list[dict], replayed: list[dict]) -> list[Verschil]:
    """Every difference between two afwijkingen lists, in the order of the record."""
    try:        # the common case (all equal, every field present), decided in one pass
        if list(map(_COMPARED, recorded)) == list(map(_COMPARED, replayed)):
            return []
    except KeyError:
        pass
    old = {key(a): a for a in recorded}
    new = {key(a): a for a in replayed}
    out = []
    for k, a in old.items():
        if k not in new:
            out.append(Verschil(k[0], k[1], "ontbreekt in replay"))
            continue
        changed = {f: (a.get(f), new[k].get(f)) for f in COMPARED if a.get(f) != new[k].get(f)}
        if changed:
            out.append(Verschil(k[0], k[1], "gewijzigd", changed))
    out += [Verschil(k[0], k[1], "extra in replay") for k in new if k not in old]
    if not out and [key(a) for a in recorded] != [key(a) for a in replayed]:
        out.append(Verschil("*", None, "andere volgorde"))
    return out


@dataclass
class Uitkomst:
    besluit: str
    verschillen: list[Verschil]
    engine_vastgelegd: str
    opmerking: str | None = None

    @property
    def gelijk(self) -> bool:
        return not self.verschillen

    def public(self) -> dict:
        return {"besluit": self.besluit, "gelijk": self.gelijk,
                "engine_vastgelegd": self.engine_vastgelegd, "engine_nu": __version__,
                "opmerking": self.opmerking, "verschillen": [v.public() for v in self.verschillen]}


class Rulesets:
    """Effective rulesets rebuilt from stored content, once per hash."""

    def __init__(self, content: Callable[[str], list[dict] | None]):
        self._content = content
        self._cache: dict[str, Effective | MaatwerkError] = {}

    def get(self, sha: str) -> Effective:
        """The ruleset of this hash; one that does not rebuild fails every time it is asked
        for, without reading the log again (a forked child may not)."""
        found = self._cache.get(sha)
        if found is None:
            try:
                found = self._build(sha)
            except MaatwerkError as exc:
                found = exc
            self._cache[sha] = found
        if isinstance(found, MaatwerkError):
            raise found.with_traceback(None)
        return found

    def _build(self, sha: str) -> Effective:
        stored = self._content(sha)
        if stored is None:
            raise AuditFailure(f"ruleset {sha[:12]} staat niet in het log", None, None,
                               "het log is onvolledig; draai `maatwerk audit verify`")
        eff = from_stored(stored)
        if eff.sha256 != sha:
            raise AuditFailure(f"ruleset {sha[:12]} herbouwt tot een andere hash", None, None,
                               "de opgeslagen inhoud is gewijzigd; draai `maatwerk audit verify`")
        return eff


def replay(besluit: str, payload: dict, rulesets: Rulesets, engine: str = "python") -> Uitkomst:
    """Re-evaluate one besluit (its `besluit vastgelegd` payload) against its pinned ruleset."""
    eff = rulesets.get(payload["ruleset"]["sha256"])
    voorstel = voorstel_from_data(payload["voorstel"], f"<besluit {besluit}>")
    peildatum = dt.date.fromisoformat(payload["peildatum"])
    now = afwijkingen_data(eff, voorstel, peildatum, engine)
    recorded = payload.get("engine_versie")
    note = None if recorded == __version__ else f"vastgelegd met engine {recorded}, nu {__version__}"
    return Uitkomst(besluit, compare(payload["afwijkingen"], now), recorded, note)
