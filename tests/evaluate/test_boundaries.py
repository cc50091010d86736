"""Generated boundary tests: every numeric threshold, date term and parameter date.

The cases come from the bundled rulesets themselves (see `boundaries.py`), so a new
kader or a new parameter value is covered without writing a test for it.
"""

from __future__ import annotations

import datetime as dt

import boundaries
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from maatwerk.engine.evaluate.check import afwijkingen
from maatwerk.engine.evaluate.derive import Evaluator
from maatwerk.engine.rules.catalog import Catalog, bundled_folder
from maatwerk.engine.rules.conditions import walk_exprs
from maatwerk.engine.rules.examples import apply_changes
from maatwerk.engine.rules.load import voorstel_from_data

CATALOG = Catalog.load(bundled_folder(), strict=True)


def _firing_examples():
    """(ruleset file, kader id, data, peildatum, voorziening) of every firing kader example."""
    out = []
    for f in CATALOG.files:
        rs = f.ruleset
        for kader in rs.kaders:
            for ex in kader.voorbeelden:
                if not ex.afwijking or rs.voorbeeld_voorstel is None:
                    continue
                data = apply_changes(rs.voorbeeld_voorstel, ex.wijzig)
                voorstel = voorstel_from_data(data, rs.ref)
                day = ex.peildatum or voorstel.default_peildatum()
                eff = CATALOG.effective(f, day)
                found = [a for a in afwijkingen(eff, voorstel, day, "python") if a.kader == kader.id]
                if ex.voorziening is not None:
                    found = [a for a in found if a.voorziening == ex.voorziening]
                assert found, f"{rs.ref} {kader.id} {ex.naam}: the firing example does not fire"
                out.append((eff, kader.id, data, day, found[0].voorziening))
    return out


def _all_cases():
    cases = []
    for eff, kader_id, data, day, vz in _firing_examples():
        cases += boundaries.cases_for(eff, [(kader_id, data, day, vz)])
    # one case per (ruleset, kader, comparison): the first firing example that gives one
    unique = {}
    for case in cases:
        unique.setdefault((case.eff.head.ref, case.kader, repr(case.compare)), case)
    return list(unique.values())


CASES = _all_cases()


def _fires(case: boundaries.Case, k: int, engine: str) -> bool:
    voorstel = voorstel_from_data(case.data_at(k), case.name)
    found = afwijkingen(case.eff, voorstel, case.peildatum, engine)
    return any(a.kader == case.kader and a.voorziening == case.voorziening for a in found)


def _gap(case: boundaries.Case, k: int):
    return boundaries._gap(case.eff, case.compare, case.data_at(k), case.peildatum, case.voorziening)


def test_thresholds_are_found():
    kaders_with_thresholds = {(eff.head.ref, kid) for eff, kid, *_ in _firing_examples()
                              if boundaries._compares(eff.kader(kid).violation)}
    covered = {(c.eff.head.ref, c.kader) for c in CASES}
    assert len(CASES) >= 10
    missing = sorted(kaders_with_thresholds - covered)
    assert not missing, f"no boundary found for {missing}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fires_on_exactly_the_right_side(case):
    good = case.crossing                      # the firing example sits at index 0
    bad = good + 1 if good < 0 else good - 1
    for engine in ("durable", "python"):
        assert not _fires(case, good, engine), f"{engine}: fires at the boundary side it must not"
        assert _fires(case, bad, engine), f"{engine}: does not fire just past the boundary"
    gap_good, gap_bad = _gap(case, good), _gap(case, bad)
    assert not boundaries._violates(case.compare.op, gap_good)
    assert boundaries._violates(case.compare.op, gap_bad)
    if case.compare.op in ("gt", "lt") and isinstance(case.step, (int, dt.timedelta)):
        assert gap_good == 0, "on an integer grid the boundary itself is reachable and allowed"
    if case.compare.op in ("ge", "le") and isinstance(case.step, (int, dt.timedelta)):
        assert gap_bad == 0, "on an integer grid the boundary itself is reachable and deviates"


@settings(max_examples=300)
@given(data=st.data())
def test_near_the_boundary_both_engines_follow_the_comparison(data):
    case = data.draw(st.sampled_from(CASES), label="case")
    k = case.crossing + data.draw(st.integers(-2, 3), label="offset")
    gap = _gap(case, k)
    assume(gap is not None)
    expected = boundaries._violates(case.compare.op, gap)
    assert _fires(case, k, "durable") == expected
    assert _fires(case, k, "python") == expected


def _param_cases():
    """(eff, kader, data, parameter, index of the value that starts) for every date boundary."""
    out = []
    for eff, kader_id, data, day, vz in _firing_examples():
        ck = eff.kader(kader_id)
        names = {e.name.partition(".")[2] for e in _refs(eff, ck) if getattr(e, "name", "").startswith("param.")}
        for name in sorted(names):
            waarden = eff.parameters[name].waarden
            for i in range(1, len(waarden)):
                out.append((eff, kader_id, data, vz, name, i))
    unique = {}
    for case in out:
        unique.setdefault((case[0].head.ref, case[1], case[4], case[5]), case)
    return list(unique.values())


def _refs(eff, ck):
    seen = []
    todo = [n for n in (ck.applies, ck.violation, ck.waargenomen, ck.grens) if n is not None]
    while todo:
        for e in walk_exprs(todo.pop()):
            seen.append(e)
            if getattr(e, "name", "").startswith("afgeleid."):
                todo.append(eff.derived[e.name.partition(".")[2]])
    return seen


PARAM_CASES = _param_cases()


@pytest.mark.parametrize("case", PARAM_CASES,
                         ids=[f"{c[0].head.ref} {c[1]} {c[4]}#{c[5]}" for c in PARAM_CASES])
def test_parameter_value_changes_on_its_date(case):
    eff, kader_id, data, vz, name, i = case
    waarden = eff.parameters[name].waarden
    start = waarden[i].vanaf
    voorstel = voorstel_from_data(data, kader_id)
    for day, entry in ((start - dt.timedelta(days=1), waarden[i - 1]), (start, waarden[i])):
        assert Evaluator(eff, voorstel, day).param(name) == entry.waarde
        durable = afwijkingen(eff, voorstel, day, "durable")
        assert durable == afwijkingen(eff, voorstel, day, "python")
        grens = eff.kader(kader_id).grens
        if getattr(grens, "name", None) == f"param.{name}":
            for a in durable:
                if a.kader == kader_id:
                    assert a.grens == entry.model_dump(mode="json")["waarde"]


def test_there_are_parameter_date_boundaries():
    assert len(PARAM_CASES) >= 3
