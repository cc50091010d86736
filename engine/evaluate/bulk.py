"""Bulk evaluation: one ruleset over the fact columns of many voorstellen at once.

The rows are cut into frames whose parameter values agree (parameters change on a few
dates a year, so there are few frames); in each frame every kader is one vectorised
test. The afwijkingen of the rows that fired are then described like `check`
describes them (`explain.afwijking_data`), in the same order: the voorstel's kaders
first, then per voorziening, each in kader order.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from ..model.fields import CATALOGUE, LIST, NUMBER
from ..rules.conditions import Lit, Ref, walk_exprs
from ..rules.resolve import Effective
from .backends.columnar import (
    ColumnarRules,
    Const,
    Frame,
    Unsupported,
    compiled,
    half_up,
    py_round,
    python_value,
)
from .columns import Facts
from .derive import param_values
from .explain import afwijking_data, json_value

_RULES: dict[str, ColumnarRules] = {}
_LOCK = threading.Lock()


def columnar_rules(eff: Effective) -> ColumnarRules:
    """The vectorised tests of this content; compiled at most once per process."""
    with _LOCK:
        if eff.sha256 not in _RULES:
            if len(_RULES) > 256:
                _RULES.clear()
            _RULES[eff.sha256] = ColumnarRules(
                [(c.position, c.scope, c.condition) for c in eff.kaders])
        return _RULES[eff.sha256]


def field_paths(eff: Effective) -> tuple[set[str], set[str]]:
    """The catalogue fields this ruleset reads, split by scope (voorstel, voorziening)."""
    exprs: list[Any] = []
    for checked in eff.kaders:
        exprs += list(walk_exprs(checked.condition))
        exprs += [e for e in (checked.waargenomen, checked.grens) if e is not None]
        exprs += [e for _, e in checked.placeholders]
    for derived in eff.derived.values():
        exprs += list(walk_exprs(derived))
    names = {e.name for x in exprs for e in walk_exprs(x) if isinstance(e, Ref)}
    fields = {n for n in names if n in CATALOGUE}
    return ({n for n in fields if CATALOGUE[n].scope == "voorstel"},
            {n for n in fields if CATALOGUE[n].scope == "voorziening"})


@dataclass
class Result:
    """Per voorstel row: its afwijkingen (None where the Python backend must decide). Rows
    with equal values share their afwijking dicts: read them, copy before changing one."""

    afwijkingen: list[list[dict] | None]

    @property
    def fallback(self) -> list[int]:
        return [i for i, a in enumerate(self.afwijkingen) if a is None]


def evaluate(eff: Effective, facts: Facts, param_days: np.ndarray, rows: np.ndarray | None = None,
             observed_only: bool = False) -> Result:
    """Every afwijking of the chosen voorstel rows (all by default); parameters are read on
    param_days (a day number per row), fields on each row's own peildatum."""
    rows = np.arange(facts.n) if rows is None else np.asarray(rows, np.int64)
    out: list[list[dict] | None] = [None] * facts.n
    for i in rows.tolist():
        out[i] = []
    rules = columnar_rules(eff)
    for vrows, params in _segments(eff, param_days, rows):
        _segment(eff, rules, facts, vrows, params, out, observed_only)
    for i in np.flatnonzero(facts.fallback[rows]).tolist():
        out[int(rows[i])] = None
    return Result(out)


def _segments(eff: Effective, param_days: np.ndarray, rows: np.ndarray) -> Iterator[tuple[np.ndarray, dict]]:
    """The rows cut by the parameter values in force on their day. Between two days on
    which a value of some parameter starts, every parameter keeps its value: those
    periods are looked up once each, and periods with the same values are joined."""
    import datetime as dt
    # the one parameter-date rule (as Evaluator): never before the version's first day
    days = np.maximum(param_days[rows], eff.head.geldig_vanaf.toordinal())
    starts = np.array(sorted({w.vanaf.toordinal() for p in eff.parameters.values() for w in p.waarden}),
                      np.int64)
    periods, first, inverse = np.unique(np.searchsorted(starts, days, side="right"),
                                        return_index=True, return_inverse=True)
    group_of = np.zeros(len(periods), np.int64)
    groups: dict[tuple, tuple[int, dict]] = {}
    for k, row in enumerate(first.tolist()):
        params = param_values(eff, dt.date.fromordinal(int(days[row])))
        key = tuple(id(v) for v in params.values())       # the values by identity
        group_of[k] = groups.setdefault(key, (len(groups), params))[0]
    row_group = group_of[inverse.reshape(-1)]
    for g, params in groups.values():
        yield rows[row_group == g], params


