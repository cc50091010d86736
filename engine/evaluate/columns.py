"""Fact columns: the catalogue fields of many voorstellen, derived once, kept as numpy arrays.

Two tables: one row per voorstel (besluit) and one row per voorziening (``owner`` is the
voorstel row, ``idx`` its position 1..n). A value is kept raw, as `derive.Evaluator.value`
returns it, typed by the catalogue:

* getal: float64 ``val`` with ``ok`` (present) and ``isint`` (a Python int, not a float);
* datum: the day number (``date.toordinal``): orders like the ISO text the facts hold;
* ja/nee: 0.0/1.0; tekst: a code in the shared `Vocab`;
* lijst: one entry per element (``rows`` its row, ``val`` its code), ``ok`` per row.

A row whose value a float cannot hold exactly (an int beyond 2**53) is marked in
``fallback``: the bulk runner hands that besluit to the Python backend.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from ..model.fields import BOOL, CATALOGUE, DATE, LIST, NUMBER
from ..model.voorstel import Voorstel

EXACT = 2.0 ** 53


class Vocab:
    """Text values as small integer codes, shared by every column of one set of facts."""

    def __init__(self) -> None:
        self.codes: dict[Any, int] = {}
        self.words: list[Any] = []

    def code(self, word: Any) -> int:
        found = self.codes.get(word)
        if found is None:
            found = self.codes[word] = len(self.words)
            self.words.append(word)
        return found

    def known(self, word: Any) -> int:
        """The code of a word, or -2 (equal to no stored value) when never seen."""
        return self.codes.get(word, -2)


@dataclass
class Column:
    type: str
    val: np.ndarray
    ok: np.ndarray
    isint: np.ndarray | None = None
    rows: np.ndarray | None = None      # lijst: the row of each element (sorted)

    def __len__(self) -> int:
        return len(self.ok)

    def take(self, index: np.ndarray) -> "Column":
        if self.type != LIST:
            return Column(self.type, self.val[index], self.ok[index],
                          None if self.isint is None else self.isint[index])
        counts = np.bincount(self.rows, minlength=len(self.ok))
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        per = counts[index]
        total = int(per.sum())
        new_rows = np.repeat(np.arange(len(index)), per)
        first = np.concatenate(([0], np.cumsum(per)[:-1]))
        offsets = np.repeat(starts[index] - first, per) + np.arange(total)
        return Column(LIST, self.val[offsets], self.ok[index], None, new_rows)

    def items(self, row: int) -> list[int]:
        lo, hi = np.searchsorted(self.rows, [row, row + 1])
        return self.val[lo:hi].tolist()


def concat(parts: list[Column]) -> Column:
    first = parts[0]
    if first.type != LIST:
        isint = None if first.isint is None else np.concatenate([p.isint for p in parts])
        return Column(first.type, np.concatenate([p.val for p in parts]),
                      np.concatenate([p.ok for p in parts]), isint)
    shift = np.cumsum([0] + [len(p) for p in parts[:-1]])
    return Column(LIST, np.concatenate([p.val for p in parts]), np.concatenate([p.ok for p in parts]),
                  None, np.concatenate([p.rows + s for p, s in zip(parts, shift)]))


def to_column(kind: str, values: list[Any], vocab: Vocab) -> tuple[Column, np.ndarray]:
    """A column of raw values, and the rows a float cannot hold exactly."""
    n = len(values)
    ok = np.fromiter((v is not None for v in values), bool, n)
    bad = np.zeros(n, bool)
    if kind == NUMBER:
        isint = np.fromiter((isinstance(v, int) and not isinstance(v, bool) for v in values), bool, n)
        val = np.fromiter((_float(v) for v in values), float, n)
        bad = isint & ~(np.abs(val) < EXACT)
        return Column(NUMBER, val, ok, isint), bad
    if kind == DATE:
        return Column(DATE, np.fromiter((v.toordinal() if v is not None else 0 for v in values),
                                        np.int64, n), ok), bad
    if kind == BOOL:
        return Column(BOOL, np.fromiter((1.0 if v else 0.0 for v in values), float, n), ok), bad
    if kind == LIST:
        rows = [i for i, v in enumerate(values) if v for _ in v]
        codes = [vocab.code(str(x)) for v in values if v for x in v]
        return Column(LIST, np.array(codes, np.int64), ok, None, np.array(rows, np.int64)), bad
    return Column(kind, np.fromiter((-1 if v is None else vocab.code(v) for v in values),
                                    np.int64, n), ok), bad


def _float(v: Any) -> float:
    if v is None:
        return 0.0
    try:
        return float(v)
    except OverflowError:
        return float("inf") if v > 0 else float("-inf")


class Facts:
    """The fact columns of many voorstellen, each on its own peildatum."""

    def __init__(self, vpaths: Iterable[str], zpaths: Iterable[str]):
        self.vpaths = sorted(set(vpaths) | {"peildatum"})
        self.zpaths = sorted(zpaths)
        self.vocab = Vocab()
        self.voorstel: dict[str, Column] = {}
        self.voorziening: dict[str, Column] = {}
        self.owner = np.zeros(0, np.int64)
        self.idx = np.zeros(0, np.int64)
        self.fallback = np.zeros(0, bool)
        self._pending: list[tuple[Voorstel, dt.date]] = []
        self._parts: list[tuple[dict, dict, np.ndarray, np.ndarray, np.ndarray]] = []

    @property
    def n(self) -> int:
        return len(self.fallback)

    def add(self, voorstel: Voorstel, peildatum: dt.date) -> None:
        self._pending.append((voorstel, peildatum))
        if len(self._pending) >= 2_000:     # the voorstel objects live only this long
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        vcols, vbad = self._table(self.vpaths, [(s, None, d) for s, d in pending])
        zitems = [(s, z, d) for s, d in pending for z in s.voorzieningen]
        zcols, zbad = self._table(self.zpaths, zitems)
        owner = np.repeat(np.arange(len(pending)), [len(s.voorzieningen) for s, _ in pending])
        idx = np.concatenate([np.arange(1, len(s.voorzieningen) + 1) for s, _ in pending] or
                             [np.zeros(0, np.int64)]).astype(np.int64)
        bad = vbad.copy()
        bad[owner[zbad]] = True
        self._parts.append((vcols, zcols, owner, idx, bad))

    def _table(self, paths: list[str], items: list) -> tuple[dict[str, Column], np.ndarray]:
        cols, bad = {}, np.zeros(len(items), bool)
        objects: dict[str, list] = {"voorstel": [s for s, _, _ in items],
                                    "voorziening": [z for _, z, _ in items]}
        for path in paths:
            spec = CATALOGUE[path]
            if spec.compute is not None:
                compute = spec.compute
                values = [compute(s, z, d) for s, z, d in items]
            else:
                values = _objects(path, objects)
            cols[path], wrong = to_column(spec.type, values, self.vocab)
            bad |= wrong
        return cols, bad

    def finish(self) -> "Facts":
        """Join the parts built so far into whole columns (call once, after the last add)."""
        self._flush()
        parts, self._parts = self._parts, []
        if not parts:
            self._empty()
            return self
        shift = np.cumsum([0] + [len(p[4]) for p in parts[:-1]])
        self.voorstel = {k: concat([p[0][k] for p in parts]) for k in self.vpaths}
        self.voorziening = {k: concat([p[1][k] for p in parts]) for k in self.zpaths}
        self.owner = np.concatenate([p[2] + s for p, s in zip(parts, shift)]).astype(np.int64)
        self.idx = np.concatenate([p[3] for p in parts]).astype(np.int64)
        self.fallback = np.concatenate([p[4] for p in parts])
        return self

    def _empty(self) -> None:
        cols, _ = self._table(self.vpaths, [])
        zcols, _ = self._table(self.zpaths, [])
        self.voorstel, self.voorziening = cols, zcols

    def peildata(self) -> np.ndarray:
        return self.voorstel["peildatum"].val


def _objects(path: str, known: dict[str, list]) -> list:
    """The value at a dotted path for every row, each step taken once for all paths that
    share it (voorziening.pgb.vaardig and voorziening.pgb.budgetplan read .pgb once)."""
    found = known.get(path)
    if found is None:
        parent, _, name = path.rpartition(".")
        found = known[path] = [None if o is None else getattr(o, name) for o in _objects(parent, known)]
    return found
