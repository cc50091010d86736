"""Compile an effective ruleset once per content hash, for either backend."""

from __future__ import annotations

import threading
from typing import Protocol

from ..errors import InputError
from ..rules.resolve import Effective
from .derive import Plan, build_plan

ENGINES = ("durable", "python")


class Rules(Protocol):
    engine: str
    plan: Plan

    def fired(self, facts: list[dict]) -> set[tuple[int, int]]: ...


_CACHE: dict[tuple[str, str], Rules] = {}
_LOCK = threading.Lock()


def compile_rules(eff: Effective, engine: str = "durable") -> Rules:
    """The compiled rules of this content; compiled at most once per process."""
    if engine not in ENGINES:
        raise InputError(f"onbekende engine '{engine}'", hint="kies durable of python")
    key = (eff.sha256, engine)
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = _compile(eff, engine)
        return _CACHE[key]


def _compile(eff: Effective, engine: str) -> Rules:
    plan = build_plan(eff)
    kaders = [(checked.position, checked.scope, checked.condition) for checked in eff.kaders]
    if engine == "python":
        from .backends.python import PythonRules
        return PythonRules(plan, kaders)
    from .backends.durable import DurableRules
    return DurableRules(plan, kaders, name=f"mw_{eff.sha256[:20]}")
