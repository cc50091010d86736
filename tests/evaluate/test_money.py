"""Money (issue #13, item 9): amounts are whole cents at the boundary, compared in cents and
shown in cents, so what a message says is what was compared. Both backends.

The reproduction: a tarief of 20.394 against Someren's 20.39 printed "€ 20,39 ligt boven
… € 20,39". Such an input is now refused with its location
(tests/data/invalid/voorstel-tarief-fractie-van-cent.yaml); here: the comparison at the
cent boundary, and a derived amount rounded half-up.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from maatwerk.engine.errors import VoorstelError
from maatwerk.engine.evaluate.check import afwijkingen
from maatwerk.engine.evaluate.derive import apply_function
from maatwerk.engine.evaluate.derive import normalize_euro
from maatwerk.engine.model import dutch
from maatwerk.engine.rules.load import parse_file, voorstel_from_data

PEILDATUM = dt.date(2024, 6, 13)
KADER = "gm0847.pgb.ho-tarief"      # Someren: HO tarief at most € 20,39 on the peildatum


@pytest.fixture(scope="module")
def someren(bundled, root):
    data, _ = parse_file(root / "examples" / "voorstellen" / "someren-pgb-binnen-kaders.yaml")
    f = next(f for f in bundled.files if f.ruleset.ref == "gm0847-wmo@2024.1")
    return data, bundled.effective(f, PEILDATUM)


def _with_tarief(data: dict, tarief) -> dict:
    vz = [dict(data["voorzieningen"][0], tarief=tarief), *data["voorzieningen"][1:]]
    return {**data, "voorzieningen": vz}


@settings(max_examples=60, deadline=None)
@given(cents=st.integers(1900, 2200), engine=st.sampled_from(["durable", "python"]))
def test_comparison_and_display_agree_at_the_cent(someren, cents, engine):
    data, eff = someren
    tarief = cents / 100
    voorstel = voorstel_from_data(_with_tarief(data, tarief), "<test>")
    found = [a for a in afwijkingen(eff, voorstel, PEILDATUM, engine) if a.kader == KADER]
    assert bool(found) == (cents > 2039)
    if found:
        shown_w, shown_g = dutch.euro(found[0].waargenomen), dutch.euro(found[0].grens)
        assert shown_w != shown_g and found[0].waargenomen > found[0].grens
        assert f"van {shown_w} per uur ligt boven" in found[0].melding


def test_a_fraction_of_a_cent_is_refused_with_its_place(someren):
    data, _ = someren
    with pytest.raises(VoorstelError) as err:
        voorstel_from_data(_with_tarief(data, 20.394), "v.yaml")
    assert err.value.first.render() == (
        "v.yaml: 'voorzieningen.1.tarief': bedrag 20.394 heeft meer dan twee decimalen (fracties "
        "van een cent); geef het bedrag in hele centen, bijvoorbeeld 20.39")


def test_derived_amounts_are_compared_in_cents_rounded_half_up():
    assert normalize_euro(20.394) == 20.39 and normalize_euro(20.395) == 20.4
    assert normalize_euro(2.345) == 2.35            # 2.345 is 2.34499… in binary
    assert normalize_euro(None) is None and normalize_euro(7) == 7


def test_round_in_a_rule_is_half_up():
    assert apply_function("round", [2.345, 2]) == 2.35
    assert apply_function("round", [0.5, 0]) == 1.0       # Python's round gives 0
    assert apply_function("round", [2.5, 0]) == 3.0
