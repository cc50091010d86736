"""Generate boundary cases from the kaders themselves.

For every ordering comparison in a kader (`gt`, `ge`, `lt`, `le` on numbers or
dates) we take the kader's own firing example, pick a field of the voorstel that
the observed side depends on (a date, an amount, a volume, a birth date behind an
age), and search along that field for the threshold: the point where the
observed value meets the bound. The test then builds voorstellen just below, at
and just above it.

For every parameter with values by date we do the same along the peildatum: the
day before a new value starts and the day it starts.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from maatwerk.engine.evaluate.derive import Evaluator
from maatwerk.engine.rules.conditions import Call, Compare, Junction, Ref
from maatwerk.engine.rules.examples import apply_changes
from maatwerk.engine.rules.load import voorstel_from_data
from maatwerk.engine.rules.resolve import Effective

ORDERING = {"gt", "ge", "lt", "le"}
# computed fields and the stored field that moves them (and the direction).
UNDERLYING = {
    "voorziening.uren_per_week": "voorziening.volume",
    "voorziening.uren_per_jaar": "voorziening.volume",
    "voorziening.bedrag_per_jaar": "voorziening.volume",
    "voorziening.duur_dagen": "voorziening.einddatum",
    "voorstel.client.leeftijd": "voorstel.client.geboortedatum",
    "voorstel.huishouden.partner.leeftijd": "voorstel.huishouden.partner.geboortedatum",
    "voorstel.client.leeftijd_maanden": "voorstel.client.geboortedatum",
    "voorstel.huishouden.partner.leeftijd_maanden": "voorstel.huishouden.partner.geboortedatum",
    "voorstel.huishouden.oudste_inwonend_kind_leeftijd": "voorstel.huishouden.geboortedata_inwonende_kinderen.1",
}
INTEGER_FIELDS = {"voorstel.huishouden.personen", "voorstel.eigen_bijdrage.aantal_in_huishouden",
                  "voorziening.hbh.extra_kamers_in_gebruik", "voorstel.huishouden.kinderen_jonger_dan_18",
                  "voorstel.huishouden.inwonende_volwassenen"}


@dataclass(frozen=True)
class Case:
    """One threshold of one kader: where to move, and how the voorstel looks there."""

    name: str
    eff: Effective
    kader: str
    compare: Compare
    field: str               # dotted path in the voorstel data (voorzieningen.N.x or x.y)
    base: dict               # voorstel data that makes the kader fire
    peildatum: dt.date
    voorziening: int | None
    step: Any                # 1 day, 1 unit or 0.01
    crossing: int            # grid index of the last point on the non-firing side of the op

    def data_at(self, k: int) -> dict:
        return set_value(self.base, self.field, value_at(self.base, self.field, self.step, k))


def get_value(data: dict, path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node[int(part) - 1] if isinstance(node, list) else node.get(part)
        if node is None:
            return None
    return node


def set_value(data: dict, path: str, value: Any) -> dict:
    return apply_changes(data, {path: value})


def value_at(base: dict, path: str, step: Any, k: int) -> Any:
    start = get_value(base, path)
    if isinstance(step, dt.timedelta):
        return (dt.date.fromisoformat(start) + k * step).isoformat()
    return round(start + k * step, 2) if isinstance(step, float) else start + k * step


def _leaves(expr: Any, eff: Effective) -> list[str]:
    if isinstance(expr, Ref):
        head, _, name = expr.name.partition(".")
        if head == "afgeleid":
            return _leaves(eff.derived[name], eff)
        if head in ("voorstel", "voorziening"):
            return [UNDERLYING.get(expr.name, expr.name)]
        return []
    if isinstance(expr, Call):
        return [leaf for a in expr.args for leaf in _leaves(a, eff)]
    return []


def _compares(cond: Any) -> list[Compare]:
    if isinstance(cond, Compare):
        return [cond] if cond.op in ORDERING else []
    if isinstance(cond, Junction) and cond.op == "all":
        return [c for item in cond.items for c in _compares(item)]
    return []


def _data_path(leaf: str, voorziening: int | None) -> str | None:
    root, _, rest = leaf.partition(".")
    if root == "voorziening":
        return None if voorziening is None else f"voorzieningen.{voorziening}.{rest}"
    return rest


def _step(leaf: str, value: Any) -> Any:
    if isinstance(value, str):
        return dt.timedelta(days=1)
    return 1 if leaf in INTEGER_FIELDS else 0.01


def _gap(eff: Effective, compare: Compare, data: dict, peildatum: dt.date, vz: int | None) -> Any:
    """observed minus bound (in days for dates), or None when either is missing."""
    try:
        voorstel = voorstel_from_data(data, "<boundary>")
    except Exception:
        return None
    ev = Evaluator(eff, voorstel, peildatum)
    item = voorstel.voorzieningen[vz - 1] if vz else None
    left, right = ev.value(compare.left, item, vz or 0), ev.value(compare.right, item, vz or 0)
    if left is None or right is None:
        return None
    if isinstance(left, dt.date):
        return (left - right).days
    return round(left - right, 6)


def _violates(op: str, gap: float) -> bool:
    return {"gt": gap > 0, "ge": gap >= 0, "lt": gap < 0, "le": gap <= 0}[op]


def find_crossing(gap: Callable[[int], Any], op: str, limit: int = 1 << 22) -> int | None:
    """The grid index k with k non-violating and k+1 violating (or the reverse), near 0.

    Index 0 violates (the firing example). Search outward for a non-violating
    point, then bisect between the two.
    """
    def violates(k: int) -> bool | None:
        g = gap(k)
        return None if g is None else _violates(op, g)

    if violates(0) is not True:
        return None
    for direction in (-1, 1):
        last, span = 0, 1
        while span <= limit:
            v = violates(direction * span)
            if v is None:  # left the valid range: try the furthest valid point before it
                span = _edge(violates, direction, last, span)
                v = None if span is None else violates(direction * span)
                if v is not False:
                    break
            if v is False:
                lo, hi = (direction * span, 0) if direction < 0 else (0, direction * span)
                return _bisect(violates, lo, hi, direction)
            last, span = span, span * 2
    return None


def _edge(violates, direction: int, valid: int, invalid: int) -> int | None:
    """The largest span between valid and invalid at which the gap is defined."""
    while invalid - valid > 1:
        mid = (valid + invalid) // 2
        if violates(direction * mid) is None:
            invalid = mid
        else:
            valid = mid
    return valid or None


def _bisect(violates, lo: int, hi: int, direction: int) -> int | None:
    # invariant: one end violates, the other does not
    good, bad = (lo, hi) if direction < 0 else (hi, lo)
    while abs(good - bad) > 1:
        mid = (good + bad) // 2
        v = violates(mid)
        if v is None:
            return None
        good, bad = (mid, bad) if v is False else (good, mid)
    return good


def cases_for(eff: Effective, examples: list[tuple[str, dict, dt.date, int | None]]) -> list[Case]:
    """Boundary cases of one effective ruleset, from (kader id, data, peildatum, voorziening)."""
    out = []
    for kader_id, data, peildatum, vz in examples:
        ck = eff.kader(kader_id)
        for compare in _compares(ck.violation):
            case = _case(eff, ck.kader.id, compare, data, peildatum, vz)
            if case is not None:
                out.append(case)
    return out


def _case(eff, kader_id, compare, data, peildatum, vz) -> Case | None:
    for leaf in dict.fromkeys(_leaves(compare.left, eff) + _leaves(compare.right, eff)):
        path = _data_path(leaf, vz)
        value = get_value(data, path) if path else None
        if value is None or isinstance(value, bool):
            continue
        step = _step(leaf, value)
        def gap(k: int, path=path, step=step) -> Any:
            try:
                moved = set_value(data, path, value_at(data, path, step, k))
            except (OverflowError, ValueError):
                return None
            return _gap(eff, compare, moved, peildatum, vz)
        limit = 1 << 15 if isinstance(step, dt.timedelta) else 1 << 22
        crossing = find_crossing(gap, compare.op, limit)
        if crossing is not None:
            name = f"{eff.head.ref} {kader_id} {compare.op} via {path}"
            return Case(name, eff, kader_id, compare, path, copy.deepcopy(data), peildatum, vz,
                        step, crossing)
    return None
