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

from ..model.fields import CATALOGUE, NUMBER
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
    """Per voorstel row: its afwijkingen (None where the Python backend must decide)."""

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
    """The rows cut by the parameter values in force on their day."""
    import datetime as dt
    # the one parameter-date rule (as Evaluator): never before the version's first day
    days, inverse = np.unique(np.maximum(param_days[rows], eff.head.geldig_vanaf.toordinal()),
                              return_inverse=True)
    groups: dict[tuple, tuple[list[int], dict]] = {}
    for i, day in enumerate(days.tolist()):
        params = param_values(eff, dt.date.fromordinal(day))
        key = tuple(id(v) for v in params.values())
        groups.setdefault(key, ([], params))[0].append(i)
    for members, params in groups.values():
        yield rows[np.isin(inverse, members)], params


def _segment(eff: Effective, rules: ColumnarRules, facts: Facts, vrows: np.ndarray, params: dict,
             out: list, observed_only: bool) -> None:
    fired: list[tuple[int, int, int, Frame, int]] = []   # (voorstel row, idx, position, frame, row)
    for frame, owners, idxs, masks in _fired_frames(eff, rules, facts, vrows, params):
        for pos, mask in masks:
            for r in np.flatnonzero(mask).tolist():
                fired.append((int(owners[r]), int(idxs[r]), pos, frame, r))
    fired.sort(key=lambda f: (f[0], f[1], f[2]))
    for owner, idx, pos, frame, r in fired:
        try:
            out[owner].append(afwijking_data(eff.kaders[pos], _reader(frame, r), idx, observed_only))
        except Unsupported:
            facts.fallback[owner] = True


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
    idx (0 for the voorstel), kader position, and the JSON form of waargenomen and grens."""

    row: np.ndarray
    idx: np.ndarray
    pos: np.ndarray
    waargenomen: list
    grens: list


def observe(eff: Effective, facts: Facts, param_days: np.ndarray, rows: np.ndarray) -> Observed:
    """What `evaluate(..., observed_only=True)` gives, without a dict per afwijking: the
    fast path of impact. Rows in `facts.fallback` afterwards are left to Python."""
    rules = columnar_rules(eff)
    parts: list[tuple] = []
    for vrows, params in _segments(eff, param_days, rows):
        parts += _observe_segment(eff, rules, facts, vrows, params)
    if not parts:
        empty = np.zeros(0, np.int64)
        return Observed(empty, empty, empty, [], [])
    row, idx, pos = (np.concatenate([p[k] for p in parts]) for k in range(3))
    w = [x for p in parts for x in p[3]]
    g = [x for p in parts for x in p[4]]
    order = np.lexsort((pos, idx, row)).tolist()
    keep = ~facts.fallback[row[order]]
    order = [o for o, k in zip(order, keep.tolist()) if k]
    return Observed(row[order], idx[order], pos[order], [w[o] for o in order], [g[o] for o in order])


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


def _json_column(frame: Frame, expr: Any, hits: np.ndarray) -> list:
    """`explain.json_value` of an expression on the rows hit, as a list."""
    if expr is None:
        return [None] * len(hits)
    unit = getattr(expr, "unit", None)       # euro in whole cents, as explain.json_value
    if isinstance(expr, Lit):
        return [json_value(expr.value, unit)] * len(hits)
    col = _column(frame, expr)
    if isinstance(col, Const):
        return [json_value(col.value, unit)] * len(hits)
    if col.type != NUMBER:
        return [json_value(python_value(col, r, frame.vocab), unit) for r in hits.tolist()]
    val, isint, ok = col.val[hits], col.isint[hits], col.ok[hits]
    plain = np.where(isint | ~ok, 0.0, val)
    rounded = (half_up(plain, 2) if unit == "EUR" else py_round(plain, 4)).tolist()
    return [None if not o else int(v) if i else r
            for v, i, o, r in zip(val.tolist(), isint.tolist(), ok.tolist(), rounded)]
