"""Versions of one ruleset: each holds until the next begins; a new version is written from
the old one as text, with its examples moved into the new period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from maatwerk.engine.model.ruleset import RulesetFile
from maatwerk.engine.rules.catalog import Catalog, bundled_folder
from maatwerk.engine.rules.load import parse_file, read_text
from maatwerk.engine.rules.versions import example_lines, next_version_text, next_versie

BUNDLED = Catalog.load(bundled_folder(), strict=True)
SOMEREN = BUNDLED.by_ref("gm0847-wmo@2024.2")
START = dt.date(2020, 1, 1)


def _family(starts: list[int], repeal: int | None) -> Catalog:
    files = []
    for i, offset in enumerate(sorted(set(starts))):
        rs = SOMEREN.ruleset.model_copy(update={"versie": f"v{i}", "geldig_vanaf": START + dt.timedelta(offset),
                                                "geldig_tot": None})
        files.append(RulesetFile(rs, f"v{i}.yaml"))
    if repeal is not None:
        last = files[-1].ruleset
        end = last.geldig_vanaf + dt.timedelta(repeal)
        files[-1] = RulesetFile(last.model_copy(update={"geldig_tot": end}), files[-1].file)
    return Catalog("map", files)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 3000), min_size=1, max_size=6), st.none() | st.integers(0, 400),
       st.integers(-10, 4000))
def test_every_day_has_exactly_one_version_until_a_repeal(starts, repeal, day_offset):
    cat = _family(starts, repeal)
    day = START + dt.timedelta(day_offset)
    holding = [f for f in cat.files if cat.in_force(f, day)]
    first = min(f.ruleset.geldig_vanaf for f in cat.files)
    last = cat.files[-1].ruleset.geldig_tot
    expected = 1 if first <= day and (last is None or day <= last) else 0
    assert len(holding) == expected
    assert not cat.period_problems()            # successors never overlap


def test_next_version_moves_only_example_dates_and_keeps_their_distances():
    source = Path(SOMEREN.file)
    data, lines = parse_file(source)
    text = read_text(source)
    new = next_version_text(text, data, lines, dt.date(2024, 10, 1), dt.date(2026, 1, 1), "2026.1")
    moved = yaml.safe_load(new)
    old = yaml.safe_load(text)
    assert moved["versie"] == "2026.1" and moved["geldig_vanaf"] == dt.date(2026, 1, 1)
    assert "geldig_tot" not in moved
    assert moved["parameters"] == old["parameters"] and moved["bronnen"] == old["bronnen"]
    shift = dt.timedelta(days=(dt.date(2026, 1, 1) - dt.date(2024, 10, 1)).days)
    proc_old, proc_new = old["voorbeeld_voorstel"]["procedure"], moved["voorbeeld_voorstel"]["procedure"]
    assert all(proc_new[k] == proc_old[k] + shift for k in proc_old)
    moved_lines = example_lines(data, lines)
    assert moved_lines, "the example dates were found"
    header = ("versie:", "geldig_vanaf:")
    for n, (was, now) in enumerate(zip(text.splitlines(), new.splitlines()), start=1):
        if n not in moved_lines and not was.startswith(header):
            assert was == now, f"line {n} changed outside the examples"


def test_version_numbers_follow_the_year():
    assert next_versie("2024.2", dt.date(2026, 1, 1)) == "2026.1"
    assert next_versie("2026.1", dt.date(2026, 7, 1)) == "2026.2"


def test_check_and_impact_read_parameters_by_one_rule():
    """A case dated before a version, checked against it, reads its parameters on its first day,
    in check and in impact alike."""
    from maatwerk.engine.audit.impact import evaluate
    from maatwerk.engine.evaluate.check import afwijkingen_data
    from maatwerk.engine.rules.load import voorstel_from_data
    root = Path(__file__).resolve().parents[2]
    data = yaml.safe_load((root / "examples" / "voorstellen" / "someren-pgb-binnen-kaders.yaml").read_text())
    data["voorzieningen"][0].update(tarief=21.50, zin_tarief=21.50)
    voorstel = voorstel_from_data(data, "v")
    day = voorstel.default_peildatum()
    assert day < SOMEREN.ruleset.geldig_vanaf
    eff = BUNDLED.effective(SOMEREN, day)
    checked = afwijkingen_data(eff, voorstel, day)
    assert [a["grens"] for a in checked if a["kader"] == "gm0847.pgb.ho-tarief"] == [20.99]  # not 20.39
    impact = evaluate(eff, "B-1", voorstel.model_dump(mode="json", exclude_none=True), day.isoformat(),
                      checked, set())
    assert impact.wijzigingen == []
