"""Explain: from a fired kader to an afwijking a consulent can read.

Observed value, bound and message come from the kader's expressions, evaluated
with the same Evaluator that fed the engines; the explanation lists every
parameter value (with the date it took effect and its source), table row,
field and date that produced them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any, Callable

from ..model import dutch
from ..model.codes import named_choices
from ..model.findings import Afwijking, Factor, Grondslag, Uitleg
from ..model.ruleset import Bron
from ..model.voorstel import Voorziening
from ..rules.conditions import Call, Compare, Expr, Junction, Lit, Member, Presence, Ref
from ..rules.resolve import CheckedKader
from .derive import Evaluator, band_of

_RELATION = {"gt": "ligt boven", "ge": "bereikt", "lt": "ligt onder", "le": "komt niet boven",
             "eq": "is gelijk aan", "ne": "wijkt af van"}
_SYMBOL = {"sum": " + ", "diff": " − ", "mul": " × ", "div": " ÷ ", "min": " of ", "max": " of "}


def grondslag(bron: Bron, plaats: Any) -> Grondslag:
    return Grondslag(document=bron.titel, artikel=plaats.artikel, lid=plaats.lid, onderdeel=plaats.onderdeel,
                     bwb=bron.bwb, cvdr=bron.cvdr, ecli=bron.ecli, url=bron.url)


def json_value(value: Any, unit: str | None = None) -> Any:
    """The JSON form of an observed value or bound (euro in whole cents, half-up)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return dutch.cents(value) if unit == "EUR" else round(value, 4)
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return value


_FIELD = re.compile(r"\{([^{}]+)\}")


def interval(band) -> str:
    """A table row's bounds as an interval: '[4–8]', '(8–∞)', '[0–2)'."""
    low, low_in = band.lower
    high, high_in = band.upper
    top = "∞" if high is None else dutch.number(high)
    return f"{'[' if low_in else '('}{dutch.number(low)}–{top}{']' if high_in else ')'}"


def fill(template: str, values: dict[str, str]) -> str:
    """Replace {name} placeholders (names may contain dots); {{ and }} stay literal."""
    text = _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), template)
    return text.replace("{{", "{").replace("}}", "}")


def _unit(expr: Expr | None) -> str | None:
    return getattr(expr, "unit", None)


def describe_dict(checked: CheckedKader, ev: Evaluator, vz: Voorziening | None, idx: int) -> dict:
    """The afwijking as JSON data: exactly what `Afwijking.model_dump(mode="json")` gives
    without `uitleg` (the form the log stores and replay compares)."""
    return afwijking_data(checked, lambda expr: ev.value(expr, vz, idx), idx)


def afwijking_data(checked: CheckedKader, value: Callable[[Expr], Any], idx: int,
                   observed_only: bool = False) -> dict:
    """`describe_dict` for any backend: `value(expr)` is the raw value of an expression for
    this row. With observed_only just kader, voorziening, waargenomen and grens (impact)."""
    observed = value(checked.waargenomen) if checked.waargenomen is not None else None
    bound = value(checked.grens) if checked.grens is not None else None
    kader = checked.kader
    if observed_only:
        return {"kader": kader.id, "voorziening": idx or None,
                "waargenomen": json_value(observed, _unit(checked.waargenomen)),
                "grens": json_value(bound, _unit(checked.grens))}
    values = {"waargenomen": _written(observed, _unit(checked.waargenomen)),
              "grens": _written(bound, _unit(checked.grens))}
    for name, expr in checked.placeholders:
        values[name] = _written(value(expr), _unit(expr))
    melding = fill(kader.melding, values)
    if kader.vereist.correctie and isinstance(bound, (list, tuple)):
        named = named_choices([str(c) for c in bound])
        melding += f" Kies uit: {named}." if named else ""
    return {"kader": kader.id, "voorziening": idx or None,
            "waargenomen": json_value(observed, _unit(checked.waargenomen)),
            "grens": json_value(bound, _unit(checked.grens)),
            "eenheid": _unit(checked.waargenomen) or _unit(checked.grens),
            "melding": melding,
            "grondslag": dict(_grondslag_json(checked.bron, kader.grondslag)), "niveau": kader.niveau,
            "bron_status": kader.bron_status, "herkomst": checked.herkomst,
            "vereist": vereist_data(kader)}


