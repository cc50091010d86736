"""The layout of a stored fact block (`audit.fact_layout`): every array and every
recorded value comes back exactly as it was stored (dtype, sign of zero, NaN, int versus
float), however small the form it is stored in."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from maatwerk.engine.audit.fact_layout import pack, unpack, values_of, values_part

_ARRAYS = st.one_of(
    hnp.arrays(np.float64, st.integers(0, 30), elements=st.floats(allow_nan=True)),
    hnp.arrays(np.float64, st.integers(0, 30), elements=st.integers(-3, 3).map(float)),
    hnp.arrays(np.int64, st.integers(0, 30)),
    hnp.arrays(np.int64, st.integers(0, 30), elements=st.integers(-200, 70_000)),
    hnp.arrays(np.bool_, st.integers(0, 30)),
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text("abc|.", min_size=1, max_size=5), _ARRAYS, max_size=5))
def test_packed_arrays_come_back_exactly(arrays):
    got = unpack(pack(arrays))
    assert list(got) == list(arrays)
    for name, a in arrays.items():
        b = got[name]
        assert b.dtype == a.dtype and b.shape == a.shape
        assert a.tobytes() == b.tobytes()      # bit for bit: -0.0 and NaN included


_JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                               st.text(max_size=5)),
                     lambda inner: st.lists(inner, max_size=3), max_leaves=5)


@settings(max_examples=200, deadline=None)
@given(st.lists(_JSON, max_size=20), st.lists(_JSON, max_size=20))
def test_recorded_values_come_back_as_the_same_objects(w, g):
    got = values_of(values_part({"w": w, "g": g}))
    for name, values in (("w", w), ("g", g)):
        back = got[name].tolist()
        assert back == values
        assert [type(x) for x in back] == [type(x) for x in values]
        assert [repr(x) for x in back] == [repr(x) for x in values]
