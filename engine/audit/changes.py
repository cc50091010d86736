"""Impact on columns: recorded afwijkingen against the columnar backend's, as arrays.

The same outcome as `impact.changes` per besluit (nieuw, vervalt, gewijzigd, in the same
order), computed for a whole block at once: each afwijking is keyed by (row, kader,
voorziening) as one integer, and the sets are compared with numpy; only the afwijkingen
both sides have are compared value by value.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from ..evaluate.bulk import Observed
from .fact_layout import values_of
from .impact import GEWIJZIGD, NIEUW, VERVALT, Besluitimpact, Wijziging

_VZ = 1 << 12      # room for the voorziening number in a key
NO_VZ = -(1 << 62)    # the voorziening of an afwijking of the voorstel as a whole


@dataclass
class Recorded:
    """The recorded afwijkingen of a block as arrays (only what impact compares): per
    afwijking its row, kader (`code`, an index into `kaders`), voorziening (`vz`, `NO_VZ`
    for none) and, once `motivated` marks them, whether it has a motivering."""

    row: np.ndarray
    code: np.ndarray
    vz: np.ndarray
    kaders: list[str]
    waarden: bytes | tuple     # ([waargenomen, ...], [grens, ...]), or `values_part` of them
    peildata: list[str] = field(default_factory=list)   # per row
    motivated: np.ndarray | None = None

    @functools.cached_property
    def codes(self) -> dict[str, int]:
        return {k: i for i, k in enumerate(self.kaders)}

    @functools.cached_property
    def keys(self) -> np.ndarray:
        """(row, kader, voorziening) as one integer per afwijking."""
        return _keys(self.row, self.code, np.where(self.vz == NO_VZ, 0, self.vz))

    @functools.cached_property
    def values(self) -> tuple[np.ndarray, np.ndarray]:
        """waargenomen and grens as arrays of objects (compared element by element)."""
        if isinstance(self.waarden, bytes):
            got = values_of(self.waarden)
            return got["w"], got["g"]
        return tuple(np.fromiter(x, object, len(x)) for x in self.waarden)

    @functools.cached_property
    def lists(self) -> tuple[list, list]:
        """(waargenomen, grens) per afwijking."""
        if isinstance(self.waarden, bytes):
            return self.values[0].tolist(), self.values[1].tolist()
        return self.waarden

    @functools.cached_property
    def kader(self) -> list[str]:
        return [self.kaders[c] for c in self.code.tolist()]

    @functools.cached_property
    def voorziening(self) -> list[int | None]:
        return [None if v == NO_VZ else v for v in self.vz.tolist()]

    @property
    def waargenomen(self) -> list:
        return self.lists[0]

    @property
    def grens(self) -> list:
        return self.lists[1]


def with_motivated(rec: Recorded, besluiten: Sequence[str], peildata: list[str],
                   motivated: dict[str, set]) -> Recorded:
    """`rec` with each afwijking marked when `motivated` (besluit -> its motivated (kader,
    voorziening)) holds it, and each row's peildatum."""
    mot = np.zeros(len(rec.row), bool)
    rows = [r for r, b in enumerate(besluiten) if b in motivated] if motivated else []
    if rows:            # only the afwijkingen of this block's besluiten with a motivering
        at = np.array(rows, np.int64)
        code, vz = rec.code.tolist(), rec.vz.tolist()
        for r, lo, hi in zip(rows, np.searchsorted(rec.row, at).tolist(),
                             np.searchsorted(rec.row, at + 1).tolist()):
            keys = motivated[besluiten[r]]
            for i in range(lo, hi):
                mot[i] = (rec.kaders[code[i]], None if vz[i] == NO_VZ else vz[i]) in keys
    return dataclasses.replace(rec, motivated=mot, peildata=peildata)


def _keys(rows: np.ndarray, kaders: np.ndarray, vzs: np.ndarray) -> np.ndarray:
    return rows * (1 << 40) + kaders * _VZ + vzs


def block_changes(besluiten: Sequence[str], rec: Recorded, obs: Observed, kader_ids: list[str],
                  done: np.ndarray) -> dict[int, Besluitimpact]:
    """The besluiten (row -> impact) among the rows `done` that change."""
    old_i = np.flatnonzero(done[rec.row]) if len(rec.row) else np.zeros(0, np.int64)
    old_keys = rec.keys[old_i]
    code_of = np.array([rec.codes.get(k, len(rec.codes) + n) for n, k in enumerate(kader_ids)] or [0],
                       np.int64)
    new_keys = _keys(obs.row, code_of[obs.pos], obs.idx)
    order = np.argsort(new_keys, kind="stable")
    in_new, at = _within(old_keys, new_keys[order])
    both, match = old_i[in_new], order[at[in_new]]
    w, g = rec.values
    differ = np.flatnonzero((w[both] != obs.waargenomen[match]) | (g[both] != obs.grens[match]))
    fresh = np.flatnonzero(~_within(new_keys, np.sort(old_keys))[0])
    changed = _recorded(besluiten, rec, both[differ], GEWIJZIGD, _pairs(obs, match[differ]))
    gone = _recorded(besluiten, rec, old_i[~in_new], VERVALT, None)
    new = [Wijziging(besluiten[r], kader_ids[p], i or None, NIEUW, None, x) for r, p, i, x in
           zip(obs.row[fresh].tolist(), obs.pos[fresh].tolist(), obs.idx[fresh].tolist(),
               _pairs(obs, fresh))]
    rows = np.concatenate([rec.row[both[differ]], rec.row[old_i[~in_new]], obs.row[fresh]])
    side = np.repeat([0, 0, 1], [len(differ), len(old_i) - len(both), len(fresh)])
    index = np.concatenate([both[differ], old_i[~in_new], fresh])
    events = changed + gone + new
    out: dict[int, Besluitimpact] = {}
    for k in np.lexsort((index, side, rows)).tolist():     # as `impact.changes` orders them
        row = int(rows[k])
        if row not in out:
            out[row] = Besluitimpact(besluiten[row], rec.peildata[row])
        out[row].wijzigingen.append(events[k])
    return out


def _pairs(obs: Observed, at: np.ndarray) -> list[dict]:
    return [{"waargenomen": w, "grens": g}
            for w, g in zip(obs.waargenomen[at].tolist(), obs.grens[at].tolist())]


def _recorded(besluiten: Sequence[str], rec: Recorded, at: np.ndarray, soort: str,
              wordt: list[dict] | None) -> list[Wijziging]:
    """A change of each recorded afwijking `at` (was: as recorded)."""
    w, g = rec.values
    was = [{"waargenomen": a, "grens": b} for a, b in zip(w[at].tolist(), g[at].tolist())]
    return [Wijziging(besluiten[r], rec.kaders[k], None if v == NO_VZ else v, soort, x, t, m)
            for r, k, v, x, t, m in zip(rec.row[at].tolist(), rec.code[at].tolist(),
                                         rec.vz[at].tolist(), was, wordt or [None] * len(at),
                                         rec.motivated[at].tolist())]


def _within(keys: np.ndarray, sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which keys occur in sorted_keys, and where (`np.isin` without its sort of both)."""
    at = np.searchsorted(sorted_keys, keys)
    found = np.zeros(len(keys), bool)
    if len(sorted_keys):
        inside = at < len(sorted_keys)
        found[inside] = sorted_keys[at[inside]] == keys[inside]
    return found, at
