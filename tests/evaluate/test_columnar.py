"""The columnar backend agrees with the Python backend, afwijking for afwijking.

Each example is a batch of voorstellen (the columnar backend works on many at once),
each on its own peildatum, and parameters read on that day or on a later one (impact).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import strategies
from hypothesis import given, settings
from hypothesis import strategies as st
from maatwerk.engine.evaluate.bulk import evaluate, field_paths, observe
from maatwerk.engine.evaluate.check import afwijkingen_data
from maatwerk.engine.evaluate.columns import Facts
from maatwerk.engine.rules.load import voorstel_from_data


def _effectives(bundled):
    out = []
    for f in bundled.files:
        rs = f.ruleset
        end = rs.geldig_tot or dt.date(2027, 6, 1)
        for day in sorted({rs.geldig_vanaf, max(rs.geldig_vanaf, min(end, dt.date(2026, 2, 12))), end}):
            out.append((day, bundled.effective(f, day)))
    return out


@pytest.fixture(scope="module")
def effectives(bundled):
    return _effectives(bundled)


def _batch(eff, raws, days, param_days, observed_only=False):
    vpaths, zpaths = field_paths(eff)
    facts = Facts(vpaths, zpaths)
    voorstellen = [voorstel_from_data(raw, "<hypothesis>") for raw in raws]
    for v, day in zip(voorstellen, days):
        facts.add(v, day)
    facts.finish()
    ordinals = np.array([d.toordinal() for d in param_days], np.int64)
    return voorstellen, evaluate(eff, facts, ordinals, observed_only=observed_only), facts


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_columnar_agrees_with_python(effectives, data):
    day, eff = data.draw(st.sampled_from(effectives), label="ruleset")
    raws = data.draw(st.lists(strategies.voorstel(wet=eff.head.wet), min_size=1, max_size=12),
                     label="voorstellen")
    shifts = data.draw(st.lists(st.sampled_from([0, 0, -400, 30, 365]), min_size=len(raws),
                                max_size=len(raws)), label="dagen")
    days = [day + dt.timedelta(days=s) for s in shifts]
    later = data.draw(st.booleans(), label="parameters later")
    param_days = [max(d, eff.head.geldig_vanaf) if later else d for d in days]
    voorstellen, result, facts = _batch(eff, raws, days, param_days)
    for v, d, p, got in zip(voorstellen, days, param_days, result.afwijkingen):
        if got is not None:
            assert got == afwijkingen_data(eff, v, d, "python", param_date=p)
    assert sum(a is None for a in result.afwijkingen) <= len(raws) // 4 + 1
    obs = observe(eff, facts, np.array([d.toordinal() for d in param_days]), np.arange(len(raws)))
    flat = [(r, a["kader"], a["voorziening"], a["waargenomen"], a["grens"])
            for r, found in enumerate(result.afwijkingen) if found is not None for a in found]
    ids = [k.kader.id for k in eff.kaders]
    assert flat == [(r, ids[p], i or None, w, g) for r, i, p, w, g in
                    zip(obs.row.tolist(), obs.idx.tolist(), obs.pos.tolist(), obs.waargenomen, obs.grens)]


def test_observed_only_is_a_subset(effectives):
    day, eff = effectives[0]
    raws = [strategies.build(seed, wet=eff.head.wet) for seed in range(60)]
    voorstellen, result, _ = _batch(eff, raws, [day] * 60, [day] * 60, observed_only=True)
    full = [afwijkingen_data(eff, v, day, "python") for v in voorstellen]
    keys = ("kader", "voorziening", "waargenomen", "grens")
    assert result.afwijkingen == [[{k: a[k] for k in keys} for a in f] for f in full]
    assert sum(len(f) for f in full) > 0


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_rows_with_equal_values_share_a_description(effectives, data):
    """The columnar backend describes each distinct set of values once (replay's speed):
    in a batch full of repeated and near-repeated voorstellen every row still gets exactly
    the Python backend's afwijkingen, never those of a row it was grouped with."""
    day, eff = data.draw(st.sampled_from(effectives), label="ruleset")
    raws = data.draw(st.lists(strategies.voorstel(wet=eff.head.wet), min_size=1, max_size=5),
                     label="voorstellen")
    again = data.draw(st.lists(st.integers(0, len(raws) - 1), min_size=1, max_size=15), label="herhaald")
    batch = raws + [raws[i] for i in again]
    voorstellen, result, _ = _batch(eff, batch, [day] * len(batch), [day] * len(batch))
    for v, got in zip(voorstellen, result.afwijkingen):
        if got is not None:
            assert got == afwijkingen_data(eff, v, day, "python")
    for i, j in enumerate(again):
        assert result.afwijkingen[len(raws) + i] == result.afwijkingen[j]


_AMOUNTS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e7, 1e7),
    st.integers(-10**9, 10**9).map(lambda n: n / 1000),            # ties at half a cent
    st.integers(-10**9, 10**9).map(lambda n: (2 * n + 1) / 200),    # exactly half a cent
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_AMOUNTS, max_size=40), st.sampled_from([0, 2, 4]))
def test_vectorised_half_up_equals_dutch_half_up(values, digits):
    """The columnar half-up (numpy away from a tie) rounds every amount as `dutch.half_up`."""
    from maatwerk.engine.evaluate.backends.columnar import half_up
    from maatwerk.engine.model import dutch
    from maatwerk.engine.model.limits import LIMIT
    got = half_up(np.array(values, float), digits).tolist()
    want = [float(dutch.half_up(v, digits)) if abs(v) < LIMIT else v for v in values]
    assert [repr(g) for g in got] == [repr(w) for w in want]
