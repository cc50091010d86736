"""The condition tree: its nodes, walkers over it, and the default observation.

Nodes are frozen dataclasses (hashable: compiled rulesets key fact slots by
expression). `conditions` builds them from ruleset data; `typecheck` types them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

from ..model.fields import BOOL, LIST, TEXT

Loc = tuple[Any, ...]
NAMESPACES = ("voorstel", "voorziening", "param", "afgeleid")
COMPARE = ("gt", "ge", "lt", "le", "eq", "ne")
ORDERING = ("gt", "ge", "lt", "le")
FUNCTIONS = ("sum", "diff", "mul", "div", "min", "max", "round", "days_between", "lookup",
             "count_present", "overlaps")
CONDITIONS = COMPARE + ("exists", "missing", "not_true", "in", "not_in", "contains", "all", "any")


@dataclass(frozen=True)
class Ref:
    name: str          # as written: voorstel.procedure.melding, param.x, afgeleid.y
    type: str
    unit: str | None = None
    scope: str = "voorstel"


@dataclass(frozen=True)
class Lit:
    value: Any
    type: str


@dataclass(frozen=True)
class Call:
    fn: str
    args: tuple["Expr", ...]
    type: str
    unit: str | None = None
    scope: str = "voorstel"


Expr = Union[Ref, Lit, Call]


@dataclass(frozen=True)
class Compare:
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Presence:
    present: bool
    ref: Ref


@dataclass(frozen=True)
class Member:
    negate: bool
    item: Expr
    options: tuple[Lit, ...] | Ref  # literal values or a list parameter


@dataclass(frozen=True)
class Contains:
    ref: Ref
    options: tuple[Lit, ...]


@dataclass(frozen=True)
class Junction:
    op: str  # all | any
    items: tuple["Cond", ...]


Cond = Union[Compare, Presence, Member, Contains, Junction]


@dataclass
class ParseProblem:
    loc: Loc
    what: str
    hint: str | None = None


class ConditionError(Exception):
    """A condition that cannot be parsed or typed; carries its ParseProblem."""

    def __init__(self, loc: Loc, what: str, hint: str | None = None):
        super().__init__(what)
        self.problem = ParseProblem(loc, what, hint)


def scope_of(*exprs: Any) -> str:
    return "voorziening" if any(getattr(e, "scope", "") == "voorziening" for e in exprs) else "voorstel"


def walk_exprs(node: Any):
    """Every expression inside a condition or expression, depth first."""
    if isinstance(node, Compare):
        yield from walk_exprs(node.left)
        yield from walk_exprs(node.right)
    elif isinstance(node, Presence):
        yield node.ref
    elif isinstance(node, Member):
        yield from walk_exprs(node.item)
        if isinstance(node.options, Ref):
            yield node.options
    elif isinstance(node, Contains):
        yield node.ref
    elif isinstance(node, Junction):
        for item in node.items:
            yield from walk_exprs(item)
    elif isinstance(node, Call):
        yield node
        for a in node.args:
            yield from walk_exprs(a)
    elif isinstance(node, (Ref, Lit)):
        yield node


def first_observation(cond: Cond) -> tuple[Expr | None, Expr | Lit | None]:
    """Default (waargenomen, grens) of a kader: the first comparison or membership."""
    if isinstance(cond, Compare):
        if isinstance(cond.left, Call) and cond.left.fn == "overlaps":
            return cond.left.args[0], cond.left.args[1]
        return cond.left, cond.right
    if isinstance(cond, Member):
        return cond.item, cond.options if isinstance(cond.options, Ref) else \
            Lit(tuple(o.value for o in cond.options), LIST)
    if isinstance(cond, Contains):
        return cond.ref, Lit(tuple(o.value for o in cond.options), LIST)
    if isinstance(cond, Presence):
        return cond.ref, Lit("aanwezig" if not cond.present else "afwezig", TEXT)
    if isinstance(cond, Junction):
        if cond.op == "any" and len(cond.items) == 2 and isinstance(cond.items[0], Presence) \
                and isinstance(cond.items[1], Compare) and cond.items[1].right == Lit(False, BOOL):
            return cond.items[0].ref, Lit(True, BOOL)  # not_true
        for item in cond.items:
            found = first_observation(item)
            if found != (None, None):
                return found
    return None, None
