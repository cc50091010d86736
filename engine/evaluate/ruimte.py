"""Wat kan ik toezeggen? The room each applicable kader leaves, before any voorziening.

Nothing here repeats a rule. The room is read off the ruleset's own condition
trees: for every kader whose afwijking is a comparison (``gt``, ``lt``, ...) of a
value the consulent still chooses (a voorziening field, a date, the eigen bijdrage)
with a bound, the bound is evaluated by the same Evaluator a check uses, on the
situation entered so far. Which kaders apply to which kind of voorziening is found
by testing each kader's own ``als`` condition (compiled by the Python backend) on
probe voorzieningen: every productcategorie the kaders name, each leveringsvorm and
each kind of aanbieder. Pure: the peildatum is an argument.
"""

from __future__ import annotations

import datetime as dt
import typing
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from ..model import dutch
from ..model.codes import categorie
from ..model.findings import RulesetRef
from ..model.ruimte import Open, Ruimte, RuimteRapport
from ..model.voorstel import (
    Aanbieder,
    AanbiederSoort,
    Leveringsvorm,
    Voorstel,
    Voorziening,
)
from ..rules.conditions import Call, Compare, Cond, Expr, Junction, Lit, Ref, walk_exprs
from ..rules.resolve import CheckedKader, Effective
from .backends.python import compile_condition
from .check import afwijkingen
from .compile import compile_rules
from .derive import Evaluator, lazy_facts
from .explain import build_up, grondslag, json_value

AANBIEDERS: tuple[str, ...] = typing.get_args(AanbiederSoort)
LEVERINGSVORMEN: tuple[str, ...] = typing.get_args(Leveringsvorm)
RELATIE = {"gt": "ten hoogste", "ge": "minder dan", "lt": "ten minste", "le": "meer dan",
           "ne": "gelijk aan"}
SOORTEN = ("uren", "tarief", "bedrag", "eigen_bijdrage", "termijn", "overig")
# Fields computed from what the consulent enters, and the field they enter it in.
INVOER = {"voorziening.uren_per_jaar": ("voorziening.uren_per_week", 52.0, "uur/week")}
AANBIEDER_WOORD = {"zorgaanbieder": "zorgaanbieder", "zzp": "zzp'er", "sociaal_netwerk":
                   "sociaal netwerk", "huisgenoot": "huisgenoot"}


def ruimte(eff: Effective, situatie: Voorstel, peildatum: dt.date,
           engine: str = "python") -> RuimteRapport:
    """The room every applicable kader leaves, and what the situation already misses."""
    probes = probe_voorzieningen(eff, situatie)
    probe = situatie.model_copy(update={"voorzieningen": probes})
    ev = Evaluator(eff, probe, peildatum)
    facts = lazy_facts(compile_rules(eff, "python").plan, ev)
    found: dict[tuple, dict | None] = {}
    for checked in eff.kaders:
        targets = [(None, 0)] if checked.scope == "voorstel" else \
            [(vz, i) for i, vz in enumerate(probes, start=1)]
        for vz, idx in targets:
            fact = facts[idx][2]
            if checked.applies is not None and not _test(eff, checked.applies)(fact):
                continue
            for node in room_nodes(eff, checked.violation, fact):
                # the same bound of the same comparison is described once, for all probes
                key = (checked.position, id(node), repr(ev.value(node.right, vz, idx)))
                if key not in found:
                    found[key] = _item(checked, node, ev, vz, idx)
                    if found[key] is not None:
                        found[key]["_vz"] = []
                if found[key] is not None and vz is not None:
                    found[key]["_vz"].append(vz)
    merged: dict[tuple, dict] = {}
    for data in found.values():
        if data is not None:
            _merge(merged, data)
    items = [_finish(data, probes) for data in merged.values()]
    items.sort(key=lambda r: (SOORTEN.index(r.soort), eff.kader(r.kader).position))
    head = eff.head
    return RuimteRapport(ruleset=RulesetRef(id=head.id, version=head.versie, sha256=eff.sha256),
                         peildatum=peildatum.isoformat(), gemeente=situatie.gemeente,
                         wet=situatie.wet, ruimte=items,
                         open=open_items(eff, situatie, peildatum, engine))


