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

from ..model.fields import CATALOGUE
from ..rules.conditions import Lit, Ref, walk_exprs
from ..rules.resolve import Effective
from .backends.columnar import ColumnarRules, Frame, Unsupported, compiled, python_value
from .columns import Facts
from .derive import param_values
from .explain import afwijking_data

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
    days, inverse = np.unique(param_days[rows], return_inverse=True)
    groups: dict[tuple, tuple[list[int], dict]] = {}
    for i, day in enumerate(days.tolist()):
        params = param_values(eff, dt.date.fromordinal(day))
        key = tuple(id(v) for v in params.values())
        groups.setdefault(key, ([], params))[0].append(i)
    for members, params in groups.values():
        yield rows[np.isin(inverse, members)], params


def _segment(eff: Effective, rules: ColumnarRules, facts: Facts, vrows: np.ndarray, params: dict,
             out: list, observed_only: bool) -> None:
    zrows = np.flatnonzero(np.isin(facts.owner, vrows))
    zowner = facts.owner[zrows]
    vframe = Frame(len(vrows), lambda p: facts.voorstel[p].take(vrows), params, facts.vocab, eff.derived)
    zframe = Frame(len(zrows), lambda p: (facts.voorziening[p].take(zrows) if p in facts.voorziening
                                          else facts.voorstel[p].take(zowner)),
                   params, facts.vocab, eff.derived)
    fired: list[tuple[int, int, int, Frame, int]] = []   # (voorstel row, idx, position, frame, row)
    for scope, frame, owners, idxs in (("voorstel", vframe, vrows, None),
                                       ("voorziening", zframe, zowner, facts.idx[zrows])):
        try:
            masks = rules.fired(scope, frame)
        except Unsupported:
            facts.fallback[owners] = True
            continue
        facts.fallback[owners[frame.fallback]] = True
        for pos, mask in masks:
            for r in np.flatnonzero(mask).tolist():
                fired.append((int(owners[r]), 0 if idxs is None else int(idxs[r]), pos, frame, r))
    fired.sort(key=lambda f: (f[0], f[1], f[2]))
    for owner, idx, pos, frame, r in fired:
        checked = eff.kaders[pos]
        out[owner].append(afwijking_data(checked, _reader(frame, r), idx, observed_only))


def _reader(frame: Frame, row: int):
    """value(expr) for one row of a frame: the column of the expression, computed once."""
    def value(expr: Any) -> Any:
        if isinstance(expr, Lit):
            return expr.value
        key = ("expr", expr)
        col = frame.memo.get(key)
        if col is None:
            col = frame.memo[key] = compiled(expr)(frame)
        return python_value(col, row, frame.vocab)
    return value
