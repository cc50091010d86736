"""The backends agree: durable-rules, plain Python and columnar give identical afwijkingen."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import strategies
from hypothesis import given, settings
from hypothesis import strategies as st
import numpy as np
from maatwerk.engine.evaluate.bulk import evaluate, field_paths
from maatwerk.engine.evaluate.check import afwijkingen, afwijkingen_data
from maatwerk.engine.evaluate.columns import Facts
from maatwerk.engine.rules.load import voorstel_from_data


def _effectives(bundled):
    """Every ruleset in the bundle with its base, on a few dates in its validity."""
    out = []
    for f in bundled.files:
        rs = f.ruleset
        end = rs.geldig_tot or dt.date(2027, 6, 1)
        for day in sorted({rs.geldig_vanaf, max(rs.geldig_vanaf, min(end, dt.date(2026, 2, 12))), end}):
            out.append((rs.ref, day, bundled.effective(f, day)))
    return out


@pytest.fixture(scope="module")
def effectives(bundled):
    return _effectives(bundled)


@settings(max_examples=1000)
@given(data=st.data())
def test_backends_agree(effectives, data):
    ref, day, eff = data.draw(st.sampled_from(effectives), label="ruleset")
    raw = data.draw(strategies.voorstel(wet=eff.head.wet), label="voorstel")
    voorstel = voorstel_from_data(raw, "<hypothesis>")
    peildatum = data.draw(st.sampled_from([day, voorstel.default_peildatum() or day]))
    durable = afwijkingen(eff, voorstel, peildatum, "durable", explain=True)
    python = afwijkingen(eff, voorstel, peildatum, "python", explain=True)
    assert durable == python
    as_stored = [a.model_dump(mode="json", exclude={"uitleg"}) for a in durable]
    assert afwijkingen_data(eff, voorstel, peildatum, "python") == as_stored
    assert _columnar(eff, voorstel, peildatum) in (as_stored, None)


def _columnar(eff, voorstel, peildatum):
    """The columnar backend on a batch of one (None: it hands this voorstel to Python)."""
    facts = Facts(*field_paths(eff))
    facts.add(voorstel, peildatum)
    return evaluate(eff, facts.finish(), np.array([peildatum.toordinal()])).afwijkingen[0]


def test_many_threads_one_compiled_ruleset(bundled):
    """One compiled ruleset used from 8 threads: every result equals the oracle."""
    f = bundled.by_ref("wmo2015")
    eff = bundled.effective(f, dt.date(2026, 2, 12))
    cases = [voorstel_from_data(strategies.build(seed), "<t>") for seed in range(40)]
    day = dt.date(2026, 2, 12)
    expected = [afwijkingen(eff, v, day, "python") for v in cases]
    afwijkingen(eff, cases[0], day, "durable")  # compile once before the threads start
    failures: list[str] = []

    def work(offset: int) -> None:
        for round_ in range(5):
            for i in range(len(cases)):
                j = (i + offset + round_) % len(cases)
                if afwijkingen(eff, cases[j], day, "durable") != expected[j]:
                    failures.append(f"thread {offset} case {j}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert sum(len(e) for e in expected) > 0, "the cases must produce afwijkingen to compare"
