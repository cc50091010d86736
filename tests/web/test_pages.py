"""The consulent's pages in a real browser (Playwright on the system Chromium): the story
of a voorstel entered by names, its afwijkingen live while typing, and *wat kan ik
toezeggen?*; every page passes axe-core without violations; forbidden access, bad input,
CSRF and escaping. Screenshots of every page go to one folder (MAATWERK_SCREENSHOTS or
pytest's tmp), printed at the end, so a reviewer can look."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import axe_violations, context_as, login

ROOT = Path(__file__).resolve().parents[2]


# Logged in by the `site` fixture of tests/conftest.py; screenshots go to SHOTS.
PEOPLE = {"p.consulent": "consulent", "p.auditor": "auditor"}
SHOTS = "consulent"


@pytest.fixture
def page(browser, site):
    """A page of a consulent who is logged in."""
    context = context_as(browser, site.url, "p.consulent")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def anonymous(browser, site):
    context = browser.new_context()
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def _no_axe_violations(page):
    assert axe_violations(page) == []


def _fill_voorstel(page, volume="3,5"):
    page.fill("#client-pseudoniem", "C-4821")
    page.select_option("#gemeente", label="Utrecht (gm0344)")
    page.fill("#procedure-melding", "2026-01-05")
    page.fill("#procedure-aanvraag", "2026-02-12")
    page.select_option("#voorzieningen-1-productcategorie", label="Hulp bij het huishouden (01)")
    page.fill("#voorzieningen-1-volume", volume)
    page.select_option("#voorzieningen-1-eenheid", label="uur (04)")
    page.select_option("#voorzieningen-1-frequentie", label="per week (2)")


def test_consulent_enters_a_voorstel_by_names_and_sees_what_it_may_promise(page, site, shots):
    page.goto(site.url + "/voorstel")
    shots.take(page, "nieuw-voorstel")
    _no_axe_violations(page)
    _fill_voorstel(page)
    page.wait_for_selector("#resultaat[data-live-klaar] .afwijking")     # live, while typing
    norm = page.locator(".afwijking", has_text="gm0344.hbh.norm")
    assert "3,5 uur per week (182 uur per jaar)" in norm.inner_text()   # "3,5" read as 3.5
    assert "1,75 uur per week (91 uur per jaar)" in norm.inner_text()
    assert "Voorbeeldwaarde, niet geverifieerd" in norm.inner_text()
    assert norm.locator("a").first.get_attribute("href").startswith("https://")
    page.click("button[value=toets]")                                  # the form itself too
    page.wait_for_selector("#resultaat .afwijking")
    assert "?" not in page.url and "C-4821" not in page.url             # no client data in URLs
    page.locator(".afwijking", has_text="gm0344.hbh.norm").scroll_into_view_if_needed()
    shots.take(page, "toets", full=False)
    _no_axe_violations(page)
    page.click("text=Wat kan ik toezeggen?")
    page.fill("#client-pseudoniem", "C-4821")
    page.select_option("#gemeente", label="Utrecht (gm0344)")
    page.fill("#procedure-melding", "2026-01-05")
    page.fill("#procedure-aanvraag", "2026-02-12")
    page.select_option("#voorzieningen-1-hbh-extra_inzet", label="enig")
    page.click("text=Laat de ruimte zien")
    page.wait_for_selector(".ruimte__item")
    text = page.locator("#resultaat").inner_text()
    assert "ten hoogste 2,25 uur/week" in text and "uiterlijk op 26 februari 2026" in text
    assert "Ontvangst van de melding" not in text or "ontvangst" in text.lower()
    shots.take(page, "wat-kan-ik-toezeggen", full=False)
    _no_axe_violations(page)


def test_the_form_works_without_javascript(browser, site):
    context = context_as(browser, site.url, "p.consulent", java_script_enabled=False)
    pg = context.new_page()
    pg.goto(site.url + "/voorstel")
    _fill_voorstel(pg, volume="1,5")
    pg.click("button[value=toets]")
    assert "gm0344.hbh.norm" not in pg.locator("#resultaat").inner_text()   # 1,5 u/week: within
    assert "Toets:" in pg.locator("#resultaat").inner_text()
    context.close()


def test_bad_input_is_named_next_to_its_field(page, site, shots):
    page.goto(site.url + "/voorstel")
    _fill_voorstel(page, volume="drie")
    page.fill("#procedure-aanvraag", "2026-02-30")
    page.click("button[value=toets]")
    date_field = page.locator("#procedure-aanvraag")
    assert date_field.get_attribute("aria-invalid") == "true"
    assert page.locator("#procedure-aanvraag-fout").inner_text().endswith(
        "Deze datum bestaat niet. Kijk de dag en de maand na.")
    assert "Vul een getal in, bijvoorbeeld 3,5." in page.locator(
        "#voorzieningen-1-volume-fout").inner_text()
    assert date_field.input_value() == "2026-02-30"                     # what was typed stays
    page.click("#meldingen a >> nth=0")                                 # the summary links to it
    page.locator("#procedure-aanvraag-fout").scroll_into_view_if_needed()
    shots.take(page, "foute-invoer", full=False)
    _no_axe_violations(page)


def test_text_is_shown_as_text_never_as_markup(page, site):
    page.goto(site.url + "/voorstel")
    _fill_voorstel(page)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.fill("#onderzoek-behoeften", "<script>alert(1)</script><b>vet</b>")
    page.click("button[value=toets]")
    assert page.locator("#onderzoek-behoeften").input_value() == \
        "<script>alert(1)</script><b>vet</b>"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content() and dialogs == []


def test_pages_need_a_login_and_the_consulent_role(anonymous, site):
    page = anonymous
    page.goto(site.url + "/ruimte")
    assert page.url.startswith(site.url + "/inloggen")
    login(page, site.url, "p.auditor", "/")
    for path in ("/voorstel", "/ruimte"):
        assert page.goto(site.url + path).status == 403
    assert page.request.post(site.url + "/ruimte", form={"gemeente": "gm0344"}).status == 403


def test_a_form_without_the_sessions_csrf_token_is_refused(page, site):
    page.goto(site.url + "/voorstel")
    for path in ("/voorstel", "/voorstel/live", "/ruimte", "/voorstel/inlezen"):
        r = page.request.post(site.url + path, form={"client.pseudoniem": "C-1"})
        assert r.status == 403, path


def test_a_voorstel_from_a_case_system_fills_the_form(page, site):
    data, _ = _example("utrecht-hbh-boven-norm.yaml")
    page.goto(site.url + "/voorstel")
    page.click("text=Voorstel inlezen uit een bestand")
    page.fill("#plakken", json.dumps(data))
    page.get_by_role("button", name="Inlezen", exact=True).click()
    assert page.locator("#client-pseudoniem").input_value() == data["client"]["pseudoniem"]
    assert page.locator("#voorzieningen-1-productcategorie").input_value() == "01"
    assert page.locator(".afwijking", has_text="gm0344.hbh.norm").count() == 1
    page.click("text=Voorstel inlezen uit een bestand")
    page.fill("#plakken", "dit: is: geen: voorstel")
    page.get_by_role("button", name="Inlezen", exact=True).click()
    assert "Het bestand kon niet worden gelezen" in page.locator("#meldingen").inner_text()


def test_the_pages_send_a_strict_content_security_policy(page, site):
    page.goto(site.url + "/voorstel")
    csp = page.goto(site.url + "/voorstel").headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert page.locator("script:not([src])").count() == 0


def _example(name: str):
    from maatwerk.engine.rules.load import parse_file
    return parse_file(ROOT / "examples" / "voorstellen" / name)
