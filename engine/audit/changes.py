"""Impact on columns: recorded afwijkingen against the columnar backend's, as arrays.

The same outcome as `impact.changes` per besluit (nieuw, vervalt, gewijzigd, in the same
order), computed for a whole block at once: each afwijking is keyed by (row, kader,
voorziening) as one integer, and the sets are compared with numpy; only the afwijkingen
both sides have are compared value by value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from ..evaluate.bulk import Observed
from .impact import GEWIJZIGD, NIEUW, VERVALT, Besluitimpact, Wijziging

_VZ = 1 << 12      # room for the voorziening number in a key


@dataclass
class Recorded:
    """The recorded afwijkingen of a block (only what impact compares) and each row's peildatum."""

    row: np.ndarray
    kader: list[str]
    voorziening: list[int | None]
    waargenomen: list[Any]
    grens: list[Any]
    motivated: list[bool]
    peildatum: list[str]
    codes: dict[str, int]         # kader id -> number, for the keys
    keys: np.ndarray              # (row, kader, voorziening) as one integer per afwijking


def recorded_columns(besluiten: Sequence[str], peildata: list[str], af: dict[str, list],
                     motivated: dict[str, set]) -> Recorded:
    """`Recorded` from the afwijkingen as lists (row, kader, voorziening, waargenomen, grens),
    rows in order; `motivated` maps a besluit to its motivated (kader, voorziening)."""
    row = np.array(af["row"], np.int64)
    kader, vz = af["kader"], af["voorziening"]
    mot = [False] * len(kader)
    where = {b: i for i, b in enumerate(besluiten)}
    for besluit, keys in motivated.items():
        r = where.get(besluit)
        if r is None:
            continue
        lo, hi = np.searchsorted(row, [r, r + 1]).tolist()
        for i in range(lo, hi):
            mot[i] = (kader[i], vz[i]) in keys
    codes: dict[str, int] = {}
    k = np.fromiter((codes.setdefault(x, len(codes)) for x in kader), np.int64, len(kader))
    return Recorded(row, kader, vz, af["waargenomen"], af["grens"], mot, peildata, codes,
                    _keys(row, k, np.fromiter((x or 0 for x in vz), np.int64, len(vz))))


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
    in_new = np.isin(old_keys, new_keys)
    order = np.argsort(new_keys, kind="stable")
    match = order[np.searchsorted(new_keys[order], old_keys[in_new])].tolist() if len(order) else []
    events: list[tuple[int, int, int, Wijziging]] = []
    for i, j in zip(old_i[in_new].tolist(), match):
        if (rec.waargenomen[i], rec.grens[i]) != (obs.waargenomen[j], obs.grens[j]):
            events.append((int(rec.row[i]), 0, i, _old(besluiten, rec, i, GEWIJZIGD,
                                                         _pair(obs.waargenomen[j], obs.grens[j]))))
    for i in old_i[~in_new].tolist():
        events.append((int(rec.row[i]), 0, i, _old(besluiten, rec, i, VERVALT, None)))
    for j in np.flatnonzero(~np.isin(new_keys, old_keys)).tolist():
        row = int(obs.row[j])
        events.append((row, 1, j, Wijziging(besluiten[row], kader_ids[int(obs.pos[j])],
                                            int(obs.idx[j]) or None, NIEUW, None,
                                            _pair(obs.waargenomen[j], obs.grens[j]))))
    events.sort(key=lambda e: e[:3])
    out: dict[int, Besluitimpact] = {}
    for row, _, _, change in events:
        if row not in out:
            out[row] = Besluitimpact(besluiten[row], rec.peildatum[row])
        out[row].wijzigingen.append(change)
    return out


def _pair(w: Any, g: Any) -> dict:
    return {"waargenomen": w, "grens": g}


def _old(besluiten: Sequence[str], rec: Recorded, i: int, soort: str, wordt: dict | None) -> Wijziging:
    row = int(rec.row[i])
    return Wijziging(besluiten[row], rec.kader[i], rec.voorziening[i], soort,
                     _pair(rec.waargenomen[i], rec.grens[i]), wordt, rec.motivated[i])
