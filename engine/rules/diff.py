"""Diff two rulesets kader by kader, in words a beleidsmedewerker reads.

Kaders are matched by their stable id; parameters and derived values by name.
For a kader the diff names what changed (condition, message, grondslag, what a
deviation needs, niveau, title); for a parameter every value that starts,
stops or changes on a date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import canonical, dutch
from ..model.ruleset import Kader, Parameter, Ruleset

KADER_FIELDS = [
    ("afwijking_als", "voorwaarde (afwijking als)"), ("als", "toepassing (als)"),
    ("waargenomen", "waargenomen waarde"), ("grens", "grens"), ("melding", "melding"),
    ("grondslag", "grondslag"), ("vereist", "vereist"), ("niveau", "niveau"),
    ("titel", "titel"), ("geldt_voor", "geldt voor"),
]


def compact(value: Any) -> str:
    """A condition or value as one line of flow-style text."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {compact(v)}" for k, v in value.items() if v is not None) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(compact(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _dump(kader: Kader, name: str) -> Any:
    return kader.model_dump(mode="json")[name]


def _kader_changes(old: Kader, new: Kader) -> list[dict]:
    changes = []
    for name, label in KADER_FIELDS:
        was, wordt = _dump(old, name), _dump(new, name)
        if canonical.dumps(was) != canonical.dumps(wordt):
            changes.append({"veld": name, "omschrijving": label, "was": was, "wordt": wordt,
                            "tekst": f"{label}: {compact(was)} → {compact(wordt)}"})
    return changes


def _value(v: Any, unit: str | None) -> str:
    if isinstance(v, list) and v and isinstance(v[0], dict):
        return "tabel: " + "; ".join(
            f"{r.get('label') or ''} {dutch.number(r['van'])}–"
            f"{'∞' if r.get('tot') is None else dutch.number(r['tot'])} → {dutch.number(r['waarde'])}".strip()
            for r in v)
    return dutch.value(v, unit, with_unit=True)


def _param_changes(old: Parameter, new: Parameter) -> list[str]:
    was = {w.vanaf: w.model_dump(mode="json")["waarde"] for w in old.waarden}
    wordt = {w.vanaf: w.model_dump(mode="json")["waarde"] for w in new.waarden}
    lines = []
    for day in sorted(set(was) | set(wordt)):
        a, b = was.get(day), wordt.get(day)
        when = dutch.date(day)
        if day not in was:
            lines.append(f"nieuwe waarde vanaf {when}: {_value(b, new.eenheid)}")
        elif day not in wordt:
            lines.append(f"waarde vanaf {when} vervalt (was {_value(a, old.eenheid)})")
        elif canonical.dumps(a) != canonical.dumps(b):
            lines.append(f"waarde vanaf {when} gewijzigd van {_value(a, old.eenheid)} naar "
                         f"{_value(b, new.eenheid)}")
    for attr, label in (("eenheid", "eenheid"), ("omschrijving", "omschrijving"),
                        ("voorbeeld", "voorbeeldwaarde")):
        if getattr(old, attr) != getattr(new, attr):
            lines.append(f"{label}: {compact(getattr(old, attr))} → {compact(getattr(new, attr))}")
    if old.grondslag != new.grondslag:
        lines.append(f"grondslag: {compact(old.grondslag.model_dump(mode='json'))} → "
                     f"{compact(new.grondslag.model_dump(mode='json'))}")
    return lines


def _in_force(param: Parameter, day: dt.date) -> Any:
    entry = param.value_on(day)
    return None if entry is None else entry.model_dump(mode="json")["waarde"]


def diff(old: Ruleset, new: Ruleset) -> dict:
    """All differences from old to new, as data with a Dutch sentence per change."""
    old_k = {k.id: k for k in old.kaders}
    new_k = {k.id: k for k in new.kaders}
    changed = []
    for kid in [k for k in new_k if k in old_k]:
        changes = _kader_changes(old_k[kid], new_k[kid])
        if changes:
            changed.append({"id": kid, "titel": new_k[kid].titel, "wijzigingen": changes})
    params = []
    for name in sorted(set(old.parameters) | set(new.parameters)):
        a, b = old.parameters.get(name), new.parameters.get(name)
        if a is None or b is None:
            status = "toegevoegd" if a is None else "verwijderd"
            params.append({"naam": name, "status": status, "tekst": [f"parameter {status}"]})
            continue
        lines = _param_changes(a, b)
        start_old, start_new = _in_force(a, new.geldig_vanaf), _in_force(b, new.geldig_vanaf)
        if canonical.dumps(start_old) != canonical.dumps(start_new):
            lines.append(f"geldt op {dutch.date(new.geldig_vanaf)}: {_value(start_new, b.eenheid)} "
                         f"(in {old.ref}: {_value(start_old, a.eenheid)})")
        if lines:
            params.append({"naam": name, "status": "gewijzigd", "tekst": lines})
    return {
        "van": old.ref, "naar": new.ref,
        "geldigheid": {"van": [str(old.geldig_vanaf), str(old.geldig_tot) if old.geldig_tot else None],
                       "naar": [str(new.geldig_vanaf), str(new.geldig_tot) if new.geldig_tot else None]},
        "extends": None if old.extends == new.extends else {"was": old.extends, "wordt": new.extends},
        "kaders": {
            "toegevoegd": [{"id": k, "titel": new_k[k].titel, "niveau": new_k[k].niveau}
                           for k in new_k if k not in old_k],
            "verwijderd": [{"id": k, "titel": old_k[k].titel} for k in old_k if k not in new_k],
            "gewijzigd": changed,
        },
        "parameters": params,
        "afgeleid": _derived(old, new),
    }


def _derived(old: Ruleset, new: Ruleset) -> list[dict]:
    out = []
    for name in sorted(set(old.afgeleid) | set(new.afgeleid)):
        a, b = old.afgeleid.get(name), new.afgeleid.get(name)
        was = a.model_dump(mode="json") if a else None
        wordt = b.model_dump(mode="json") if b else None
        if canonical.dumps(was) != canonical.dumps(wordt):
            out.append({"naam": name, "tekst": f"{compact(was and was['waarde'])} → "
                                               f"{compact(wordt and wordt['waarde'])}"})
    return out


def render(d: dict) -> list[str]:
    """The diff as lines of Dutch text."""
    out = [f"Verschillen van {d['van']} naar {d['naar']}",
           f"Geldigheid: {d['geldigheid']['van'][0]} t/m {d['geldigheid']['van'][1] or '…'} → "
           f"{d['geldigheid']['naar'][0]} t/m {d['geldigheid']['naar'][1] or '…'}"]
    if d["extends"]:
        out.append(f"Basis: {d['extends']['was']} → {d['extends']['wordt']}")
    k = d["kaders"]
    if not (k["toegevoegd"] or k["verwijderd"] or k["gewijzigd"] or d["parameters"] or d["afgeleid"]):
        return out + ["", "Geen inhoudelijke verschillen."]
    for item in k["toegevoegd"]:
        out += ["", f"+ kader {item['id']} toegevoegd: {item['titel']} ({item['niveau']})"]
    for item in k["verwijderd"]:
        out += ["", f"- kader {item['id']} vervallen: {item['titel']}"]
    for item in k["gewijzigd"]:
        out += ["", f"~ kader {item['id']} gewijzigd: {item['titel']}"]
        out += [f"    {c['tekst']}" for c in item["wijzigingen"]]
    for p in d["parameters"]:
        out += ["", f"~ parameter {p['naam']}:"] + [f"    {t}" for t in p["tekst"]]
    for a in d["afgeleid"]:
        out += ["", f"~ afgeleide waarde {a['naam']}: {a['tekst']}"]
    return out
