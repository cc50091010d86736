"""Derive: from a voorstel, a peildatum and an effective ruleset to facts.

Every operand a condition compares (a field, a parameter value on the peildatum, a
derived value or a calculation) becomes a numbered slot (`x0`, `x1`, ...). The
facts hold slot values only, already typed and normalised, so both backends decide
on exactly the same data:

* dates become ISO text, booleans 1/0, numbers are rounded to 4 decimals;
* a value that is missing, not finite or ≥ 1e15 is left out of the fact (a
  comparison with it is then false on both backends);
* a list parameter also gets its length (``x3n``) for ``not_in``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Iterator

from .conditions import Call, Compare, Contains, Expr, Junction, Lit, Member, Presence, Ref
from .fields import CATALOGUE, read
from .resolve import Effective
from .ruleset import ParameterWaarde
from .voorstel import Voorstel, Voorziening

LIMIT = 1e15


@dataclass(frozen=True)
class Plan:
    """Which expression lives in which fact slot, per scope."""

    slots: dict[Expr, str]
    voorstel_slots: tuple[tuple[str, Expr], ...]
    voorziening_slots: tuple[tuple[str, Expr], ...]
    list_slots: frozenset[str]

    def key(self, expr: Expr) -> str:
        return self.slots[expr]


def operands(cond: Any) -> Iterator[Expr]:
    """The operands of a condition that the engines compare (never literals)."""
    if isinstance(cond, Compare):
        yield from (e for e in (cond.left, cond.right) if not isinstance(e, Lit))
    elif isinstance(cond, Presence):
        yield cond.ref
    elif isinstance(cond, Member):
        if not isinstance(cond.item, Lit):
            yield cond.item
        if isinstance(cond.options, Ref):
            yield cond.options
    elif isinstance(cond, Contains):
        yield cond.ref
    elif isinstance(cond, Junction):
        for item in cond.items:
            yield from operands(item)


def build_plan(eff: Effective) -> Plan:
    slots: dict[Expr, str] = {}
    lists: set[str] = set()
    for ck in eff.kaders:
        for expr in operands(ck.condition):
            if expr not in slots:
                slots[expr] = f"x{len(slots)}"
            if isinstance(cond := expr, Ref) and cond.name.startswith("param.") and cond.type == "lijst":
                lists.add(slots[expr])
    pairs = [(k, e) for e, k in slots.items()]
    return Plan(slots,
                tuple((k, e) for k, e in pairs if e.scope == "voorstel"),
                tuple(pairs),
                frozenset(lists))


def param_values(eff: Effective, peildatum: dt.date) -> dict[str, ParameterWaarde | None]:
    return {name: p.value_on(peildatum) for name, p in eff.parameters.items()}


class Evaluator:
    """Values of expressions for one voorstel on one peildatum (pure, memoised)."""

    def __init__(self, eff: Effective, voorstel: Voorstel, peildatum: dt.date):
        self.eff = eff
        self.voorstel = voorstel
        self.peildatum = peildatum
        self.params = param_values(eff, peildatum)
        self._memo: dict[tuple[str, int], Any] = {}

    def param(self, name: str) -> Any:
        entry = self.params.get(name)
        return None if entry is None else entry.waarde

    def value(self, expr: Expr, vz: Voorziening | None, idx: int = 0) -> Any:
        if isinstance(expr, Lit):
            return expr.value
        if isinstance(expr, Ref):
            return self._ref(expr, vz, idx)
        return self._call(expr, vz, idx)

    def _ref(self, ref: Ref, vz: Voorziening | None, idx: int) -> Any:
        head, _, name = ref.name.partition(".")
        if head == "param":
            return self.param(name)
        if head == "afgeleid":
            key = (name, idx if ref.scope == "voorziening" else 0)
            if key not in self._memo:
                self._memo[key] = self.value(self.eff.derived[name], vz, idx)
            return self._memo[key]
        return read(CATALOGUE[ref.name], self.voorstel, vz, self.peildatum)

    def _call(self, call: Call, vz: Voorziening | None, idx: int) -> Any:
        if call.fn == "count_present":
            return sum(self.value(a, vz, idx) is not None for a in call.args)
        args = [self.value(a, vz, idx) for a in call.args]
        if any(a is None for a in args):
            return None
        return _apply(call.fn, args)


def _apply(fn: str, args: list[Any]) -> Any:
    if fn == "sum":
        return sum(args)
    if fn == "diff":
        return args[0] - args[1]
    if fn == "mul":
        return args[0] * args[1]
    if fn == "div":
        return None if args[1] == 0 else args[0] / args[1]
    if fn == "min":
        return min(args)
    if fn == "max":
        return max(args)
    if fn == "round":
        return round(args[0], args[1])
    if fn == "days_between":
        return (args[1] - args[0]).days
    if fn == "lookup":
        return band_of(args[0], args[1])[1]
    raise AssertionError(f"unknown function {fn}")


def band_of(bands: list, key: float) -> tuple[int | None, Any]:
    """(row index, value) of the band holding key: van <= key < tot."""
    for i, band in enumerate(bands):
        if band.van <= key and (band.tot is None or key < band.tot):
            return i, band.waarde
    return None, None


def normalize(value: Any) -> Any:
    """The fact form of a value, or None when the engines must treat it as missing."""
    if value is None:
        return None
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return value if abs(value) < LIMIT else None
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) >= LIMIT:
            return None
        rounded = round(value, 4)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, list):
        return [str(v) for v in value]
    return value


def _fill(fact: dict, slots: tuple[tuple[str, Expr], ...], ev: Evaluator,
          vz: Voorziening | None, idx: int, lists: frozenset[str]) -> dict:
    for key, expr in slots:
        value = normalize(ev.value(expr, vz, idx))
        if value is not None:
            fact[key] = value
            if key in lists:
                fact[key + "n"] = len(value)
    return fact


def facts(plan: Plan, ev: Evaluator) -> list[dict]:
    """One fact for the voorstel (idx 0) and one per voorziening (idx 1..n)."""
    out = [_fill({"kind": "voorstel", "idx": 0}, plan.voorstel_slots, ev, None, 0, plan.list_slots)]
    for i, vz in enumerate(ev.voorstel.voorzieningen, start=1):
        fact = {"kind": "voorziening", "idx": i}
        out.append(_fill(fact, plan.voorziening_slots, ev, vz, i, plan.list_slots))
    return out
