"""Every example case of every bundled ruleset passes, on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from maatwerk.engine.evaluate.check import afwijkingen
from maatwerk.engine.rules.catalog import Catalog, bundled_folder
from maatwerk.engine.rules.examples import run_all, untested_values
from maatwerk.engine.rules.load import read_voorstel

CATALOG = Catalog.load(bundled_folder(), strict=True)


@pytest.mark.parametrize("engine", ["durable", "python"])
@pytest.mark.parametrize("ref", sorted(f.ruleset.ref for f in CATALOG.files))
def test_examples_pass(ref, engine):
    f = CATALOG.by_ref(ref)
    period = (f.ruleset.geldig_vanaf, CATALOG.until(f))
    effective = lambda d: CATALOG.effective(f, d)   # noqa: E731
    results = run_all(f, effective, lambda eff, v, d: afwijkingen(eff, v, d, engine),
                      lambda rel: read_voorstel(Path(f.file).parent / rel), period)
    failed = [f"{r.kader}: {r.naam}: {r.detail}" for r in results if not r.ok]
    assert results and not failed
    assert untested_values(f, period, results, effective) == [], "every value is read by an example"


def test_every_kader_has_a_deviating_and_a_passing_example():
    for f in CATALOG.files:
        for kader in f.ruleset.kaders:
            outcomes = {case.afwijking for case in kader.voorbeelden}
            assert outcomes == {True, False}, f"{f.ruleset.ref} {kader.id}"


def test_every_kader_cites_a_source():
    for f in CATALOG.files:
        for kader in f.ruleset.kaders:
            bron = f.ruleset.bronnen[kader.grondslag.bron]
            assert bron.url or bron.bwb or bron.cvdr or bron.ecli, f"{f.ruleset.ref} {kader.id}"