def _segment(eff: Effective, rules: ColumnarRules, facts: Facts, vrows: np.ndarray, params: dict,
             out: list, observed_only: bool) -> None:
    fired: list[tuple[int, int, int, dict]] = []   # (voorstel row, idx, position, afwijking)
    for frame, owners, idxs, masks in _fired_frames(eff, rules, facts, vrows, params):
        for pos, mask in masks:
            hits = np.flatnonzero(mask)
            if not len(hits):
                continue
            try:
                found = _described(eff.kaders[pos], frame, hits, idxs, observed_only)
            except Unsupported:
                facts.fallback[owners[hits]] = True
                continue
            fired += zip(owners[hits].tolist(), idxs[hits].tolist(), [pos] * len(hits), found)
    fired.sort(key=lambda f: (f[0], f[1], f[2]))
    for owner, _, _, data in fired:
        out[owner].append(data)


def _described(checked, frame: Frame, hits: np.ndarray, idxs: np.ndarray, observed_only: bool) -> list[dict]:
    """`afwijking_data` of every hit row. Rows whose raw values are equal get the same
    description, so each distinct set of values is described once (the Dutch formatting is
    most of a replay's time); rows of one group and voorziening share one dict."""
    groups, first = _value_groups(frame, checked, hits)
    base = [afwijking_data(checked, _reader(frame, int(hits[f])), 0, observed_only) for f in first]
    shared: dict[tuple[int, int], dict] = {}
    out = []
    for key in zip(groups.tolist(), idxs[hits].tolist()):
        data = shared.get(key)
        if data is None:
            data = shared[key] = {**base[key[0]], "voorziening": key[1] or None}
        out.append(data)
    return out


