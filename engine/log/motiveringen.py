"""Motiveringen from every door under one rule set: the voorstel file, `record
--motivering`/`--grond`, and `justify`.

Each concept motivering names a kader (and voorziening), a text and optionally a
grond; it is accepted by exactly the rules of ``besluit.motivering`` (the kader
deviated there, a real text, a known grond that fits the law). ``beoordeel`` checks
them all and returns every problem at once, each with the file and line (or the
option) it came from, so a consulent fixes a file in one go. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..errors import MaatwerkError, Problem
from . import besluit as rules
from .events import MotiveringToegevoegd


@dataclass(frozen=True)
class Concept:
    """One motivering as written, with where it was written."""

    kader: str
    voorziening: int | None
    tekst: str
    grond: str | None = None
    bron: str = "cli"                 # "voorstel" for the file's own motiveringen
    file: str | None = None
    line: int | None = None


def beoordeel(afwijkingen: Sequence[dict], concepts: Sequence[Concept], wet: str | None = None,
              besluit: str | None = None) -> tuple[list[MotiveringToegevoegd], list[Problem]]:
    """The accepted motiveringen, and every problem with its place (none when all pass)."""
    accepted, problems = [], []
    for c in concepts:
        try:
            accepted.append(rules.motivering(afwijkingen, c.kader, c.voorziening, c.tekst,
                                             grond=c.grond, bron=c.bron, besluit=besluit, wet=wet))
        except MaatwerkError as exc:
            problems += [Problem(p.what, p.file or c.file, p.line or c.line, p.hint)
                         for p in exc.problems]
    return accepted, problems


def zonder_motivering(afwijkingen: Sequence[dict], accepted: Sequence[MotiveringToegevoegd]) -> list[dict]:
    """The afwijkingen no accepted motivering covers (what `check --strict` exits 4 for)."""
    covered = {(m.kader, m.voorziening) for m in accepted}
    return [a for a in afwijkingen if (a["kader"], a.get("voorziening")) not in covered]
