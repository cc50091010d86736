"""Type checking of the condition language: literals typed by what they meet, units agree,
orderings only on numbers and dates, calculations on the right kinds of operand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model.fields import BOOL, CATALOGUE, DATE, LIST, NUMBER, TABLE, TEXT, suggest
from .tree import ORDERING, Call, Compare, ConditionError, Expr, Lit, Loc, Ref, scope_of


def enum_of(expr: Expr) -> tuple[str, ...] | None:
    spec = CATALOGUE.get(expr.name) if isinstance(expr, Ref) else None
    return spec.enum if spec and spec.type == TEXT else None


def literal_for(value: Any, kind: str, loc: Loc, enum: tuple[str, ...] | None) -> Lit:
    """Type a literal by the operand it is compared with."""
    if kind == NUMBER and isinstance(value, (int, float)) and not isinstance(value, bool):
        return Lit(value, NUMBER)
    if kind == BOOL and isinstance(value, bool):
        return Lit(value, BOOL)
    if kind == DATE and isinstance(value, str):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ConditionError(loc, f"'{value}' is geen datum", "schrijf JJJJ-MM-DD") from None
        return Lit(value, DATE)
    if kind == TEXT and isinstance(value, str):
        if enum and value not in enum:
            near = suggest(value, enum)
            raise ConditionError(loc, f"'{value}' is geen mogelijke waarde",
                       f"bedoelde u '{near}'?" if near else f"kies uit: {', '.join(enum)}")
        return Lit(value, TEXT)
    raise ConditionError(loc, f"waarde {value!r} past niet bij een {kind}", f"geef een {kind}")


def _same_unit(exprs: tuple[Expr, ...], loc: Loc) -> str | None:
    units = {getattr(e, "unit", None) for e in exprs} - {None}
    if len(units) > 1:
        raise ConditionError(loc, f"eenheden verschillen: {' en '.join(sorted(units))}",
                   "reken eerst om met mul of div")
    return units.pop() if units else None


def type_call(fn: str, args: tuple[Expr, ...], loc: Loc) -> Call:
    scope = scope_of(*args)
    if fn == "days_between":
        _need(args, 2, (DATE, DATE), fn, loc)
        return Call(fn, args, NUMBER, "dagen", scope)
    if fn == "lookup":
        _need(args, 2, (TABLE, NUMBER), fn, loc)
        return Call(fn, args, NUMBER, getattr(args[0], "unit", None), scope)
    if fn == "count_present":
        if not all(isinstance(a, Ref) for a in args):
            raise ConditionError(loc, "'count_present' verwacht alleen verwijzingen",
                       "bijvoorbeeld {count_present: [voorstel.onderzoek.behoeften, ...]}")
        return Call(fn, args, NUMBER, None, scope)
    if fn == "overlaps":
        _need(args, 2, (LIST, LIST), fn, loc)
        return Call(fn, args, BOOL, None, scope)
    if fn in ("diff", "mul", "div", "round"):
        _need(args, 2, (NUMBER, NUMBER), fn, loc)
        if fn == "round" and not (isinstance(args[1], Lit) and isinstance(args[1].value, int)
                                  and 0 <= args[1].value <= 4):
            raise ConditionError(loc, "'round' verwacht als tweede argument 0 t/m 4 decimalen",
                       "bijvoorbeeld {round: [afgeleid.norm, 2]}")
    for i, a in enumerate(args):
        if a.type != NUMBER:
            raise ConditionError(loc + (i,), f"'{fn}' rekent met getallen, niet met {a.type}",
                       "gebruik een getalveld, getalparameter of berekening")
    unit = _same_unit(args, loc) if fn in ("sum", "diff", "min", "max") else None
    if fn == "round":
        unit = getattr(args[0], "unit", None)
    return Call(fn, args, NUMBER, unit, scope)


def _need(args: tuple[Expr, ...], n: int, kinds: tuple[str, ...], fn: str, loc: Loc) -> None:
    if len(args) != n:
        raise ConditionError(loc, f"'{fn}' verwacht {n} argumenten, niet {len(args)}",
                   f"schrijf {{{fn}: [a, b]}}")
    for i, (a, kind) in enumerate(zip(args, kinds)):
        if a.type != kind:
            raise ConditionError(loc + (i,), f"'{fn}' verwacht als argument {i + 1} een {kind}, "
                       f"geen {a.type}", f"geef als argument {i + 1} een {kind}")


def type_compare(op: str, left: Expr, right: Expr, loc: Loc) -> Compare:
    if isinstance(left, Lit) and isinstance(right, Lit):
        raise ConditionError(loc, "een vergelijking tussen twee vaste waarden", "vergelijk een veld of parameter")
    if isinstance(left, Lit):
        right, left = left, right
        op = {"gt": "lt", "lt": "gt", "ge": "le", "le": "ge"}.get(op, op)
    if isinstance(right, Lit):
        right = literal_for(right.value, left.type, loc + (1,), enum_of(left))
    elif left.type != right.type:
        raise ConditionError(loc, f"'{op}' vergelijkt een {left.type} met een {right.type}",
                   "vergelijk waarden van hetzelfde soort")
    if left.type in (LIST, TABLE):
        raise ConditionError(loc, f"'{op}' kan geen {left.type} vergelijken", "gebruik in, not_in of contains")
    if op in ORDERING and left.type not in (NUMBER, DATE):
        raise ConditionError(loc, f"'{op}' ordent alleen getallen en datums, geen {left.type}",
                   "gebruik eq, ne of in")
    _same_unit((left, right), loc)
    return Compare(op, left, right)


