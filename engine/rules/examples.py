"""The example cases of a ruleset: each kader fires where it should and not at its boundary.

A kader example starts from the ruleset's `voorbeeld_voorstel`, applies `wijzig`
(dotted paths, list positions counted from 1 as in the output; null removes a
key) and says whether the kader deviates (and optionally with which observed
value). A ruleset example names exactly the afwijkingen expected, no more.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import MaatwerkError
from ..model import dutch
from ..model.findings import Afwijking
from ..model.ruleset import KaderVoorbeeld, RulesetFile, RulesetVoorbeeld
from ..model.voorstel import Voorstel
from .load import voorstel_from_data
from .resolve import Effective

Evaluate = Callable[[Effective, Voorstel, dt.date], list[Afwijking]]


@dataclass(frozen=True)
class CaseResult:
    ruleset: str
    kader: str | None
    naam: str
    ok: bool
    detail: str


def apply_changes(base: dict, changes: dict[str, Any]) -> dict:
    data = copy.deepcopy(base)
    for path, value in changes.items():
        _set(data, path.split("."), value)
    return data


def _set(node: Any, parts: list[str], value: Any) -> None:
    head, rest = parts[0], parts[1:]
    if isinstance(node, list):
        i = int(head) - 1
        if not 0 <= i <= len(node):
            raise KeyError(head)
        if i == len(node):
            node.append({})
        if rest:
            _set(node[i], rest, value)
        else:
            node[i] = value
        return
    if rest:
        node = node.setdefault(head, {})
        _set(node, rest, value)
    elif value is None:
        node.pop(head, None)
    else:
        node[head] = value


def _voorstel(f: RulesetFile, changes: dict, where: str) -> Voorstel:
    if f.ruleset.voorbeeld_voorstel is None:
        raise MaatwerkError("de ruleset heeft geen voorbeeld_voorstel", f.file, None,
                            "voeg een voorbeeld_voorstel toe als basis voor de voorbeelden")
    try:
        data = apply_changes(f.ruleset.voorbeeld_voorstel, changes)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise MaatwerkError(f"{where}: wijzig-pad past niet op het voorbeeld_voorstel ({exc})",
                            f.file, None, "controleer de paden in wijzig") from None
    return voorstel_from_data(data, f"{f.file} ({where})")


def run_kader_case(f: RulesetFile, kader_id: str, case: KaderVoorbeeld,
                   effective: Callable[[dt.date], Effective], evaluate: Evaluate) -> CaseResult:
    voorstel = _voorstel(f, case.wijzig, f"{kader_id} / {case.naam}")
    peildatum = case.peildatum or voorstel.default_peildatum()
    found = [a for a in evaluate(effective(peildatum), voorstel, peildatum) if a.kader == kader_id]
    if case.voorziening is not None:
        found = [a for a in found if a.voorziening == case.voorziening]
    fires_as_expected = bool(found) == case.afwijking
    ok = fires_as_expected
    detail = "wijkt af" if found else "binnen het kader"
    unit = found[0].eenheid if found else None
    if ok and found and case.waargenomen is not None:
        ok = any(_same(a.waargenomen, case.waargenomen) for a in found)
        detail += (f", waargenomen {dutch.value(found[0].waargenomen, unit, True)} "
                   f"(verwacht {dutch.value(case.waargenomen, unit, True)})")
    if ok and found and case.grens is not None:
        ok = any(_same(a.grens, case.grens) for a in found)
        detail += (f", grens {dutch.value(found[0].grens, unit, True)} "
                   f"(verwacht {dutch.value(case.grens, unit, True)})")
    if not fires_as_expected:
        detail += f"; verwacht: {'afwijking' if case.afwijking else 'geen afwijking'}"
    return CaseResult(f.ruleset.ref, kader_id, case.naam, ok, detail)


def run_ruleset_case(f: RulesetFile, case: RulesetVoorbeeld,
                     effective: Callable[[dt.date], Effective], evaluate: Evaluate,
                     load_voorstel: Callable[[str], Voorstel]) -> CaseResult:
    voorstel = load_voorstel(case.voorstel) if case.voorstel else _voorstel(f, case.wijzig, case.naam)
    peildatum = case.peildatum or voorstel.default_peildatum()
    found = evaluate(effective(peildatum), voorstel, peildatum)
    got = sorted((a.kader, a.voorziening or 0) for a in found)
    want = sorted((e.kader, e.voorziening or 0) for e in case.afwijkingen)
    ok = got == want
    for e in case.afwijkingen:
        if ok and e.waargenomen is not None:
            ok = any(a.kader == e.kader and a.voorziening == e.voorziening and
                     _same(a.waargenomen, e.waargenomen) for a in found)
    detail = "afwijkingen zoals verwacht" if ok else f"kreeg {got}, verwacht {want}"
    return CaseResult(f.ruleset.ref, None, case.naam, ok, detail)


def _same(got: Any, want: Any) -> bool:
    if isinstance(got, (int, float)) and isinstance(want, (int, float)) and not isinstance(got, bool):
        return abs(got - want) < 1e-6
    return got == want


def run_all(f: RulesetFile, effective: Callable[[dt.date], Effective], evaluate: Evaluate,
            load_voorstel: Callable[[str], Voorstel]) -> list[CaseResult]:
    results = []
    for kader in f.ruleset.kaders:
        for case in kader.voorbeelden:
            results.append(_guard(lambda: run_kader_case(f, kader.id, case, effective, evaluate),
                                  f, kader.id, case.naam))
    for case in f.ruleset.voorbeelden:
        results.append(_guard(lambda: run_ruleset_case(f, case, effective, evaluate, load_voorstel),
                              f, None, case.naam))
    return results


def _guard(run: Callable[[], CaseResult], f: RulesetFile, kader: str | None, naam: str) -> CaseResult:
    try:
        return run()
    except MaatwerkError as exc:
        return CaseResult(f.ruleset.ref, kader, naam, False, exc.first.render())