def _written(value: Any, unit: str | None) -> str:
    """`dutch.value` for a melding, remembered for plain values (a bulk run writes the same
    norms, tariffs and amounts thousands of times; the formatting goes through `Decimal`)."""
    if type(value) not in (int, float, str):
        return dutch.value(value, unit)
    key = (type(value), repr(value), unit)        # 1, 1.0 and -0.0 apart
    text = _WRITTEN.get(key)
    if text is None:
        if len(_WRITTEN) > 65_536:
            _WRITTEN.clear()
        text = _WRITTEN[key] = dutch.value(value, unit)
    return text


_WRITTEN: dict[tuple, str] = {}


def vereist_data(kader) -> dict:
    """What deviating needs, as stored: correctie, or an akkoord (or none) and the powers
    that allow deviating when the kader names them (K31)."""
    if kader.vereist.correctie:
        return {"akkoord": None, "correctie": True}
    data = {"akkoord": kader.vereist.akkoord}
    if kader.afwijkbevoegdheid:
        data["bevoegdheid"] = list(kader.afwijkbevoegdheid)
    return data


@functools.lru_cache(maxsize=4096)
def _grondslag_json(bron: Bron, plaats: Any) -> dict:
    return grondslag(bron, plaats).model_dump(mode="json")


def describe(checked: CheckedKader, ev: Evaluator, vz: Voorziening | None, idx: int,
             explain: bool) -> Afwijking:
    data = describe_dict(checked, ev, vz, idx)
    if explain:
        observed = ev.value(checked.waargenomen, vz, idx) if checked.waargenomen is not None else None
        bound = ev.value(checked.grens, vz, idx) if checked.grens is not None else None
        data["uitleg"] = _uitleg(checked, ev, vz, idx, observed, bound)
    return Afwijking.model_validate(data)


def _uitleg(checked: CheckedKader, ev: Evaluator, vz: Voorziening | None, idx: int,
            observed: Any, bound: Any) -> Uitleg:
    tracer = _Tracer(ev, vz, idx)
    for expr in (checked.waargenomen, checked.grens):
        if expr is not None:
            tracer.trace(expr)
    citation = grondslag(checked.bron, checked.kader.grondslag).citation()
    return Uitleg(zin=_sentence(checked, tracer, observed, bound, citation), factoren=tracer.factors)


def _sentence(checked: CheckedKader, tracer: "_Tracer", observed: Any, bound: Any, citation: str) -> str:
    w, g = checked.waargenomen, checked.grens
    left = dutch.value(observed, _unit(w), with_unit=True)
    right = dutch.value(bound, _unit(g), with_unit=True)
    how = tracer.compose(g) if isinstance(g, (Call, Ref)) and _is_composite(g, tracer) else ""
    detail = f"{how}; {citation}" if how else citation
    subject = _label(w, tracer) if w is not None else checked.kader.titel
    subject = subject[:1].upper() + subject[1:]
    if isinstance(g, Ref):
        detail = f"{_label(g, tracer)}: {detail}" if how else f"{_label(g, tracer)}; {detail}"
    node = _observed_node(checked.violation, w, g)
    if isinstance(node, Presence):
        state = "ontbreekt" if not node.present else "is aanwezig"
        return f"{subject} {state} ({detail})"
    if isinstance(node, Compare):
        return f"{subject} {left} {_RELATION[node.op]} {right} ({detail})"
    if isinstance(node, Member):
        where = "staat niet in" if node.negate else "staat in"
        return f"{subject} {left} {where} de lijst {right} ({detail})"
    return f"{checked.kader.titel}: {subject} {left}, grens {right} ({detail})"


def _observed_node(cond: Any, w: Expr | None, g: Expr | None) -> Any:
    """The condition whose operands are the kader's waargenomen and grens."""
    if isinstance(cond, Compare) and cond.left == w and cond.right == g:
        return cond
    if isinstance(cond, Member) and cond.item == w:
        return cond
    if isinstance(cond, Presence) and cond.ref == w:
        return cond
    if isinstance(cond, Junction):
        for item in cond.items:
            found = _observed_node(item, w, g)
            if found is not None:
                return found
    return None


def _is_composite(expr: Expr, tracer: "_Tracer") -> bool:
    if isinstance(expr, Ref) and expr.name.startswith("afgeleid."):
        return True
    return isinstance(expr, Call)


def _label(expr: Expr, tracer: "_Tracer") -> str:
    if isinstance(expr, Ref):
        head, _, name = expr.name.partition(".")
        if head == "param":
            return tracer.ev.eff.parameters[name].omschrijving
        if head == "afgeleid":
            return tracer.ev.eff.derived_meta[name].omschrijving
        parts = expr.name.split(".")[1:]
        return " ".join(parts).replace("_", " ")
    return "Waarde"