def probe_voorzieningen(eff: Effective, situatie: Voorstel) -> list[Voorziening]:
    """One probe per productcategorie the kaders name, leveringsvorm and kind of aanbieder.

    A voorziening already in the situation is the template for its productcategorie
    (so its hbh factors count); otherwise the probe is counted in hours per week.
    """
    own = {vz.productcategorie: vz for vz in situatie.voorzieningen}
    codes = sorted(set(own) | named_categories(eff))
    out = []
    for code in codes:
        template = own.get(code) or Voorziening.model_construct(productcategorie=code)
        template = template.model_copy(update={"eenheid": template.eenheid or "04",
                                               "frequentie": template.frequentie or "2"})
        for vorm in LEVERINGSVORMEN:
            for soort in AANBIEDERS:
                out.append(template.model_copy(update={
                    "leveringsvorm": vorm, "aanbieder": Aanbieder.model_construct(soort=soort)}))
    return out[:400]


def named_categories(eff: Effective) -> set[str]:
    """The productcategorieën the kaders' `als` conditions compare with."""
    codes: set[str] = set()
    for checked in eff.kaders:
        if checked.applies is not None:
            _categories_in(checked.applies, codes)
    return codes


def _categories_in(cond: Any, codes: set[str]) -> None:
    if isinstance(cond, Compare) and cond.op == "eq" and isinstance(cond.right, Lit) \
            and isinstance(cond.left, Ref) and cond.left.name == "voorziening.productcategorie":
        codes.add(str(cond.right.value))
    elif isinstance(cond, Junction):
        for item in cond.items:
            _categories_in(item, codes)


_TESTS: dict[tuple[str, int], tuple[Cond, Any]] = {}


def _test(eff: Effective, cond: Cond):
    """The compiled test of one condition node (keyed by identity: hashing a tree is slow)."""
    key = (eff.sha256, id(cond))
    entry = _TESTS.get(key)
    if entry is None or entry[0] is not cond:
        if len(_TESTS) > 20_000:
            _TESTS.clear()
        entry = _TESTS[key] = (cond, compile_condition(cond, compile_rules(eff, "python").plan))
    return entry[1]


def room_nodes(eff: Effective, cond: Cond, fact: dict) -> list[Compare]:
    """The comparisons that decide alone whether the kader deviates, on this fact.

    Under `any` each comparison counts; under `all` one counts only when every other
    part already holds (otherwise the kader cannot deviate through it).
    """
    if isinstance(cond, Compare):
        return [cond] if cond.op in RELATIE and not isinstance(cond.left, Lit) else []
    if not isinstance(cond, Junction):
        return []
    out: list[Compare] = []
    for i, item in enumerate(cond.items):
        others = cond.items[:i] + cond.items[i + 1:]
        if cond.op == "any" or all(_test(eff, o)(fact) for o in others):
            out += room_nodes(eff, item, fact)
    return out


def _source_of(eff: Effective, expr: Expr) -> Expr:
    """The expression behind derived values: afgeleid.x -> its definition."""
    while isinstance(expr, Ref) and expr.name.startswith("afgeleid."):
        expr = eff.derived[expr.name.partition(".")[2]]
    return expr


def _item(checked: CheckedKader, node: Compare, ev: Evaluator, vz: Voorziening | None,
          idx: int) -> dict | None:
    """One room item for one comparison, or None when it is no choice of the consulent."""
    observed = ev.value(node.left, vz, idx)
    if observed is not None and all(getattr(e, "scope", "voorstel") == "voorstel"
                                    for e in walk_exprs(node.left)):
        return None          # a fact of the situation, not a choice: a check reports it
    source = _source_of(ev.eff, node.left)
    bound = ev.value(node.right, vz, idx)
    if isinstance(source, Call) and source.fn == "days_between":
        data = _deadline(node, source, bound, ev, vz, idx)
    elif isinstance(source, Ref):
        data = _amount(node, source, bound, ev)
    else:
        return None
    if data is None:
        return None
    how, factors = build_up(ev, vz, idx, node.right)
    kader = checked.kader
    data.update(kader=kader.id, titel=kader.titel, origin=checked.origin, niveau=kader.niveau,
                grondslag=grondslag(checked.bron, kader.grondslag), opbouw=factors,
                vereist={"akkoord": kader.vereist.akkoord}, relatie=RELATIE[node.op],
                voorbeeld=uses_voorbeeld(ev.eff, node.right), scope=checked.scope,
                bron_status=kader.bron_status)
    data["tabel"] = _bands(node.right, ev, vz, idx) if bound is None else []
    data["zin"] = _sentence(data, how, node.right)
    data["formule"] = how or None
    return data


