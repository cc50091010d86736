"""The beleidsmedewerker's and the auditor's pages in a real browser: rulesets per
gemeente, a kader with its source and examples, the diff of two versions, the impact of a
version; verify, the drift report with its chart, the replay of one besluit. Every page
passes axe-core; the other roles get 403."""

from __future__ import annotations

import pytest
from browser import axe_violations, context_as



PEOPLE = {"p.beleidsmedewerker": "beleidsmedewerker", "p.auditor": "auditor",
          "p.consulent": "consulent"}     # logged in by `site` (tests/conftest.py)
SHOTS = "beleid-en-audit"


@pytest.fixture
def as_person(browser, site):
    contexts = []

    def open_as(naam: str, target: str):
        context = context_as(browser, site.url, naam, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        pg = context.new_page()
        pg.goto(site.url + target)
        return pg
    yield open_as
    for c in contexts:
        c.close()


def test_beleidsmedewerker_reads_rulesets_kaders_and_a_diff(as_person, site, shots):
    page = as_person("p.beleidsmedewerker", "/rulesets")
    assert page.locator("h2", has_text="Someren (gm0847)").count() == 1
    shots.take(page, "rulesets")
    assert axe_violations(page) == []
    page.click("text=gm0847-wmo@2024.2")
    assert "Voorbeeldwaarde, niet geverifieerd" in page.content()
    shots.take(page, "ruleset")
    assert axe_violations(page) == []
    page.click("text=Pgb huishoudelijke ondersteuning niet boven het Somerense uurtarief")
    text = page.locator("main").inner_text()
    assert "ZO! Someren" in text and "20,99 in november" in text
    shots.take(page, "kader")
    assert axe_violations(page) == []
    page.goto(site.url + "/rulesets")
    page.select_option("#oud", "gm0847-wmo@2024.1")
    page.select_option("#nieuw", "gm0847-wmo@2024.2")
    page.click("button:has-text('Vergelijk')")
    assert "20,39" in page.content() and "20,99" in page.content()
    shots.take(page, "vergelijk")
    assert axe_violations(page) == []
    page.goto(site.url + "/rulesets/gm0847-wmo@2024.2")
    page.click("text=Bereken de impact")
    assert "besluiten opnieuw getoetst" in page.locator("main").inner_text()
    shots.take(page, "impact")
    assert axe_violations(page) == []


def test_auditor_verifies_and_reads_the_report(as_person, site, shots):
    page = as_person("p.auditor", "/audit")
    assert "De keten is intact" in page.locator("main").inner_text()
    assert page.locator("#kop").inner_text().count(":") == 1
    shots.take(page, "controle")
    assert axe_violations(page) == []
    page.click("text=Rapport:")
    assert page.locator("svg.grafiek title").count() == 1
    shots.take(page, "rapport")
    assert axe_violations(page) == []
    page.goto(site.url + "/audit")
    page.fill("#besluit", "B-000000000000")
    page.get_by_role("button", name="Opnieuw toetsen").click()
    assert page.locator("h1").inner_text() == "Niet gevonden"


def test_roles_are_kept_apart(as_person, site):
    page = as_person("p.consulent", "/voorstel")
    for path in ("/rulesets", "/rulesets/gm0847-wmo@2024.2", "/audit", "/audit/rapport"):
        assert page.goto(site.url + path).status == 403, path
    nav = page.goto(site.url + "/") and page.locator("nav[aria-label=Hoofdmenu]").inner_text()
    assert "Nieuw voorstel" in nav and "Rulesets" not in nav and "Controle" not in nav
    r = page.request.post(site.url + "/rulesets/gm0847-wmo@2024.2/impact", form={"vanaf": ""})
    assert r.status == 403
