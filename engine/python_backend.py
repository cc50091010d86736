"""The plain-Python backend: conditions compiled to closures over a fact.

It implements exactly the semantics of the durable-rules backend (see
`durable_backend`): a missing operand makes a comparison, `in` and `not_in`
false; both are the oracle of each other in the differential test.
"""

from __future__ import annotations

import operator
from typing import Any, Callable

from .conditions import Compare, Cond, Contains, Junction, Lit, Member, Presence
from .derive import Plan, normalize

Test = Callable[[dict], bool]
_OPS = {"gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le,
        "eq": operator.eq, "ne": operator.ne}


def _literal(lit: Lit) -> Any:
    return normalize(lit.value)


def compile_condition(cond: Cond, plan: Plan) -> Test:
    if isinstance(cond, Compare):
        return _compare(cond, plan)
    if isinstance(cond, Presence):
        key, present = plan.key(cond.ref), cond.present
        return lambda f: (key in f) is present
    if isinstance(cond, Member):
        return _member(cond, plan)
    if isinstance(cond, Contains):
        key, wanted = plan.key(cond.ref), {_literal(o) for o in cond.options}
        return lambda f: key in f and any(v in wanted for v in f[key])
    if isinstance(cond, Junction):
        tests = [compile_condition(c, plan) for c in cond.items]
        if cond.op == "all":
            return lambda f: all(t(f) for t in tests)
        return lambda f: any(t(f) for t in tests)
    raise AssertionError(f"unknown condition {cond!r}")


def _compare(cond: Compare, plan: Plan) -> Test:
    op, left = _OPS[cond.op], plan.key(cond.left)
    if isinstance(cond.right, Lit):
        value = _literal(cond.right)
        return lambda f: left in f and op(f[left], value)
    right = plan.key(cond.right)
    return lambda f: left in f and right in f and op(f[left], f[right])


def _member(cond: Member, plan: Plan) -> Test:
    item, negate = plan.key(cond.item), cond.negate
    if isinstance(cond.options, tuple):
        values = [_literal(o) for o in cond.options]
        return lambda f: item in f and ((f[item] in values) is not negate)
    options = plan.key(cond.options)
    return lambda f: item in f and options in f and ((f[item] in f[options]) is not negate)


class PythonRules:
    """A compiled ruleset: one test per kader and the scope it applies to."""

    engine = "python"

    def __init__(self, plan: Plan, kaders: list[tuple[int, str, Cond]]):
        self.plan = plan
        self.tests = [(pos, scope, compile_condition(cond, plan)) for pos, scope, cond in kaders]

    def fired(self, facts: list[dict]) -> set[tuple[int, int]]:
        """(kader position, fact idx) for every kader whose condition holds."""
        out = set()
        for fact in facts:
            kind = fact["kind"]
            for pos, scope, test in self.tests:
                if scope == kind and test(fact):
                    out.add((pos, fact["idx"]))
        return out
