"""The condition language: one tree of plain data, parsed and type-checked here.

Operands (expressions):
  * a reference: ``voorstel.procedure.melding``, ``voorziening.volume``,
    ``param.onderzoek_max_dagen``, ``afgeleid.onderzoek_dagen``, ``peildatum``;
  * a literal: a number, true/false, or any other text (``pgb``, ``2026-01-01``);
  * a calculation: ``{sum: [..]}``, ``{diff: [a, b]}``, ``{mul: [a, b]}``,
    ``{div: [a, b]}``, ``{min: [..]}``, ``{max: [..]}``, ``{round: [x, 2]}``,
    ``{days_between: [d1, d2]}``, ``{lookup: [param.tabel, key]}``,
    ``{count_present: [ref, ..]}``.
Conditions: ``{gt|ge|lt|le|eq|ne: [a, b]}``, ``{exists: ref}``, ``{missing: ref}``,
``{in|not_in: [a, [v, ..] | param.lijst]}``, ``{contains: [lijstveld, [v, ..] | param.lijst]}``,
``{not_true: ref}`` (missing or false: "niet vastgesteld"), ``{all: [..]}``, ``{any: [..]}``.
A comparison with a missing operand is false; so are ``in`` and ``not_in``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Union

from .fields import BOOL, CATALOGUE, DATE, LIST, NUMBER, TABLE, TEXT, suggest

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


class _Bad(Exception):
    def __init__(self, loc: Loc, what: str, hint: str | None = None):
        super().__init__(what)
        self.problem = ParseProblem(loc, what, hint)


def scope_of(*exprs: Any) -> str:
    return "voorziening" if any(getattr(e, "scope", "") == "voorziening" for e in exprs) else "voorstel"


@dataclass
class Context:
    """What names exist: the field catalogue, parameter types, derived values."""

    params: dict[str, tuple[str, str | None]]            # name -> (type, unit)
    derived_raw: dict[str, tuple[Any, str | None, Loc]]  # name -> (raw, unit, loc)
    derived: dict[str, Expr] = field(default_factory=dict)
    problems: list[ParseProblem] = field(default_factory=list)
    _resolving: list[str] = field(default_factory=list)

    # references -----------------------------------------------------------
    def ref(self, text: str, loc: Loc) -> Ref:
        head, _, rest = text.partition(".")
        if text == "peildatum" or head in ("voorstel", "voorziening"):
            return self._field(text, loc)
        if head == "param":
            return self._param(rest, loc)
        if head == "afgeleid":
            return self._derived(rest, loc)
        raise _Bad(loc, f"onbekende verwijzing '{text}'", "begin met voorstel., voorziening., "
                   "param. of afgeleid.")

    def _field(self, path: str, loc: Loc) -> Ref:
        spec = CATALOGUE.get(path)
        if spec is None:
            near = suggest(path, CATALOGUE)
            raise _Bad(loc, f"onbekend veld '{path}'",
                       f"bedoelde u '{near}'?" if near else "zie `maatwerk schema voorstel`")
        return Ref(path, spec.type, spec.unit, spec.scope)

    def _param(self, name: str, loc: Loc) -> Ref:
        if name not in self.params:
            near = suggest(name, self.params)
            raise _Bad(loc, f"onbekende parameter 'param.{name}'",
                       f"bedoelde u 'param.{near}'?" if near else "definieer hem onder parameters")
        kind, unit = self.params[name]
        return Ref(f"param.{name}", kind, unit)

    def _derived(self, name: str, loc: Loc) -> Ref:
        if name not in self.derived_raw:
            near = suggest(name, self.derived_raw)
            raise _Bad(loc, f"onbekende afgeleide waarde 'afgeleid.{name}'",
                       f"bedoelde u 'afgeleid.{near}'?" if near else "definieer hem onder afgeleid")
        expr = self.derived.get(name) or self.resolve_derived(name, loc)
        raw, unit, _ = self.derived_raw[name]
        return Ref(f"afgeleid.{name}", expr.type, unit or getattr(expr, "unit", None),
                   getattr(expr, "scope", "voorstel"))

    def resolve_derived(self, name: str, loc: Loc) -> Expr:
        if name in self._resolving:
            cycle = " -> ".join(self._resolving + [name])
            raise _Bad(loc, f"afgeleide waarden verwijzen in een kring: {cycle}",
                       "haal de kringverwijzing weg")
        raw, _, own_loc = self.derived_raw[name]
        self._resolving.append(name)
        try:
            expr = self.expr(raw, own_loc)
        finally:
            self._resolving.pop()
        self.derived[name] = expr
        return expr

    # expressions ---------------------------------------------------------
    def expr(self, raw: Any, loc: Loc) -> Expr:
        if isinstance(raw, bool):
            return Lit(raw, BOOL)
        if isinstance(raw, (int, float)):
            return Lit(raw, NUMBER)
        if isinstance(raw, str):
            return self._text(raw, loc)
        if isinstance(raw, dict) and len(raw) == 1:
            fn, args = next(iter(raw.items()))
            if fn in FUNCTIONS:
                return self._call(fn, args, loc + (fn,))
            near = suggest(fn, FUNCTIONS + CONDITIONS)
            raise _Bad(loc, f"onbekende berekening '{fn}'",
                       f"bedoelde u '{near}'?" if near else f"kies uit: {', '.join(FUNCTIONS)}")
        raise _Bad(loc, "verwacht een verwijzing, een waarde of een berekening",
                   "bijvoorbeeld voorziening.volume, 42 of {sum: [a, b]}")

    def _text(self, raw: str, loc: Loc) -> Expr:
        head = raw.partition(".")[0]
        if raw == "peildatum" or ("." in raw and head in NAMESPACES):
            return self.ref(raw, loc)
        if "." in raw and " " not in raw and suggest(head, NAMESPACES):
            raise _Bad(loc, f"'{raw}' lijkt een verwijzing met een onbekende naamruimte",
                       f"bedoelde u '{suggest(head, NAMESPACES)}.{raw.partition('.')[2]}'?")
        return Lit(raw, TEXT)

    def _call(self, fn: str, args: Any, loc: Loc) -> Call:
        if not isinstance(args, list) or not args:
            raise _Bad(loc, f"'{fn}' verwacht een lijst met argumenten", f"{{{fn}: [a, b]}}")
        parsed = tuple(self.expr(a, loc + (i,)) for i, a in enumerate(args))
        return _type_call(fn, parsed, loc)

    # conditions ----------------------------------------------------------
    def cond(self, raw: Any, loc: Loc) -> Cond:
        if not isinstance(raw, dict) or len(raw) != 1:
            raise _Bad(loc, "een voorwaarde is een mapping met precies één operator",
                       "bijvoorbeeld {gt: [voorziening.volume, param.max]}")
        op, args = next(iter(raw.items()))
        at = loc + (op,)
        if op in COMPARE:
            a, b = self._pair(op, args, at)
            return _type_compare(op, self.expr(a, at + (0,)), self.expr(b, at + (1,)), at)
        if op in ("exists", "missing"):
            ref = self.expr(args, at)
            if not isinstance(ref, Ref) or ref.name.startswith("param."):
                raise _Bad(at, f"'{op}' verwacht een veld of afgeleide waarde",
                           f"{{{op}: voorstel.onderzoek.behoeften}}")
            return Presence(op == "exists", ref)
        if op == "not_true":
            ref = self.expr(args, at)
            if not isinstance(ref, Ref) or ref.type != BOOL:
                raise _Bad(at, "'not_true' verwacht een ja/nee-veld", "{not_true: voorziening.pgb.vaardig}")
            return Junction("any", (Presence(False, ref), Compare("eq", ref, Lit(False, BOOL))))
        if op in ("in", "not_in"):
            return self._member(op, args, at)
        if op == "contains":
            return self._contains(args, at)
        if op in ("all", "any"):
            if not isinstance(args, list) or not args:
                raise _Bad(at, f"'{op}' verwacht een niet-lege lijst voorwaarden", None)
            return Junction(op, tuple(self.cond(c, at + (i,)) for i, c in enumerate(args)))
        near = suggest(str(op), CONDITIONS)
        raise _Bad(loc, f"onbekende operator '{op}'",
                   f"bedoelde u '{near}'?" if near else f"kies uit: {', '.join(CONDITIONS)}")

    def _pair(self, op: str, args: Any, loc: Loc) -> tuple[Any, Any]:
        if not isinstance(args, list) or len(args) != 2:
            raise _Bad(loc, f"'{op}' verwacht precies twee operanden", f"{{{op}: [a, b]}}")
        return args[0], args[1]

    def _member(self, op: str, args: Any, loc: Loc) -> Member:
        a, options = self._pair(op, args, loc)
        item = self.expr(a, loc + (0,))
        if isinstance(item, Lit):
            raise _Bad(loc + (0,), f"'{op}' toetst een veld, geen vaste waarde",
                       f"{{{op}: [voorziening.productcategorie, ['01']]}}")
        if item.type not in (TEXT, NUMBER):
            raise _Bad(loc + (0,), f"'{op}' werkt op tekst of getallen, niet op {item.type}", None)
        if isinstance(options, str):
            ref = self.expr(options, loc + (1,))
            if not (isinstance(ref, Ref) and ref.type == LIST):
                raise _Bad(loc + (1,), f"'{options}' is geen lijst", "gebruik een lijstparameter")
            return Member(op == "not_in", item, ref)
        return Member(op == "not_in", item, self._literals(options, item, loc + (1,)))

    def _contains(self, args: Any, loc: Loc) -> Cond:
        a, options = self._pair("contains", args, loc)
        ref = self.expr(a, loc + (0,))
        if not (isinstance(ref, Ref) and ref.type == LIST):
            raise _Bad(loc + (0,), "'contains' verwacht een lijstveld",
                       "bijvoorbeeld voorziening.hbh.extra_uren_voor")
        if isinstance(options, str):  # a list parameter: computed before the engines run
            overlap = self._call("overlaps", [a, options], loc)
            return Compare("eq", overlap, Lit(True, BOOL))
        enum = CATALOGUE[ref.name].enum if ref.name in CATALOGUE else None
        holder = Ref(ref.name, TEXT)
        values = self._literals(options, holder, loc + (1,), enum)
        return Contains(ref, values)

    def _literals(self, options: Any, item: Expr, loc: Loc,
                  enum: tuple[str, ...] | None = None) -> tuple[Lit, ...]:
        if not isinstance(options, list) or not options:
            raise _Bad(loc, "verwacht een niet-lege lijst waarden", "bijvoorbeeld ['01', '02']")
        enum = enum or _enum_of(item)
        lits = []
        for i, value in enumerate(options):
            lit = _literal_for(value, item.type, loc + (i,), enum)
            lits.append(lit)
        return tuple(lits)


def _enum_of(expr: Expr) -> tuple[str, ...] | None:
    spec = CATALOGUE.get(expr.name) if isinstance(expr, Ref) else None
    return spec.enum if spec and spec.type == TEXT else None


def _literal_for(value: Any, kind: str, loc: Loc, enum: tuple[str, ...] | None) -> Lit:
    """Type a literal by the operand it is compared with."""
    if kind == NUMBER and isinstance(value, (int, float)) and not isinstance(value, bool):
        return Lit(value, NUMBER)
    if kind == BOOL and isinstance(value, bool):
        return Lit(value, BOOL)
    if kind == DATE and isinstance(value, str):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise _Bad(loc, f"'{value}' is geen datum", "schrijf JJJJ-MM-DD") from None
        return Lit(value, DATE)
    if kind == TEXT and isinstance(value, str):
        if enum and value not in enum:
            near = suggest(value, enum)
            raise _Bad(loc, f"'{value}' is geen mogelijke waarde",
                       f"bedoelde u '{near}'?" if near else f"kies uit: {', '.join(enum)}")
        return Lit(value, TEXT)
    raise _Bad(loc, f"waarde {value!r} past niet bij een {kind}", f"geef een {kind}")


def _same_unit(exprs: tuple[Expr, ...], loc: Loc) -> str | None:
    units = {getattr(e, "unit", None) for e in exprs} - {None}
    if len(units) > 1:
        raise _Bad(loc, f"eenheden verschillen: {' en '.join(sorted(units))}",
                   "reken eerst om met mul of div")
    return units.pop() if units else None


def _type_call(fn: str, args: tuple[Expr, ...], loc: Loc) -> Call:
    scope = scope_of(*args)
    if fn == "days_between":
        _need(args, 2, (DATE, DATE), fn, loc)
        return Call(fn, args, NUMBER, "dagen", scope)
    if fn == "lookup":
        _need(args, 2, (TABLE, NUMBER), fn, loc)
        return Call(fn, args, NUMBER, getattr(args[0], "unit", None), scope)
    if fn == "count_present":
        if not all(isinstance(a, Ref) for a in args):
            raise _Bad(loc, "'count_present' verwacht alleen verwijzingen", None)
        return Call(fn, args, NUMBER, None, scope)
    if fn == "overlaps":
        _need(args, 2, (LIST, LIST), fn, loc)
        return Call(fn, args, BOOL, None, scope)
    if fn in ("diff", "mul", "div", "round"):
        _need(args, 2, (NUMBER, NUMBER), fn, loc)
        if fn == "round" and not (isinstance(args[1], Lit) and isinstance(args[1].value, int)
                                  and 0 <= args[1].value <= 4):
            raise _Bad(loc, "'round' verwacht als tweede argument 0 t/m 4 decimalen", None)
    for i, a in enumerate(args):
        if a.type != NUMBER:
            raise _Bad(loc + (i,), f"'{fn}' rekent met getallen, niet met {a.type}", None)
    unit = _same_unit(args, loc) if fn in ("sum", "diff", "min", "max") else None
    if fn == "round":
        unit = getattr(args[0], "unit", None)
    return Call(fn, args, NUMBER, unit, scope)


def _need(args: tuple[Expr, ...], n: int, kinds: tuple[str, ...], fn: str, loc: Loc) -> None:
    if len(args) != n:
        raise _Bad(loc, f"'{fn}' verwacht {n} argumenten, niet {len(args)}", None)
    for i, (a, kind) in enumerate(zip(args, kinds)):
        if a.type != kind:
            raise _Bad(loc + (i,), f"'{fn}' verwacht als argument {i + 1} een {kind}, "
                       f"geen {a.type}", None)


def _type_compare(op: str, left: Expr, right: Expr, loc: Loc) -> Compare:
    if isinstance(left, Lit) and isinstance(right, Lit):
        raise _Bad(loc, "een vergelijking tussen twee vaste waarden", "vergelijk een veld of parameter")
    if isinstance(left, Lit):
        right, left = left, right
        op = {"gt": "lt", "lt": "gt", "ge": "le", "le": "ge"}.get(op, op)
    if isinstance(right, Lit):
        right = _literal_for(right.value, left.type, loc + (1,), _enum_of(left))
    elif left.type != right.type:
        raise _Bad(loc, f"'{op}' vergelijkt een {left.type} met een {right.type}",
                   "vergelijk waarden van hetzelfde soort")
    if left.type in (LIST, TABLE):
        raise _Bad(loc, f"'{op}' kan geen {left.type} vergelijken", "gebruik in, not_in of contains")
    if op in ORDERING and left.type not in (NUMBER, DATE):
        raise _Bad(loc, f"'{op}' ordent alleen getallen en datums, geen {left.type}",
                   "gebruik eq, ne of in")
    _same_unit((left, right), loc)
    return Compare(op, left, right)


def parse(ctx: Context, raw: Any, loc: Loc, as_condition: bool) -> Any:
    """Parse one condition (or expression); problems go to ctx.problems, result None."""
    try:
        return ctx.cond(raw, loc) if as_condition else ctx.expr(raw, loc)
    except _Bad as bad:
        ctx.problems.append(bad.problem)
        return None


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