def _amount(node: Compare, source: Ref, bound: Any, ev: Evaluator) -> dict:
    veld, factor, unit = INVOER.get(source.name, (source.name, 1.0, source.unit))
    right_unit = getattr(node.right, "unit", None)
    if isinstance(bound, dt.date):
        return {"soort": "termijn", "veld": veld, "grens": bound.isoformat(), "eenheid": None,
                "datum": bound.isoformat(), "grens_kader": bound.isoformat(), "eenheid_kader": None}
    if isinstance(bound, str):
        grens: Any = bound
    elif isinstance(bound, int) and not isinstance(bound, bool) and factor == 1:
        grens = bound
    elif isinstance(bound, (int, float)) and not isinstance(bound, bool):
        grens = safe_round(bound / factor, node.op)
    else:
        grens = None
    return {"soort": _soort(veld, unit or right_unit), "veld": veld, "grens": grens,
            "eenheid": unit or right_unit, "grens_kader": json_value(bound),
            "eenheid_kader": right_unit or source.unit, "datum": None}


def _deadline(node: Compare, call: Call, bound: Any, ev: Evaluator, vz: Voorziening | None,
              idx: int) -> dict | None:
    start_expr, end_expr = call.args
    if not isinstance(end_expr, Ref) or not isinstance(bound, (int, float)):
        return None
    start = ev.value(start_expr, vz, idx)
    days = {"gt": bound, "ge": bound - 1, "lt": bound, "le": bound + 1}.get(node.op)
    datum = None if start is None or days is None else \
        (start + dt.timedelta(days=int(days))).isoformat()
    return {"soort": "termijn", "veld": end_expr.name, "grens": json_value(bound),
            "eenheid": "dagen", "datum": datum, "grens_kader": json_value(bound),
            "eenheid_kader": "dagen", "start": getattr(start_expr, "name", None)}


def safe_round(value: float, op: str) -> float:
    """A bound in 2 decimals, rounded to the side that stays within the kader."""
    mode = ROUND_FLOOR if op in ("gt", "ge") else ROUND_CEILING
    rounded = Decimal(repr(round(value, 9))).quantize(Decimal("0.01"), rounding=mode)
    return float(rounded)


def _soort(veld: str, unit: str | None) -> str:
    if veld.startswith("voorstel.eigen_bijdrage"):
        return "eigen_bijdrage"
    if veld == "voorziening.tarief":
        return "tarief"
    if unit and unit.startswith("uur"):
        return "uren"
    return "bedrag" if unit == "EUR" else "overig"


def uses_voorbeeld(eff: Effective, expr: Expr) -> bool:
    for e in walk_exprs(expr):
        if isinstance(e, Ref):
            head, _, name = e.name.partition(".")
            if head == "param" and eff.parameters[name].voorbeeld:
                return True
            if head == "afgeleid" and uses_voorbeeld(eff, eff.derived[name]):
                return True
    return False


def _bands(expr: Expr, ev: Evaluator, vz: Voorziening | None, idx: int) -> list[dict]:
    """A bound looked up by a value not yet known: the table, band by band."""
    call = _source_of(ev.eff, expr)
    if not (isinstance(call, Call) and call.fn == "lookup"):
        return []
    bands = ev.value(call.args[0], vz, idx) or []
    return [{"van": b.van, "boven": b.boven, "tot": b.tot, "tot_en_met": b.tot_en_met,
             "grens": b.waarde, "label": b.label, "sleutel": getattr(call.args[1], "name", None)}
            for b in bands]


def band_words(band: dict) -> str:
    """A table row's range in words: 'vanaf 0 tot en met 8', 'boven 8'."""
    low = f"vanaf {dutch.number(band['van'])}" if band.get("van") is not None else \
        f"boven {dutch.number(band['boven'])}"
    if band.get("tot") is not None:
        return f"{low} tot {dutch.number(band['tot'])}"
    if band.get("tot_en_met") is not None:
        return f"{low} tot en met {dutch.number(band['tot_en_met'])}"
    return low


