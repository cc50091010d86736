"""Lookup tables: explicit bounds, no gaps or overlaps, and both engines honour each bound.

The property tests build tables from random cut points and demand that validation accepts
exactly the tables in which every key from 0 up finds one row. The engine test puts the key
of every bundled table lookup exactly on, just below and just above each row bound and
demands that both backends use the row the bounds declare (read here from `van`/`boven`/
`tot`/`tot_en_met` directly, not through the engine's own band search).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from maatwerk.engine.evaluate.check import afwijkingen
from maatwerk.engine.model.ruleset import Band
from maatwerk.engine.rules.catalog import Catalog, bundled_folder
from maatwerk.engine.rules.conditions import Call, Compare, Ref
from maatwerk.engine.rules.examples import apply_changes
from maatwerk.engine.rules.load import voorstel_from_data
from maatwerk.engine.rules.validate import check_bands

CATALOG = Catalog.load(bundled_folder(), strict=True)


def _problems(bands: list[Band]) -> list[str]:
    found: list[str] = []
    check_bands(bands, (), "t", lambda loc, what, hint: found.append(what))
    return found


def _rows_holding(bands: list[Band], key: float) -> list[int]:
    out = []
    for i, b in enumerate(bands):
        low_ok = key >= b.van if b.van is not None else key > b.boven
        high = b.tot if b.tot is not None else b.tot_en_met
        high_ok = high is None or (key < b.tot if b.tot is not None else key <= b.tot_en_met)
        if low_ok and high_ok:
            out.append(i)
    return out


@st.composite
def tables(draw):
    cuts = sorted(set(draw(st.lists(st.integers(1, 40), max_size=5))))
    rows, inclusive_low = [], True
    low = draw(st.sampled_from([0, 0, 1]))          # sometimes a hole at the start
    for cut in cuts + [None]:
        upper_inclusive = draw(st.booleans())
        row = {"waarde": draw(st.integers(0, 100))}
        row["van" if inclusive_low else "boven"] = low
        if cut is not None:
            row["tot_en_met" if upper_inclusive else "tot"] = cut
        if draw(st.integers(0, 9)) == 0:             # sometimes a wrong join: hole or overlap
            upper_inclusive = not upper_inclusive
        inclusive_low = not upper_inclusive
        low = cut
        rows.append(row)
    if draw(st.integers(0, 9)) == 0:                 # sometimes a closed last row
        rows[-1]["tot"] = (low or 0) + 50
    return [Band.model_validate(r) for r in rows]


@settings(max_examples=300, deadline=None)
@given(tables())
def test_a_table_is_valid_exactly_when_every_key_finds_one_row(bands):
    keys = sorted({k for b in bands for k in (b.van, b.boven, b.tot, b.tot_en_met) if k is not None}
                  | {0})
    probes = {k + d for k in keys for d in (-0.5, 0, 0.5) if k + d >= 0} | {max(keys) + 100}
    covered = all(len(_rows_holding(bands, k)) == 1 for k in probes)
    assert (not _problems(bands)) == covered, (bands, _problems(bands))


def _lookups():
    """(ruleset file, kader, the compare with a lookup of a field key, table name)."""
    out = []
    for f in CATALOG.files:
        for kader in f.ruleset.kaders:
            cond = kader.afwijking_als
            if not (isinstance(cond, dict) and set(cond) <= {"gt", "ge"}):
                continue
            right = next(iter(cond.values()))[1]
            if isinstance(right, dict) and "lookup" in right:
                table, key = right["lookup"]
                if key == "voorziening.uren_per_week" and f.ruleset.voorbeeld_voorstel:
                    out.append(pytest.param(f, kader, table.removeprefix("param."),
                                            id=f"{f.ruleset.ref}:{kader.id}"))
    return out


LOOKUPS = _lookups()


def test_the_bundled_rulesets_have_table_lookups_to_test():
    assert len(LOOKUPS) >= 3


def _case(f, kader):
    """The kader's firing example: its changed voorstel, voorziening and peildatum."""
    ex = next(e for e in kader.voorbeelden if e.afwijking)
    data = apply_changes(f.ruleset.voorbeeld_voorstel, ex.wijzig)
    day = ex.peildatum or voorstel_from_data(data, f.ruleset.ref).default_peildatum()
    return data, ex.voorziening, day


@pytest.mark.parametrize("engine", ["python", "durable"])
@pytest.mark.parametrize(("f", "kader", "table"), LOOKUPS)
def test_both_engines_use_the_row_the_bounds_declare(f, kader, table, engine):
    data, vz, day = _case(f, kader)
    eff = CATALOG.effective(f, day)
    bands = eff.parameters[table].value_on(day).waarde
    bounds = {k for b in bands for k in (b.van, b.boven, b.tot, b.tot_en_met) if k is not None}
    checked = 0
    for bound in sorted(bounds):
        for key in (bound - 0.01, bound, bound + 0.01):
            if key <= 0:
                continue
            (row,) = _rows_holding(bands, key)
            item = data["voorzieningen"][vz - 1]
            changed = {**data, "voorzieningen": [*data["voorzieningen"]]}
            changed["voorzieningen"][vz - 1] = {**item, "eenheid": "04", "frequentie": "2",
                                                "volume": key, "tarief": 999999.0}
            voorstel = voorstel_from_data(changed, f.ruleset.ref)
            found = [a for a in afwijkingen(eff, voorstel, day, engine)
                     if a.kader == kader.id and a.voorziening == vz]
            want = bands[row].waarde
            assert [a.grens for a in found] == ([] if want is None else [pytest.approx(want)]), \
                (kader.id, key, bands[row])
            checked += 1
    assert checked >= 2 * len(bounds) - 1


def test_a_table_without_the_new_bounds_keeps_its_logged_form():
    """Content logged before `boven`/`tot_en_met` existed must hash (and so replay) as before."""
    band = Band.model_validate({"van": 0, "tot": 2, "waarde": 1})
    assert band.model_dump(mode="json") == {"van": 0, "tot": 2, "waarde": 1, "label": None}
    assert Band.model_validate({"boven": 2, "waarde": None}).model_dump(mode="json") == {
        "van": None, "boven": 2, "tot": None, "waarde": None, "label": None}
