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

from dataclasses import dataclass, field
from typing import Any

from ..model.fields import BOOL, CATALOGUE, LIST, NUMBER, TEXT, suggest
from .tree import (
    COMPARE,
    CONDITIONS,
    FUNCTIONS,
    NAMESPACES,
    Call,
    Compare,
    Cond,
    ConditionError,
    Contains,
    Expr,
    Junction,
    Lit,
    Loc,
    Member,
    ParseProblem,
    Presence,
    Ref,
    first_observation,
    scope_of,
    walk_exprs,
)
from .typecheck import enum_of, literal_for, type_call, type_compare

__all__ = ["Call", "Compare", "Cond", "Contains", "Context", "Expr", "Junction", "Lit", "Member",
           "ParseProblem", "Presence", "Ref", "first_observation", "parse", "scope_of", "walk_exprs"]


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
        raise ConditionError(loc, f"onbekende verwijzing '{text}'", "begin met voorstel., voorziening., "
                   "param. of afgeleid.")

    def _field(self, path: str, loc: Loc) -> Ref:
        spec = CATALOGUE.get(path)
        if spec is None:
            near = suggest(path, CATALOGUE)
            raise ConditionError(loc, f"onbekend veld '{path}'",
                       f"bedoelde u '{near}'?" if near else "zie `maatwerk schema voorstel`")
        return Ref(path, spec.type, spec.unit, spec.scope)

    def _param(self, name: str, loc: Loc) -> Ref:
        if name not in self.params:
            near = suggest(name, self.params)
            raise ConditionError(loc, f"onbekende parameter 'param.{name}'",
                       f"bedoelde u 'param.{near}'?" if near else "definieer hem onder parameters")
        kind, unit = self.params[name]
        return Ref(f"param.{name}", kind, unit)

    def _derived(self, name: str, loc: Loc) -> Ref:
        if name not in self.derived_raw:
            near = suggest(name, self.derived_raw)
            raise ConditionError(loc, f"onbekende afgeleide waarde 'afgeleid.{name}'",
                       f"bedoelde u 'afgeleid.{near}'?" if near else "definieer hem onder afgeleid")
        expr = self.derived.get(name) or self.resolve_derived(name, loc)
        raw, unit, _ = self.derived_raw[name]
        return Ref(f"afgeleid.{name}", expr.type, unit or getattr(expr, "unit", None),
                   getattr(expr, "scope", "voorstel"))

    def resolve_derived(self, name: str, loc: Loc) -> Expr:
        if name in self._resolving:
            cycle = " -> ".join(self._resolving + [name])
            raise ConditionError(loc, f"afgeleide waarden verwijzen in een kring: {cycle}",
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
            raise ConditionError(loc, f"onbekende berekening '{fn}'",
                       f"bedoelde u '{near}'?" if near else f"kies uit: {', '.join(FUNCTIONS)}")
        raise ConditionError(loc, "verwacht een verwijzing, een waarde of een berekening",
                   "bijvoorbeeld voorziening.volume, 42 of {sum: [a, b]}")

    def _text(self, raw: str, loc: Loc) -> Expr:
        head = raw.partition(".")[0]
        if raw == "peildatum" or ("." in raw and head in NAMESPACES):
            return self.ref(raw, loc)
        if "." in raw and " " not in raw and suggest(head, NAMESPACES):
            raise ConditionError(loc, f"'{raw}' lijkt een verwijzing met een onbekende naamruimte",
                       f"bedoelde u '{suggest(head, NAMESPACES)}.{raw.partition('.')[2]}'?")
        return Lit(raw, TEXT)

    def _call(self, fn: str, args: Any, loc: Loc) -> Call:
        if not isinstance(args, list) or not args:
            raise ConditionError(loc, f"'{fn}' verwacht een lijst met argumenten", f"{{{fn}: [a, b]}}")
        parsed = tuple(self.expr(a, loc + (i,)) for i, a in enumerate(args))
        return type_call(fn, parsed, loc)

    # conditions ----------------------------------------------------------
    def cond(self, raw: Any, loc: Loc) -> Cond:
        if not isinstance(raw, dict) or len(raw) != 1:
            raise ConditionError(loc, "een voorwaarde is een mapping met precies één operator",
                       "bijvoorbeeld {gt: [voorziening.volume, param.max]}")
        op, args = next(iter(raw.items()))
        at = loc + (op,)
        if op in COMPARE:
            a, b = self._pair(op, args, at)
            return type_compare(op, self.expr(a, at + (0,)), self.expr(b, at + (1,)), at)
        if op in ("exists", "missing"):
            ref = self.expr(args, at)
            if not isinstance(ref, Ref) or ref.name.startswith("param."):
                raise ConditionError(at, f"'{op}' verwacht een veld of afgeleide waarde",
                           f"{{{op}: voorstel.onderzoek.behoeften}}")
            return Presence(op == "exists", ref)
        if op == "not_true":
            ref = self.expr(args, at)
            if not isinstance(ref, Ref) or ref.type != BOOL:
                raise ConditionError(at, "'not_true' verwacht een ja/nee-veld", "{not_true: voorziening.pgb.vaardig}")
            return Junction("any", (Presence(False, ref), Compare("eq", ref, Lit(False, BOOL))))
        if op in ("in", "not_in"):
            return self._member(op, args, at)
        if op == "contains":
            return self._contains(args, at)
        if op in ("all", "any"):
            if not isinstance(args, list) or not args:
                raise ConditionError(at, f"'{op}' verwacht een niet-lege lijst voorwaarden",
                           f"bijvoorbeeld {{{op}: [{{exists: a}}, {{gt: [b, 1]}}]}}")
            return Junction(op, tuple(self.cond(c, at + (i,)) for i, c in enumerate(args)))
        near = suggest(str(op), CONDITIONS)
        raise ConditionError(loc, f"onbekende operator '{op}'",
                   f"bedoelde u '{near}'?" if near else f"kies uit: {', '.join(CONDITIONS)}")

    def _pair(self, op: str, args: Any, loc: Loc) -> tuple[Any, Any]:
        if not isinstance(args, list) or len(args) != 2:
            raise ConditionError(loc, f"'{op}' verwacht precies twee operanden", f"{{{op}: [a, b]}}")
        return args[0], args[1]

    def _member(self, op: str, args: Any, loc: Loc) -> Member:
        a, options = self._pair(op, args, loc)
        item = self.expr(a, loc + (0,))
        if isinstance(item, Lit):
            raise ConditionError(loc + (0,), f"'{op}' toetst een veld, geen vaste waarde",
                       f"{{{op}: [voorziening.productcategorie, ['01']]}}")
        if item.type not in (TEXT, NUMBER):
            raise ConditionError(loc + (0,), f"'{op}' werkt op tekst of getallen, niet op {item.type}",
                       "kies een tekst- of getalveld")
        if isinstance(options, str):
            ref = self.expr(options, loc + (1,))
            if not (isinstance(ref, Ref) and ref.type == LIST):
                raise ConditionError(loc + (1,), f"'{options}' is geen lijst", "gebruik een lijstparameter")
            return Member(op == "not_in", item, ref)
        return Member(op == "not_in", item, self._literals(options, item, loc + (1,)))

    def _contains(self, args: Any, loc: Loc) -> Cond:
        a, options = self._pair("contains", args, loc)
        ref = self.expr(a, loc + (0,))
        if not (isinstance(ref, Ref) and ref.type == LIST):
            raise ConditionError(loc + (0,), "'contains' verwacht een lijstveld",
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
            raise ConditionError(loc, "verwacht een niet-lege lijst waarden", "bijvoorbeeld ['01', '02']")
        enum = enum or enum_of(item)
        lits = []
        for i, value in enumerate(options):
            lit = literal_for(value, item.type, loc + (i,), enum)
            lits.append(lit)
        return tuple(lits)


def parse(ctx: Context, raw: Any, loc: Loc, as_condition: bool) -> Any:
    """Parse one condition (or expression); problems go to ctx.problems, result None."""
    try:
        return ctx.cond(raw, loc) if as_condition else ctx.expr(raw, loc)
    except ConditionError as bad:
        ctx.problems.append(bad.problem)
        return None