class _Tracer:
    """Walks expressions, collecting the factors and composing a formula in words."""

    def __init__(self, ev: Evaluator, vz: Voorziening | None, idx: int):
        self.ev, self.vz, self.idx = ev, vz, idx
        self.factors: list[Factor] = []
        self._seen: set[str] = set()

    def add(self, factor: Factor) -> None:
        if factor.naam not in self._seen:
            self._seen.add(factor.naam)
            self.factors.append(factor)

    def trace(self, expr: Expr) -> None:
        if isinstance(expr, Ref):
            self._ref(expr)
        elif isinstance(expr, Call):
            for a in expr.args:
                self.trace(a)
            if expr.fn == "lookup":
                self._row(expr)

    def _ref(self, ref: Ref) -> None:
        head, _, name = ref.name.partition(".")
        value = json_value(self.ev.value(ref, self.vz, self.idx))
        if head == "param":
            entry = self.ev.params.get(name)
            param = self.ev.eff.parameters[name]
            bron = grondslag(self.ev.eff.parameter_bron[name], param.grondslag).citation()
            note = f"geldig vanaf {dutch.date(entry.vanaf)}" if entry else "geen waarde op de peildatum"
            if param.voorbeeld:
                note += "; voorbeeldwaarde, niet geverifieerd"
            if not isinstance(value, list) or not value or not isinstance(value[0], dict):
                self.add(Factor(naam=ref.name, waarde=value, eenheid=param.eenheid, bron=bron,
                                toelichting=note))
        elif head == "afgeleid":
            meta = self.ev.eff.derived_meta[name]
            self.add(Factor(naam=ref.name, waarde=value, eenheid=ref.unit, toelichting=meta.omschrijving))
            self.trace(self.ev.eff.derived[name])
        else:
            self.add(Factor(naam=ref.name, waarde=value, eenheid=ref.unit, bron="voorstel"))

    def _row(self, call: Call) -> None:
        table = call.args[0]
        key = self.ev.value(call.args[1], self.vz, self.idx)
        bands = self.ev.value(table, self.vz, self.idx)
        if key is None or bands is None:
            return
        i, value = band_of(bands, key)
        if i is None:
            return
        band = bands[i]
        name = table.name.partition(".")[2]
        bron = grondslag(self.ev.eff.parameter_bron[name], self.ev.eff.parameters[name].grondslag)
        self.add(Factor(naam=f"{table.name}{interval(band)}", waarde=value,
                        eenheid=table.unit, bron=bron.citation(), toelichting=band.label))

    def compose(self, expr: Expr) -> str:
        """A formula in words: '108 uur/jaar basis + 26 uur/jaar extra inzet'."""
        if isinstance(expr, Lit):
            return dutch.value(expr.value)
        value = self.ev.value(expr, self.vz, self.idx)
        if isinstance(expr, Ref):
            head, _, name = expr.name.partition(".")
            if head == "afgeleid":
                return self.compose(self.ev.eff.derived[name])
            return f"{dutch.value(value, expr.unit, with_unit=True)} {_label(expr, self)}"
        if expr.fn in ("sum", "diff"):
            terms = [a for i, a in enumerate(expr.args)
                     if i == 0 or self.ev.value(a, self.vz, self.idx) not in (0, 0.0)]
            return _SYMBOL[expr.fn].join(self.compose(a) for a in terms)
        if expr.fn in _SYMBOL:
            return _SYMBOL[expr.fn].join(self.compose(a) for a in expr.args)
        if expr.fn == "lookup":
            bands = self.ev.value(expr.args[0], self.vz, self.idx)
            key = self.ev.value(expr.args[1], self.vz, self.idx)
            i, _ = band_of(bands, key) if bands is not None and key is not None else (None, None)
            label = bands[i].label if i is not None and bands[i].label else _label(expr.args[0], self)
            return f"{dutch.value(value, expr.unit, with_unit=True)} {label}"
        if expr.fn == "round":
            return self.compose(expr.args[0])
        return dutch.value(value, expr.unit, with_unit=True)


def build_up(ev: Evaluator, vz: Voorziening | None, idx: int, expr: Expr) -> tuple[str, list[Factor]]:
    """How a value is built up: a formula in words and the factors (with sources) behind it."""
    tracer = _Tracer(ev, vz, idx)
    tracer.trace(expr)
    how = tracer.compose(expr) if _is_composite(expr, tracer) else ""
    return how, tracer.factors
