"""Wat kan ik toezeggen: the room `ruimte` reports is exactly the room the kaders leave.

For every reported bound, a voorstel chosen at the reported maximum (or minimum, or
deadline) does not raise that kader's afwijking and one just beyond it does, on both
engines. The situations are the bundled examples and generated HbH norm factors.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from maatwerk.engine.errors import VoorstelError
from maatwerk.engine.evaluate.check import afwijkingen
from maatwerk.engine.evaluate.ruimte import ruimte, safe_round
from maatwerk.engine.model.voorstel import Situatie
from maatwerk.engine.rules.catalog import Catalog, bundled_folder
from maatwerk.engine.rules.load import parse_file, voorstel_from_data

ROOT = Path(__file__).resolve().parents[2]
CATALOG = Catalog.load(bundled_folder())
SITUATIES = sorted((ROOT / "examples" / "situaties").glob("*.yaml"))
ENGINES = ("durable", "python")
STEP = {"ten hoogste": 0.01, "ten minste": -0.01}


def _report(data: dict):
    situatie = voorstel_from_data(data, "situatie", kind=Situatie)
    day = situatie.default_peildatum()
    eff = CATALOG.for_voorstel(situatie.gemeente, situatie.wet, day)
    return eff, day, ruimte(eff, situatie, day)


def _set(target: dict, path: list[str], value) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def _voorstel_with(data: dict, item, value):
    """The situation with one voorziening (or field) chosen at `value` for this item."""
    out = copy.deepcopy(data)
    field = item.veld.split(".")
    if field[0] == "voorstel":
        if field[1] == "eigen_bijdrage":
            out.setdefault("eigen_bijdrage", {"bedrag": 0.0})
        _set(out, field[1:], value)
        out.setdefault("voorzieningen", [{"productcategorie": "06"}])
        return out
    own = [v for v in out.get("voorzieningen", []) if v["productcategorie"] == item.productcategorie]
    vz = copy.deepcopy(own[0]) if own else {"productcategorie": item.productcategorie}
    vz.update(leveringsvorm=item.leveringsvormen[0], aanbieder={"soort": item.aanbieders[0]},
              eenheid="04", frequentie="2")
    if field[1] == "uren_per_week":
        vz["volume"] = value
    else:
        vz.setdefault("volume", 1.0)
        _set(vz, field[1:], value)
    out["voorzieningen"] = [vz]
    return out


def _fires(data: dict, eff, day, kader: str, engine: str) -> bool | None:
    try:
        voorstel = voorstel_from_data(data, "voorstel")
    except VoorstelError:
        return None            # e.g. a whole number field given a fraction
    return any(a.kader == kader for a in afwijkingen(eff, voorstel, day, engine))


def _amount_cases(data: dict):
    eff, day, report = _report(data)
    for item in report.ruimte:
        number = isinstance(item.grens, (int, float)) and not isinstance(item.grens, bool)
        chosen = item.productcategorie is not None or item.veld.startswith("voorstel.eigen")
        if item.relatie in STEP and number and item.soort != "termijn" and chosen:
            yield eff, day, item


def _check_amount(data, eff, day, item, engine):
    at = _voorstel_with(data, item, item.grens)
    assert _fires(at, eff, day, item.kader, engine) is False, (item.kader, item.grens)
    step = STEP[item.relatie] * (100 if isinstance(item.grens, int) else 1)   # whole numbers
    beyond = _voorstel_with(data, item, round(item.grens + step, 2) if step % 1 else
                            item.grens + int(step))
    assert _fires(beyond, eff, day, item.kader, engine) is True, (item.kader, item.grens)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", SITUATIES, ids=lambda p: p.stem)
def test_reported_maxima_are_exact_on_both_engines(path, engine):
    data, _ = parse_file(path)
    cases = list(_amount_cases(data))
    assert len(cases) >= 3
    for eff, day, item in cases:
        _check_amount(data, eff, day, item, engine)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", SITUATIES, ids=lambda p: p.stem)
def test_reported_deadlines_are_exact_on_both_engines(path, engine):
    data, _ = parse_file(path)
    eff, day, report = _report(data)
    deadlines = [r for r in report.ruimte if r.soort == "termijn" and r.datum
                 and r.veld.startswith("voorstel.procedure")]
    assert {r.kader for r in deadlines} >= {"wmo.onderzoek.termijn", "wmo.beschikking.termijn"}
    for item in deadlines:
        last = dt.date.fromisoformat(item.datum)
        for when, fires in ((last, False), (last + dt.timedelta(days=1), True)):
            out = copy.deepcopy(data)
            out["procedure"][item.veld.split(".")[-1]] = when.isoformat()
            out.setdefault("voorzieningen", [{"productcategorie": "06"}])
            assert _fires(out, eff, day, item.kader, engine) is fires, (item.kader, when)


HBH = st.fixed_dictionaries({
    "extra_inzet": st.sampled_from(["geen", "enig", "veel"]),
    "samenstelling_huishouden": st.booleans(),
    "extra_kamers_in_gebruik": st.integers(0, 4),
    "eigen_mogelijkheden": st.booleans()})


@settings(max_examples=15, deadline=None)
@given(hbh=HBH, engine=st.sampled_from(ENGINES))
def test_hbh_norm_room_holds_for_any_norm_factors(hbh, engine):
    data, _ = parse_file(ROOT / "examples" / "situaties" / "utrecht-echtpaar.yaml")
    data["voorzieningen"] = [{"productcategorie": "01", "hbh": hbh}]
    eff, day, report = _report(data)
    norm = [r for r in report.ruimte if r.kader == "gm0344.hbh.norm"]
    assert len(norm) == 1 and norm[0].veld == "voorziening.uren_per_week"
    assert norm[0].voorbeeld          # the marge (and the KPMG factors) are voorbeeldwaarden
    _check_amount(data, eff, day, norm[0], engine)


def test_build_up_names_each_factor_with_its_source():
    data, _ = parse_file(ROOT / "examples" / "situaties" / "utrecht-echtpaar.yaml")
    _, _, report = _report(data)
    norm = next(r for r in report.ruimte if r.kader == "gm0344.hbh.norm")
    names = {f.naam for f in norm.opbouw}
    assert {"param.hbh_basis_uren", "param.hbh_marge_uren", "afgeleid.hbh_norm"} <= names
    assert norm.grens == 2.25 and norm.grens_kader == 117
    assert "78 uur/jaar basis + 26 uur/jaar enig extra inzet + 13 uur/jaar marge" in norm.zin
    assert all(f.bron for f in norm.opbouw if f.naam.startswith("param."))


def test_pgb_tarief_per_kind_of_aanbieder():
    data, _ = parse_file(ROOT / "examples" / "situaties" / "someren-pgb.yaml")
    _, _, report = _report(data)
    ho = {r.kader: (r.grens, r.aanbieders) for r in report.ruimte
          if r.soort == "tarief" and r.productcategorie == "01"}
    assert ho["gm0847.pgb.ho-tarief"] == (20.99, ["zorgaanbieder", "zzp"])
    assert ho["gm0847.pgb.informeel-ho"] == (15.9, ["sociaal_netwerk", "huisgenoot"])


def test_missing_onderzoek_findings_are_listed():
    data, _ = parse_file(ROOT / "examples" / "situaties" / "utrecht-echtpaar.yaml")
    _, _, report = _report(data)
    missing = {o.kader for o in report.open if o.ontbreekt}
    assert "wmo.onderzoek.samenwerking" in missing and "wmo.onderzoek.behoeften" not in missing


@given(st.floats(0.001, 10_000, allow_nan=False), st.sampled_from(["gt", "lt"]))
def test_safe_round_stays_inside(value, op):
    rounded = safe_round(value, op)
    assert (rounded <= value + 1e-9) if op == "gt" else (rounded >= value - 1e-9)
    assert abs(rounded - value) < 0.01 + 1e-9


def test_a_voorziening_already_in_the_situation_keeps_its_tarieven():
    """A consulent who entered only the product (no eenheid yet) still sees its maximum."""
    data, _ = parse_file(ROOT / "examples" / "situaties" / "someren-pgb.yaml")
    data["voorzieningen"] = [{"productcategorie": "01"}]
    _, _, report = _report(data)
    assert any(r.kader == "gm0847.pgb.ho-tarief" and r.grens == 20.99 for r in report.ruimte)