def _value_groups(frame: Frame, checked, hits: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Per hit row the number of its group of rows with equal raw values (everything a
    description reads, as `python_value` gives it), and the first hit of each group."""
    exprs = [checked.waargenomen, checked.grens, *(e for _, e in checked.placeholders)]
    parts: list[np.ndarray] = []
    for expr in exprs:
        if expr is None or isinstance(expr, Lit):
            continue
        col = _column(frame, expr)
        if isinstance(col, Const):
            continue
        if col.type == LIST or col.val.dtype == object:   # no cheap key: each row on its own
            return np.arange(len(hits)), list(range(len(hits)))
        ok = col.ok[hits]
        bits = np.where(ok, col.val[hits], 0).astype(np.float64).view(np.int64)  # -0.0 ≠ 0.0
        parts += [ok.astype(np.int64), bits]
        if col.isint is not None:
            parts.append(col.isint[hits].astype(np.int64))
    if not parts:
        return np.zeros(len(hits), np.int64), [0]
    _, first, groups = np.unique(np.stack(parts, axis=1), axis=0, return_index=True,
                                 return_inverse=True)
    return groups.reshape(-1), first.tolist()


def _reader(frame: Frame, row: int):
    """value(expr) for one row of a frame: the column of the expression, computed once."""
    def value(expr: Any) -> Any:
        if isinstance(expr, Lit):
            return expr.value
        return python_value(_column(frame, expr), row, frame.vocab)
    return value


@dataclass
class Observed:
    """Every afwijking of the chosen rows as columns, in `check` order: voorstel row, voorziening
    idx (0 for the voorstel), kader position, and the JSON form of waargenomen and grens
    (arrays of objects)."""

    row: np.ndarray
    idx: np.ndarray
    pos: np.ndarray
    waargenomen: np.ndarray
    grens: np.ndarray


def observe(eff: Effective, facts: Facts, param_days: np.ndarray, rows: np.ndarray) -> Observed:
    """What `evaluate(..., observed_only=True)` gives, without a dict per afwijking: the
    fast path of impact. Rows in `facts.fallback` afterwards are left to Python."""
    rules = columnar_rules(eff)
    parts: list[tuple] = []
    for vrows, params in _segments(eff, param_days, rows):
        parts += _observe_segment(eff, rules, facts, vrows, params)
    if not parts:
        empty = np.zeros(0, np.int64)
        return Observed(empty, empty, empty, _same(None, 0), _same(None, 0))
    row, idx, pos, w, g = (np.concatenate([p[k] for p in parts]) for k in range(5))
    order = np.lexsort((pos, idx, row))
    order = order[~facts.fallback[row[order]]]
    return Observed(row[order], idx[order], pos[order], w[order], g[order])


def _observe_segment(eff: Effective, rules: ColumnarRules, facts: Facts, vrows: np.ndarray,
                     params: dict) -> list[tuple]:
    out = []
    for frame, owners, idxs, masks in _fired_frames(eff, rules, facts, vrows, params):
        for pos, mask in masks:
            hits = np.flatnonzero(mask)
            if not len(hits):
                continue
            checked = eff.kaders[pos]
            try:
                w = _json_column(frame, checked.waargenomen, hits)
                g = _json_column(frame, checked.grens, hits)
            except Unsupported:
                facts.fallback[owners[hits]] = True
                continue
            out.append((owners[hits], idxs[hits], np.full(len(hits), pos), w, g))
    return out


def _fired_frames(eff: Effective, rules: ColumnarRules, facts: Facts, vrows: np.ndarray,
                  params: dict) -> Iterator[tuple]:
    """(frame, voorstel row per frame row, idx per frame row, fired masks) for both scopes;
    rows the columns cannot evaluate are marked for the Python backend."""
    for scope, frame, owners, idxs in _frames(eff, facts, vrows, params):
        try:
            masks = rules.fired(scope, frame)
        except Unsupported:
            facts.fallback[owners] = True
            continue
        facts.fallback[owners[frame.fallback]] = True
        yield frame, owners, idxs, masks


def _column(frame: Frame, expr: Any):
    """The column of an expression in a frame, computed once per frame."""
    key = ("expr", expr)
    col = frame.memo.get(key)
    if col is None:
        col = frame.memo[key] = compiled(expr)(frame)
    return col


def _frames(eff: Effective, facts: Facts, vrows: np.ndarray, params: dict) -> list[tuple]:
    """(scope, frame, voorstel row per frame row, idx per frame row) for both scopes."""
    zrows = np.flatnonzero(np.isin(facts.owner, vrows))
    zowner = facts.owner[zrows]
    vframe = Frame(len(vrows), lambda p: facts.voorstel[p].take(vrows), params, facts.vocab, eff.derived)
    zframe = Frame(len(zrows), lambda p: (facts.voorziening[p].take(zrows) if p in facts.voorziening
                                          else facts.voorstel[p].take(zowner)),
                   params, facts.vocab, eff.derived)
    return [("voorstel", vframe, vrows, np.zeros(len(vrows), np.int64)),
            ("voorziening", zframe, zowner, facts.idx[zrows])]


def _json_column(frame: Frame, expr: Any, hits: np.ndarray) -> np.ndarray:
    """`explain.json_value` of an expression on the rows hit, as an array of objects."""
    if expr is None:
        return _same(None, len(hits))
    unit = getattr(expr, "unit", None)       # euro in whole cents, as explain.json_value
    if isinstance(expr, Lit):
        return _same(json_value(expr.value, unit), len(hits))
    col = _column(frame, expr)
    if isinstance(col, Const):
        return _same(json_value(col.value, unit), len(hits))
    ok = col.ok[hits]
    out = np.full(len(hits), None, object)
    if col.type == LIST:
        out[:] = _objects([json_value(python_value(col, r, frame.vocab), unit) for r in hits.tolist()])
        return out
    val = col.val[hits][ok]
    if col.type == NUMBER:
        isint = col.isint[hits][ok]
        plain = np.where(isint, 0.0, val)
        shown = (half_up(plain, 2) if unit == "EUR" else py_round(plain, 4)).astype(object)
        with np.errstate(invalid="ignore"):      # an int beyond 2**53 falls back anyway
            shown[isint] = val[isint].astype(np.int64).astype(object)
        out[ok] = shown
        return out
    values, first, inverse = np.unique(val, return_index=True, return_inverse=True)
    rows = hits[ok]          # a date, text or ja/nee: described once per distinct value
    once = [json_value(python_value(col, int(rows[f]), frame.vocab), unit) for f in first.tolist()]
    out[ok] = _objects(once)[inverse.reshape(-1)] if len(values) else out[ok]
    return out


def _objects(values: list) -> np.ndarray:
    """A list as a 1-d array of its objects (a list element stays one element)."""
    return np.fromiter(values, object, len(values))


def _same(value: Any, n: int) -> np.ndarray:
    out = np.empty(n, object)
    out.fill(value)
    return out
