"""The plain-Python backend: conditions compiled to closures over a fact.

It implements exactly the semantics of the durable-rules backend (see
`durable_backend`): a missing operand makes a comparison, `in` and `not_in`
false; both are the oracle of each other in the differential test.
"""

from __future__ import annotations

import operator
from typing import Any, Callable

from ...rules.conditions import Compare, Cond, Contains, Junction, Lit, Member, Presence
from ..derive import Plan, normalize

Test = Callable[[dict], bool]
_OPS = {"gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le,
        "eq": operator.eq, "ne": operator.ne}


def _literal(lit: Lit) -> Any:
    return normalize(lit.value)


def compile_condition(cond: Cond, plan: Plan) -> Test:
    """A test over a fact: fact[key] is the slot's value, or None when missing."""
    if isinstance(cond, Compare):
        return _compare(cond, plan)
    if isinstance(cond, Presence):
        key, present = plan.key(cond.ref), cond.present
        return lambda g: (g[key] is not None) is present
    if isinstance(cond, Member):
        return _member(cond, plan)
    if isinstance(cond, Contains):
        key, wanted = plan.key(cond.ref), {_literal(o) for o in cond.options}
        return lambda g: (v := g[key]) is not None and any(x in wanted for x in v)
    if isinstance(cond, Junction):
        return _junction(cond.op, [compile_condition(c, plan) for c in cond.items])
    raise AssertionError(f"unknown condition {cond!r}")


def _junction(op: str, tests: list[Test]) -> Test:
    """and/or, nested pairwise: no generator per call on the hot path."""
    if len(tests) == 1:
        return tests[0]
    first, rest = tests[0], _junction(op, tests[1:])
    if op == "all":
        return lambda g: first(g) and rest(g)
    return lambda g: first(g) or rest(g)


def _compare(cond: Compare, plan: Plan) -> Test:
    op, left = _OPS[cond.op], plan.key(cond.left)
    if isinstance(cond.right, Lit):
        value = _literal(cond.right)
        return lambda g: (a := g[left]) is not None and op(a, value)
    right = plan.key(cond.right)
    return lambda g: (a := g[left]) is not None and (b := g[right]) is not None and op(a, b)


def _member(cond: Member, plan: Plan) -> Test:
    item, negate = plan.key(cond.item), cond.negate
    if isinstance(cond.options, tuple):
        values = [_literal(o) for o in cond.options]
        return lambda g: (v := g[item]) is not None and ((v in values) is not negate)
    options = plan.key(cond.options)
    return lambda g: ((v := g[item]) is not None and (opts := g[options]) is not None
                      and ((v in opts) is not negate))


class PythonRules:
    """A compiled ruleset: one test per kader, grouped by the fact kind it applies to."""

    engine = "python"

    def __init__(self, plan: Plan, kaders: list[tuple[int, str, Cond]]):
        self.plan = plan
        self.tests: dict[str, list[tuple[int, Test]]] = {"voorstel": [], "voorziening": []}
        for pos, scope, cond in kaders:
            self.tests[scope].append((pos, compile_condition(cond, plan)))

    def fired(self, facts: list[dict]) -> set[tuple[int, int]]:
        """(kader position, fact idx) for every kader whose condition holds, over dict facts."""
        return self.fired_on([(f["kind"], f["idx"], _Absent(f)) for f in facts])

    def fired_on(self, facts: list[tuple[str, int, dict]]) -> set[tuple[int, int]]:
        """The same over (kind, idx, fact) where fact[key] is None for a missing slot, such as
        `derive.lazy_facts` (slots computed on first use)."""
        out = set()
        for kind, idx, fact in facts:
            for pos, test in self.tests[kind]:
                if test(fact):
                    out.add((pos, idx))
        return out


class _Absent(dict):
    """A dict fact where a missing slot reads as None."""

    def __missing__(self, key: str) -> None:
        return None
