"""Derive: from a voorstel, a peildatum and an effective ruleset to facts.

Every operand a condition compares (a field, a parameter value on the peildatum, a
derived value or a calculation) becomes a numbered slot (`x0`, `x1`, ...). The
facts hold slot values only, already typed and normalised, so both backends decide
on exactly the same data:

* dates become ISO text, booleans 1/0, numbers are rounded to 4 decimals, amounts in
  euro to whole cents (half-up: what a message shows is what was compared);
* a value that is missing, not finite or ≥ 1e15 is left out of the fact (a
  comparison with it is then false on both backends);
* a list parameter also gets its length (``x3n``) for ``not_in``.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from ..model.dutch import cents, half_up
from ..model.fields import BOOL, CATALOGUE, DATE, LIST, TEXT, FieldSpec
from ..model.limits import LIMIT
from ..model.ruleset import ParameterWaarde
from ..model.voorstel import Voorstel, Voorziening
from ..rules.conditions import (
    Call,
    Compare,
    Contains,
    Expr,
    Junction,
    Lit,
    Member,
    Presence,
    Ref,
)
from ..rules.resolve import Effective

Getter = Callable[["Evaluator", Any, int], Any]


@dataclass(frozen=True, eq=False)
class Plan:
    """Which expression lives in which fact slot, per scope, with a compiled getter each."""

    slots: dict[Expr, str]
    voorstel_slots: tuple[tuple[str, Getter, Callable], ...]
    voorziening_slots: tuple[tuple[str, Getter, Callable], ...]
    list_slots: frozenset[str]

    def key(self, expr: Expr) -> str:
        return self.slots[expr]

    @functools.cached_property
    def by_key(self) -> dict[str, tuple[Getter, Callable]]:
        return {k: (g, n) for k, g, n in self.voorstel_slots + self.voorziening_slots}


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
    for checked in eff.kaders:
        for expr in operands(checked.condition):
            slots.setdefault(expr, f"x{len(slots)}")
    lists = frozenset(k for e, k in slots.items()
                      if isinstance(e, Ref) and e.name.startswith("param.") and e.type == LIST)
    compiled = [(k, compile_getter(e, eff), _normalizer(e)) for e, k in slots.items()]
    by_key = {k: e for e, k in slots.items()}
    return Plan(slots,
                tuple(c for c in compiled if by_key[c[0]].scope == "voorstel"),
                tuple(c for c in compiled if by_key[c[0]].scope == "voorziening"),
                lists)


def compile_getter(expr: Expr, eff: Effective) -> Getter:
    """A function (evaluator, voorziening, idx) -> value for one expression."""
    if isinstance(expr, Lit):
        value = expr.value
        return lambda ev, vz, idx: value
    if isinstance(expr, Call):
        return _compile_call(expr, eff)
    head, _, name = expr.name.partition(".")
    if head == "param":
        return lambda ev, vz, idx: ev.param(name)
    if head == "afgeleid":
        inner = compile_getter(eff.derived[name], eff)
        per_item = expr.scope == "voorziening"
        return lambda ev, vz, idx: ev.memo(name, idx if per_item else 0, inner, vz)
    return _field_getter(CATALOGUE[expr.name])


def _field_getter(spec: FieldSpec) -> Getter:
    if spec.compute is not None:
        compute = spec.compute
        return lambda ev, vz, idx: compute(ev.voorstel, vz, ev.peildatum)
    root, *parts = spec.path.split(".")
    from_voorstel = root == "voorstel"

    def get(ev: "Evaluator", vz: Any, idx: int) -> Any:
        obj = ev.voorstel if from_voorstel else vz
        for part in parts:
            if obj is None:
                return None
            obj = getattr(obj, part)
        return obj
    return get


def _compile_call(call: Call, eff: Effective) -> Getter:
    args = [compile_getter(a, eff) for a in call.args]
    fn = call.fn
    if fn == "count_present":
        return lambda ev, vz, idx: sum(a(ev, vz, idx) is not None for a in args)

    def run(ev: "Evaluator", vz: Any, idx: int) -> Any:
        values = [a(ev, vz, idx) for a in args]
        if None in values or (fn in _ARITHMETIC and not all(_in_range(v) for v in values)):
            return None
        try:
            return apply_function(fn, values)
        except (OverflowError, ValueError):  # e.g. a huge int meeting a float: out of range
            return None
    return run


_ARITHMETIC = {"sum", "diff", "mul", "div", "min", "max", "round"}


def _in_range(value: Any) -> bool:
    """A number the engines can compute with: finite and below the fact limit."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return True
    return -LIMIT < value < LIMIT


def _normalizer(expr: Expr) -> Callable[[Any], Any]:
    if expr.type == DATE:
        return lambda v: None if v is None else v.isoformat()
    if expr.type == BOOL:
        return lambda v: None if v is None else int(bool(v))
    if expr.type == TEXT:
        return lambda v: v
    if getattr(expr, "unit", None) == "EUR":
        return normalize_euro
    return normalize


def normalize_euro(value: Any) -> Any:
    """An amount in euro as the engines compare it: whole cents, rounded half-up, so a
    comparison decides on exactly the amount a message shows."""
    if isinstance(value, float) and math.isfinite(value) and abs(value) < LIMIT:
        value = cents(value)
    return normalize(value)


