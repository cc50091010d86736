"""The columnar backend: the condition tree compiled to vectorised expressions over fact columns.

The same semantics as the Python backend, on many rows at once: an expression gives a
`Column` of raw values (`derive.Evaluator.value`), a condition compares the fact form of
its operands (`derive.normalize`: numbers below 10^15 rounded to 4 decimals as Python's
`round` does, dates as day numbers, texts as codes) and is false where an operand is
missing. Parameters are constants within a `Frame`: the bulk runner cuts the rows into
frames whose parameter values agree.
"""

from __future__ import annotations

import datetime as dt
import operator
from typing import Any, Callable

import numpy as np

from ...model import dutch
from ...model.fields import BOOL, DATE, LIST, NUMBER, TABLE
from ...model.limits import LIMIT
from ...rules.conditions import Call, Compare, Cond, Contains, Expr, Junction, Lit, Member, Presence, Ref
from ..columns import EXACT, Column, Vocab
from ..derive import normalize

_OPS = {"gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le,
        "eq": operator.eq, "ne": operator.ne}


class Unsupported(Exception):
    """A value this backend cannot represent exactly: the rows go to the Python backend."""


class Const:
    """A list or table parameter: one raw value for the whole frame (None when missing)."""

    type = TABLE

    def __init__(self, value: Any):
        self.value = value


class Frame:
    """Rows of one scope whose parameter values agree: columns by path, parameters by name."""

    def __init__(self, n: int, column: Callable[[str], Column], params: dict, vocab: Vocab,
                 derived: dict[str, Expr]):
        self.n, self._column, self.params, self.vocab, self.derived = n, column, params, vocab, derived
        self.memo: dict[Any, Any] = {}
        self.fallback = np.zeros(n, bool)

    def column(self, path: str) -> Column:
        if path not in self.memo:
            try:
                self.memo[path] = self._column(path)
            except KeyError:
                raise Unsupported(f"no column {path}") from None
        return self.memo[path]

    def param(self, name: str) -> Any:
        entry = self.params.get(name)
        return None if entry is None else entry.waarde


Value = Callable[[Frame], Any]     # -> Column | Const
Test = Callable[[Frame], np.ndarray]


def py_round(x: np.ndarray, digits: int) -> np.ndarray:
    """Python's round(x, digits) for every element: numpy where it is provably the same
    (away from a tie, magnitude below 10^12), Python's own round elsewhere."""
    scale = 10.0 ** digits
    with np.errstate(all="ignore"):
        s = x * scale
        out = np.rint(s) / scale
        risky = ~(np.abs(s) < 1e12) | (np.abs(s - np.floor(s) - 0.5) < 1e-3)
    for i in np.flatnonzero(risky):
        out[i] = round(float(x[i]), digits)
    return out


def half_up(x: np.ndarray, digits: int) -> np.ndarray:
    """`dutch.half_up` for every element (the `round` of a rule, and euro to cents): numpy
    away from a tie (as `py_round`), the decimal rounding of `dutch` near one."""
    scale = 10.0 ** digits
    with np.errstate(all="ignore"):
        s = x * scale
        out = np.rint(s) / scale
        risky = ~(np.abs(s) < 1e12) | (np.abs(s - np.floor(s) - 0.5) < 1e-3)
    for i in np.flatnonzero(risky).tolist():
        v = float(x[i])
        out[i] = float(dutch.half_up(v, digits)) if abs(v) < LIMIT else v
    return out