def _sentence(data: dict, how: str, right: Expr) -> str:
    label = dutch_field(data["veld"])
    if data["soort"] == "termijn" and data.get("start"):
        when = f"uiterlijk op {dutch.date(data['datum'])}" if data["datum"] else \
            f"binnen {dutch.number(data['grens'])} dagen na {dutch_field(data['start'])}"
        if data["relatie"] in ("ten minste", "meer dan"):
            when = f"niet vóór {dutch.date(data['datum'])}" if data["datum"] else when
        return f"{label[:1].upper()}{label[1:]} {when}"
    if data["grens"] is None and data["tabel"]:
        value = f"het bedrag uit de tabel, naar {dutch_field(data['tabel'][0]['sleutel'] or '')}"
    elif data["grens"] is None:
        value = f"de {dutch_field(getattr(right, 'name', ''))} (nog niet bekend)"
    elif data["soort"] == "termijn":
        value = dutch.date(data["grens"])
    else:
        value = dutch.value(data["grens"], data["eenheid"], with_unit=True)
    text = f"{label[:1].upper()}{label[1:]} {data['relatie']} {value}"
    if data["grens_kader"] is not None and data["eenheid_kader"] != data["eenheid"]:
        text += f" ({dutch.value(data['grens_kader'], data['eenheid_kader'], with_unit=True)})"
    return text + (f": {how}" if how and data["grens"] is not None else "")


def dutch_field(path: str) -> str:
    """A field path in words: voorziening.uren_per_week -> 'uren per week'."""
    from ..model.fields import CATALOGUE
    spec = CATALOGUE.get(path)
    words = {"voorziening.tarief": "tarief per eenheid", "voorziening.uren_per_week":
             "uren per week", "voorstel.eigen_bijdrage.bedrag": "eigen bijdrage"}
    if path in words:
        return words[path]
    if spec is not None and spec.description and len(spec.description) < 50:
        return spec.description[:1].lower() + spec.description[1:]
    return path.split(".")[-1].replace("_", " ")


def _merge(found: dict, item: dict) -> None:
    """Items that say the same (kader, field, relation, bound) become one, for all their probes."""
    key = (item["kader"], item["veld"], item["relatie"], repr(item["grens"]), item.get("datum"),
           repr(item.get("tabel")))
    if key in found:
        found[key]["_vz"] += item["_vz"]
    else:
        found[key] = item


def _finish(data: dict, probes: list[Voorziening]) -> Ruimte:
    vzs = data.pop("_vz")
    data.pop("start", None)
    scope = data.pop("scope")
    if scope == "voorstel" or not vzs:
        data["geldt_voor"] = "het voorstel"
        return Ruimte.model_validate(data)
    codes = sorted({v.productcategorie for v in vzs})
    vormen = sorted({v.leveringsvorm for v in vzs})
    soorten = [s for s in AANBIEDERS if any(v.aanbieder.soort == s for v in vzs)]
    every = {v.productcategorie for v in probes}
    parts = ["elke voorziening" if set(codes) == every and len(codes) > 1 else
             " of ".join(f"{categorie(c)} ({c})" for c in codes)]
    if len(vormen) < len(LEVERINGSVORMEN):
        parts.append(", ".join(v.upper() for v in vormen))
    if len(soorten) < len(AANBIEDERS):
        parts.append("aanbieder: " + " of ".join(AANBIEDER_WOORD[s] for s in soorten))
    data.update(geldt_voor=" · ".join(parts), productcategorie=codes[0] if len(codes) == 1 else None,
                leveringsvormen=vormen,
                aanbieders=soorten)
    return Ruimte.model_validate(data)


def open_items(eff: Effective, situatie: Voorstel, peildatum: dt.date, engine: str) -> list[Open]:
    """Kaders on the voorstel as a whole that the situation already deviates from."""
    out = []
    for a in afwijkingen(eff, situatie, peildatum, engine):
        if a.voorziening is not None:
            continue
        checked = eff.kader(a.kader)
        out.append(Open(kader=a.kader, titel=checked.kader.titel, melding=a.melding,
                        ontbreekt=a.waargenomen in (None, False), grondslag=a.grondslag,
                        vereist=a.vereist))
    return out