_PARAMS: dict[tuple[str, dt.date], dict] = {}
_PARAMS_MAX = 4096


def param_values(eff: Effective, peildatum: dt.date) -> dict[str, ParameterWaarde | None]:
    """The value entry of every parameter on the peildatum (cached per content and date)."""
    key = (eff.sha256, peildatum)
    found = _PARAMS.get(key)
    if found is None:
        if len(_PARAMS) >= _PARAMS_MAX:
            _PARAMS.clear()
        found = _PARAMS[key] = {name: p.value_on(peildatum) for name, p in eff.parameters.items()}
    return found


class Evaluator:
    """Values of expressions for one voorstel on one peildatum (pure, memoised)."""

    def __init__(self, eff: Effective, voorstel: Voorstel, peildatum: dt.date,
                 param_date: dt.date | None = None):
        self.eff = eff
        self.voorstel = voorstel
        self.peildatum = peildatum
        # one rule for check and impact: on the peildatum, never before the version's first day
        self.params = param_values(eff, max(param_date or peildatum, eff.head.geldig_vanaf))
        self._memo: dict[tuple[str, int], Any] = {}

    def param(self, name: str) -> Any:
        entry = self.params.get(name)
        return None if entry is None else entry.waarde

    def memo(self, name: str, idx: int, inner: Getter, vz: Any) -> Any:
        key = (name, idx)
        if key not in self._memo:
            self._memo[key] = inner(self, vz, idx)
        return self._memo[key]

    def value(self, expr: Expr, vz: Voorziening | None, idx: int = 0) -> Any:
        if isinstance(expr, Lit):  # literal lists are not hashable, and need no getter
            return expr.value
        key = (self.eff.sha256, expr)
        getter = _GETTERS.get(key)
        if getter is None:
            if len(_GETTERS) > 100_000:
                _GETTERS.clear()
            getter = _GETTERS[key] = compile_getter(expr, self.eff)
        return getter(self, vz, idx)


_GETTERS: dict[tuple[str, Expr], Getter] = {}


def apply_function(fn: str, args: list[Any]) -> Any:
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
    if fn == "round":           # half-up, as a Dutch reader rounds (not Python's half-even)
        return args[0] if isinstance(args[0], int) else float(half_up(args[0], args[1]))
    if fn == "days_between":
        return (args[1] - args[0]).days
    if fn == "lookup":
        return band_of(args[0], args[1])[1]
    if fn == "overlaps":
        return bool(set(args[0]) & set(args[1]))
    raise AssertionError(f"unknown function {fn}")


def band_of(bands: list, key: float) -> tuple[int | None, Any]:
    """(row index, value) of the band holding key, by its explicit bounds (`Band.holds`)."""
    for i, band in enumerate(bands):
        if band.holds(key):
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


def _fill(fact: dict, slots: tuple, ev: Evaluator, vz: Voorziening | None, idx: int,
          lists: frozenset[str]) -> dict:
    for key, getter, norm in slots:
        value = norm(getter(ev, vz, idx))
        if value is not None:
            fact[key] = value
            if key in lists:
                fact[key + "n"] = len(value)
    return fact


def facts(plan: Plan, ev: Evaluator) -> list[dict]:
    """One fact for the voorstel (idx 0) and one per voorziening (idx 1..n)."""
    shared = _fill({}, plan.voorstel_slots, ev, None, 0, plan.list_slots)
    out = [{"kind": "voorstel", "idx": 0, **shared}]
    for i, vz in enumerate(ev.voorstel.voorzieningen, start=1):
        fact = {"kind": "voorziening", "idx": i, **shared}
        out.append(_fill(fact, plan.voorziening_slots, ev, vz, i, plan.list_slots))
    return out


class _LazyFact(dict):
    """A fact whose slots are computed on first use; a missing value reads as None."""

    __slots__ = ("ev", "vz", "idx", "by_key", "shared", "shared_keys")

    def __missing__(self, key: str) -> Any:
        if key in self.shared_keys:       # a voorstel slot: computed once, on the voorstel fact
            value = self.shared[key]
        else:
            fn, norm = self.by_key[key]
            value = norm(fn(self.ev, self.vz, self.idx))
        self[key] = value
        return value


def _lazy(ev: "Evaluator", vz: Any, idx: int, by_key: dict, shared: Any, keys: frozenset) -> dict:
    fact = _LazyFact()
    fact.ev, fact.vz, fact.idx, fact.by_key, fact.shared, fact.shared_keys = \
        ev, vz, idx, by_key, shared, keys
    return fact


def lazy_facts(plan: Plan, ev: Evaluator) -> list[tuple[str, int, dict]]:
    """Facts for the Python backend: (kind, idx, fact) with fact[key] the same normalised
    value a dict fact from `facts` holds, or None where that fact lacks the key; each
    slot is computed once, and only when a condition reads it."""
    by_key = plan.by_key
    voorstel = _lazy(ev, None, 0, by_key, None, frozenset())
    keys = frozenset(k for k, _, _ in plan.voorstel_slots)
    out = [("voorstel", 0, voorstel)]
    for i, vz in enumerate(ev.voorstel.voorzieningen, start=1):
        out.append(("voorziening", i, _lazy(ev, vz, i, by_key, voorstel, keys)))
    return out