def fact(col: Any, euro: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The fact form (`derive.normalize`, `derive.normalize_euro` for an amount in euro) of a
    column: (values, present)."""
    if col.type == NUMBER:
        ok = col.ok & (np.abs(col.val) < LIMIT)
        val = col.val.copy()
        floats = ok & ~col.isint
        if floats.any():
            val[floats] = half_up(col.val[floats], 2) if euro else py_round(col.val[floats], 4)
        return val, ok
    return col.val, col.ok


def scalar(kind: str, value: Any, n: int, vocab: Vocab) -> Any:
    """A parameter or literal as a column of n equal values."""
    if kind in (LIST, TABLE):
        return Const(value)
    ok = np.full(n, value is not None)
    if kind == NUMBER:
        if value is not None and isinstance(value, int) and abs(value) >= EXACT:
            raise Unsupported("int beyond float precision")
        isint = isinstance(value, int) and not isinstance(value, bool)
        return Column(NUMBER, np.full(n, 0.0 if value is None else float(value)), ok, np.full(n, isint))
    if kind == BOOL:
        return Column(BOOL, np.full(n, 1.0 if value else 0.0), ok)
    if kind == DATE:
        return Column(DATE, np.full(n, 0 if value is None else _ordinal(value), np.int64), ok)
    return Column(kind, np.full(n, -1 if value is None else vocab.code(value), np.int64), ok)


def _ordinal(value: Any) -> int:
    if isinstance(value, dt.date):
        return value.toordinal()
    day = dt.date.fromisoformat(value)
    if day.isoformat() != value:    # text that orders differently from its date
        raise Unsupported(f"date literal {value!r}")
    return day.toordinal()


def literal(lit: Lit, kind: str, vocab: Vocab) -> Any:
    """The fact form of a literal operand, comparable with a `fact` column of this kind."""
    value = normalize(lit.value)
    if value is None:
        raise Unsupported(f"literal {lit.value!r}")
    if kind in (NUMBER, BOOL):
        return float(value)
    if kind == DATE:
        return _ordinal(value)
    return vocab.known(value)


# --- conditions -----------------------------------------------------------------------------
def compile_condition(cond: Cond) -> Test:
    if isinstance(cond, Compare):
        return _compare(cond)
    if isinstance(cond, Presence):
        ref, present, expr = compile_expr(cond.ref), cond.present, cond.ref
        return lambda fr: fact_of(fr, expr, ref)[1] == present
    if isinstance(cond, Member):
        return _member(cond)
    if isinstance(cond, Contains):
        return _contains(cond)
    if isinstance(cond, Junction):
        tests = [compile_condition(c) for c in cond.items]
        reduce = np.logical_and.reduce if cond.op == "all" else np.logical_or.reduce
        return lambda fr: reduce([t(fr) for t in tests]) if len(tests) > 1 else tests[0](fr)
    raise AssertionError(f"unknown condition {cond!r}")


def fact_of(fr: Frame, expr: Expr, value: Value) -> tuple[np.ndarray, np.ndarray]:
    """`fact` of an operand, computed once per frame (many kaders compare the same slot)."""
    key = ("fact", expr)
    found = fr.memo.get(key)
    if found is None:
        found = fr.memo[key] = fact(value(fr), getattr(expr, "unit", None) == "EUR")
    return found


def _compare(cond: Compare) -> Test:
    op, left, kind, lexpr = _OPS[cond.op], compile_expr(cond.left), cond.left.type, cond.left
    if isinstance(cond.right, Lit):
        lit = cond.right

        def against_literal(fr: Frame) -> np.ndarray:
            val, ok = fact_of(fr, lexpr, left)
            return ok & op(val, literal(lit, kind, fr.vocab))
        return against_literal
    right, rexpr = compile_expr(cond.right), cond.right

    def against_operand(fr: Frame) -> np.ndarray:
        a, a_ok = fact_of(fr, lexpr, left)
        b, b_ok = fact_of(fr, rexpr, right)
        return a_ok & b_ok & op(a, b)
    return against_operand


def _member(cond: Member) -> Test:
    item, negate, kind, iexpr = compile_expr(cond.item), cond.negate, cond.item.type, cond.item
    if isinstance(cond.options, tuple):
        options = cond.options

        def in_literals(fr: Frame) -> np.ndarray:
            val, ok = fact_of(fr, iexpr, item)
            wanted = [literal(o, kind, fr.vocab) for o in options]
            return ok & (np.isin(val, wanted) != negate)
        return in_literals
    options_ref = compile_expr(cond.options)

    def in_parameter(fr: Frame) -> np.ndarray:
        val, ok = fact_of(fr, iexpr, item)
        opts = options_ref(fr).value
        if opts is None:
            return np.zeros(fr.n, bool)
        if kind == NUMBER:       # a number is never equal to the texts of a list parameter
            return ok & negate
        wanted = [fr.vocab.known(str(o)) for o in opts]
        return ok & (np.isin(val, wanted) != negate)
    return in_parameter


def _contains(cond: Contains) -> Test:
    ref, options = compile_expr(cond.ref), cond.options

    def run(fr: Frame) -> np.ndarray:
        col = ref(fr)
        wanted = [fr.vocab.known(normalize(o.value)) for o in options]
        hit = np.bincount(col.rows[np.isin(col.val, wanted)], minlength=fr.n) > 0
        return col.ok & hit
    return run


# --- expressions ----------------------------------------------------------------------------
def compile_expr(expr: Expr) -> Value:
    if isinstance(expr, Lit):
        value, kind = expr.value, expr.type
        return lambda fr: scalar(kind, value, fr.n, fr.vocab)
    if isinstance(expr, Call):
        return _call(expr)
    head, _, name = expr.name.partition(".")
    if head == "param":
        kind = expr.type
        return lambda fr: scalar(kind, fr.param(name), fr.n, fr.vocab)
    if head == "afgeleid":
        return lambda fr: _derived(fr, name)
    path = expr.name
    return lambda fr: fr.column(path)


def _derived(fr: Frame, name: str) -> Any:
    key = ("afgeleid", name)
    if key not in fr.memo:
        fr.memo[key] = compiled(fr.derived[name])(fr)
    return fr.memo[key]


_COMPILED: dict[Any, Value] = {}


def compiled(expr: Expr) -> Value:
    """The compiled form of an expression, compiled once per process."""
    try:
        found = _COMPILED.get(expr)
    except TypeError:            # a literal holding a list: not hashable, cheap to compile
        return compile_expr(expr)
    if found is None:
        if len(_COMPILED) > 50_000:
            _COMPILED.clear()
        found = _COMPILED[expr] = compile_expr(expr)
    return found


def _call(call: Call) -> Value:
    args = [compile_expr(a) for a in call.args]
    fn = call.fn
    if fn == "count_present":
        return lambda fr: _count_present([a(fr) for a in args], fr.n)
    if fn == "days_between":
        return lambda fr: _days_between(args[0](fr), args[1](fr))
    if fn == "lookup":
        return lambda fr: _lookup(args[0](fr).value, args[1](fr), fr.n)
    if fn == "overlaps":
        return lambda fr: _overlaps(args[0](fr), args[1](fr), fr)
    return lambda fr: _arithmetic(fn, [a(fr) for a in args], fr)


def _count_present(cols: list, n: int) -> Column:
    total = np.zeros(n)
    for col in cols:
        total += (np.full(n, col.value is not None) if isinstance(col, Const) else col.ok)
    return Column(NUMBER, total, np.ones(n, bool), np.ones(n, bool))


def _days_between(a: Column, b: Column) -> Column:
    ok = a.ok & b.ok
    return Column(NUMBER, (b.val - a.val).astype(float), ok, np.ones(len(ok), bool))


def _lookup(bands: Any, key: Column, n: int) -> Column:
    """`derive.band_of` on every row: the first band that holds the key (`Band.holds`, with
    its inclusive or exclusive bounds); a band whose waarde is null gives no value."""
    val, valued, isint = np.zeros(n), np.zeros(n, bool), np.zeros(n, bool)
    for band in reversed(bands or []):
        hit = _holds(band, key.val)
        waarde = band.waarde
        val = np.where(hit, 0.0 if waarde is None else float(waarde), val)
        valued = np.where(hit, waarde is not None, valued)
        isint = np.where(hit, isinstance(waarde, int) and not isinstance(waarde, bool), isint)
    return Column(NUMBER, val, key.ok & valued & (bands is not None), isint)


def _holds(band: Any, keys: np.ndarray) -> np.ndarray:
    low, low_in = band.lower
    high, high_in = band.upper
    with np.errstate(invalid="ignore"):
        hit = keys >= low if low_in else keys > low
        if high is not None:
            hit &= keys <= high if high_in else keys < high
    return hit


def _overlaps(a: Any, b: Any, fr: Frame) -> Column:
    if isinstance(a, Const) and isinstance(b, Const):
        hit = a.value is not None and b.value is not None and bool(set(a.value) & set(b.value))
        return Column(BOOL, np.full(fr.n, float(hit)), np.full(fr.n, a.value is not None and b.value is not None))
    if isinstance(a, Const):
        a, b = b, a
    if not isinstance(b, Const):
        raise Unsupported("overlaps of two list fields")
    if b.value is None:
        return Column(BOOL, np.zeros(fr.n), np.zeros(fr.n, bool))
    if not all(isinstance(x, str) for x in b.value):
        raise Unsupported("list parameter with non-text items")
    wanted = [fr.vocab.known(x) for x in b.value]
    hit = np.bincount(a.rows[np.isin(a.val, wanted)], minlength=fr.n) > 0
    return Column(BOOL, hit.astype(float), a.ok.copy())


def _arithmetic(fn: str, cols: list[Column], fr: Frame) -> Column:
    """sum diff mul div min max round, as `derive._apply` after its range check."""
    ok = np.logical_and.reduce([c.ok & (np.abs(c.val) < LIMIT) for c in cols])
    vals = [c.val for c in cols]
    isint = np.logical_and.reduce([c.isint for c in cols])
    with np.errstate(all="ignore"):
        if fn in ("sum", "diff", "mul"):
            out = _fold(fn, vals)
        elif fn == "div":
            ok = ok & (vals[1] != 0)
            out, isint = vals[0] / np.where(vals[1] != 0, vals[1], 1.0), np.zeros(fr.n, bool)
        elif fn in ("min", "max"):
            out, isint = _extreme(fn, cols)
        else:  # round: an int stays as it is
            out, isint = np.where(cols[0].isint, vals[0], half_up(vals[0], int(vals[1][0]) if fr.n else 0)), \
                cols[0].isint.copy()
    fr.fallback |= ok & isint & ~(np.abs(out) < EXACT)
    return Column(NUMBER, out, ok, isint)


def _fold(fn: str, vals: list[np.ndarray]) -> np.ndarray:
    if fn == "sum":
        out = np.zeros(len(vals[0]))
        for v in vals:
            out = out + v
        return out
    return vals[0] - vals[1] if fn == "diff" else vals[0] * vals[1]


def _extreme(fn: str, cols: list[Column]) -> tuple[np.ndarray, np.ndarray]:
    out, isint = cols[0].val.copy(), cols[0].isint.copy()
    for c in cols[1:]:
        take = c.val < out if fn == "min" else c.val > out
        out, isint = np.where(take, c.val, out), np.where(take, c.isint, isint)
    return out, isint


def python_value(col: Any, row: int, vocab: Vocab) -> Any:
    """The raw Python value of one row, as `derive.Evaluator.value` gives it."""
    if isinstance(col, Const):
        return col.value
    if not col.ok[row]:
        return None
    if col.type == NUMBER:
        v = col.val[row]
        return int(v) if col.isint[row] else float(v)
    if col.type == BOOL:
        return bool(col.val[row])
    if col.type == DATE:
        return dt.date.fromordinal(int(col.val[row]))
    if col.type == LIST:
        return [vocab.words[c] for c in col.items(row)]
    return vocab.words[int(col.val[row])]


class ColumnarRules:
    """A compiled ruleset: one vectorised test per kader, by the scope it applies to."""

    engine = "columnar"

    def __init__(self, kaders: list[tuple[int, str, Cond]]):
        self.tests: dict[str, list[tuple[int, Test]]] = {"voorstel": [], "voorziening": []}
        for pos, scope, cond in kaders:
            self.tests[scope].append((pos, compile_condition(cond)))

    def fired(self, scope: str, fr: Frame) -> list[tuple[int, np.ndarray]]:
        """(kader position, mask of rows where it holds) for every kader of this scope."""
        return [(pos, test(fr)) for pos, test in self.tests[scope]]
