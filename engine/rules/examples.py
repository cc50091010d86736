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
Period = tuple[dt.date, dt.date | None]         # first and last day of a version (None: open)


@dataclass(frozen=True)
class CaseResult:
    ruleset: str
    kader: str | None
    naam: str
    ok: bool
    detail: str
    peildatum: dt.date | None = None


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


def _outside(f: RulesetFile, period: Period | None, day: dt.date, kader: str | None,
             naam: str) -> CaseResult | None:
    """A case dated outside the version's own period tests nothing of this version."""
    if period is None or (period[0] <= day and (period[1] is None or day <= period[1])):
        return None
    until = f"t/m {period[1]}" if period[1] else "zonder einde"
    return CaseResult(f.ruleset.ref, kader, naam, False,
                      f"peildatum {day} ligt buiten de geldigheid van {f.ruleset.ref} (vanaf {period[0]} "
                      f"{until}): dit voorbeeld test deze versie niet; verschuif de data (`maatwerk "
                      f"ruleset nieuwe-versie` doet dat) of geef het een peildatum in de periode", day)


def run_kader_case(f: RulesetFile, kader_id: str, case: KaderVoorbeeld,
                   effective: Callable[[dt.date], Effective], evaluate: Evaluate,
                   period: Period | None = None) -> CaseResult:
    voorstel = _voorstel(f, case.wijzig, f"{kader_id} / {case.naam}")
    peildatum = case.peildatum or voorstel.default_peildatum()
    if (outside := _outside(f, period, peildatum, kader_id, case.naam)) is not None:
        return outside
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
    return CaseResult(f.ruleset.ref, kader_id, case.naam, ok, detail, peildatum)


def run_ruleset_case(f: RulesetFile, case: RulesetVoorbeeld,
                     effective: Callable[[dt.date], Effective], evaluate: Evaluate,
                     load_voorstel: Callable[[str], Voorstel], period: Period | None = None) -> CaseResult:
    voorstel = load_voorstel(case.voorstel) if case.voorstel else _voorstel(f, case.wijzig, case.naam)
    peildatum = case.peildatum or voorstel.default_peildatum()
    if (outside := _outside(f, period, peildatum, None, case.naam)) is not None:
        return outside
    found = evaluate(effective(peildatum), voorstel, peildatum)
    got = sorted((a.kader, a.voorziening or 0) for a in found)
    want = sorted((e.kader, e.voorziening or 0) for e in case.afwijkingen)
    ok = got == want
    for e in case.afwijkingen:
        if ok and e.waargenomen is not None:
            ok = any(a.kader == e.kader and a.voorziening == e.voorziening and
                     _same(a.waargenomen, e.waargenomen) for a in found)
    detail = "afwijkingen zoals verwacht" if ok else f"kreeg {got}, verwacht {want}"
    return CaseResult(f.ruleset.ref, None, case.naam, ok, detail, peildatum)


def _same(got: Any, want: Any) -> bool:
    if isinstance(got, (int, float)) and isinstance(want, (int, float)) and not isinstance(got, bool):
        return abs(got - want) < 1e-6
    return got == want


def run_all(f: RulesetFile, effective: Callable[[dt.date], Effective], evaluate: Evaluate,
            load_voorstel: Callable[[str], Voorstel], period: Period | None = None) -> list[CaseResult]:
    """Every example of the file; with its period, a case dated outside it fails."""
    results = []
    for kader in f.ruleset.kaders:
        for case in kader.voorbeelden:
            results.append(_guard(lambda: run_kader_case(f, kader.id, case, effective, evaluate, period),
                                  f, kader.id, case.naam))
    for case in f.ruleset.voorbeelden:
        results.append(_guard(lambda: run_ruleset_case(f, case, effective, evaluate, load_voorstel, period),
                              f, None, case.naam))
    return results


def untested_values(f: RulesetFile, period: Period, results: list[CaseResult],
                    effective: Callable[[dt.date], Effective]) -> list[str]:
    """The file's own parameter values in force during its period that no example reads:
    "pgb_ho_uurtarief vanaf 2026-01-01". A kader example reads the parameters of its kader
    on its peildatum; a whole-case example reads every parameter on its peildatum."""
    reads: list[tuple[dt.date, frozenset | None]] = []
    for r in results:
        if r.peildatum is not None:
            checked = effective(r.peildatum).kader(r.kader) if r.kader else None
            reads.append((r.peildatum, checked.params if checked is not None else None))
    out = []
    for name, param in f.ruleset.parameters.items():
        for i, entry in enumerate(param.waarden):
            start, stop = _window(param.waarden, i, period)
            if stop is not None and stop < start:
                continue                      # not in force during this version
            if not any(start <= day and (stop is None or day <= stop) and (names is None or name in names)
                       for day, names in reads):
                out.append(f"{name} vanaf {entry.vanaf}")
    return out


def _window(waarden: list, i: int, period: Period) -> tuple[dt.date, dt.date | None]:
    """The days value i is in force within the period."""
    nxt = waarden[i + 1].vanaf - dt.timedelta(days=1) if i + 1 < len(waarden) else None
    ends = [d for d in (nxt, period[1]) if d is not None]
    return max(waarden[i].vanaf, period[0]), (min(ends) if ends else None)


def _guard(run: Callable[[], CaseResult], f: RulesetFile, kader: str | None, naam: str) -> CaseResult:
    try:
        return run()
    except MaatwerkError as exc:
        return CaseResult(f.ruleset.ref, kader, naam, False, exc.first.render())
