"""Every kader says whose rule it is, and every afwijking carries that to the reader."""

from __future__ import annotations

import pytest
from maatwerk.engine.evaluate.check import afwijkingen
from maatwerk.engine.rules.catalog import Catalog, bundled_folder
from maatwerk.engine.rules.examples import apply_changes
from maatwerk.engine.rules.load import voorstel_from_data

CATALOG = Catalog.load(bundled_folder(), strict=True)
KADERS = [(f, k) for f in CATALOG.files for k in f.ruleset.kaders]


@pytest.mark.parametrize(("f", "kader"), KADERS, ids=[f"{f.ruleset.ref}:{k.id}" for f, k in KADERS])
def test_every_bundled_kader_is_honest_about_its_source(f, kader):
    rs, bron = f.ruleset, f.ruleset.bronnen[kader.grondslag.bron]
    assert kader.bron_status in ("vastgesteld", "model", "voorbeeld")
    if kader.niveau == "jurisprudentie":
        assert bron.soort == "uitspraak", "case law cites a ruling"
    if kader.niveau in ("verordening", "beleidsregel") and kader.bron_status == "vastgesteld":
        assert bron.soort in ("verordening", "beleidsregel") or rs.autoriteit.naam in bron.titel, \
            "a gemeente's own rule cites the gemeente's text or a report made for it"
        assert rs.autoriteit.code != "rijk"
    if bron.soort == "wet" and kader.bron_status == "vastgesteld":
        assert kader.niveau == "wet", "a rule that cites only the law is the law's rule"


def test_every_firing_example_carries_its_provenance_on_both_engines():
    seen = set()
    for f, kader in KADERS:
        ex = next((e for e in kader.voorbeelden if e.afwijking), None)
        if ex is None or f.ruleset.voorbeeld_voorstel is None:
            continue
        data = apply_changes(f.ruleset.voorbeeld_voorstel, ex.wijzig)
        voorstel = voorstel_from_data(data, f.ruleset.ref)
        day = ex.peildatum or voorstel.default_peildatum()
        eff = CATALOG.effective(f, day)
        for engine in ("python", "durable"):
            found = [a for a in afwijkingen(eff, voorstel, day, engine) if a.kader == kader.id]
            assert found and all(a.bron_status == kader.bron_status and a.herkomst for a in found)
            seen.add(kader.bron_status)
            if kader.bron_status == "model":
                assert "model uit een andere gemeente" in found[0].herkomst
                assert f"gemeente {f.ruleset.autoriteit.naam} moet" in found[0].herkomst
    assert seen == {"vastgesteld", "model", "voorbeeld"}


def test_utrecht_applies_the_basis_its_own_sources_carry():
    for f in CATALOG.family("gm0344-wmo"):
        basis = f.ruleset.parameters["hbh_basis_uren"]
        assert [w.waarde for w in basis.waarden] == [78]
        assert f.ruleset.bronnen[basis.grondslag.bron].titel.startswith("KPMG Plexus en bureau HHM")
        marge = f.ruleset.parameters["hbh_marge_uren"]
        assert marge.voorbeeld and marge.grondslag.bron == "geen-bron"
        for bron in f.ruleset.bronnen.values():
            assert "104,9" not in bron.titel and "105 uur" not in bron.titel
