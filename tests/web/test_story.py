"""The whole story in a real browser, as people would walk it: a consulent logs in, fills a
voorstel by names, sees the afwijkingen, opens *wat kan ik toezeggen*, motivates, records
and asks a colleague to read along; the colleague remarks; a teamleider approves from the
work queue; the printable besluit shows it in Dutch time with its hash; an auditor
verifies the log and replays the besluit. A screenshot of every page, axe on every page."""

from __future__ import annotations

from browser import axe_violations, context_as

MOTIVERING = ("Mevrouw woont alleen; de zzp'er die zij al jaren kent vraagt 21,50 per uur en "
              "een wisseling zou haar onrust geven")


PEOPLE = {"s.consulent": "consulent", "s.collega": "consulent", "s.teamleider": "teamleider",
          "s.auditor": "auditor"}         # logged in by `site` (tests/conftest.py)
SHOTS = "verhaal"


def _person(browser, site, naam, target):
    context = context_as(browser, site.url, naam)
    page = context.new_page()
    page.goto(site.url + target)
    return context, page


def _look(page, shots, name, full=True):
    shots.take(page, name, full)
    assert axe_violations(page) == [], name


def _fill(page):
    page.fill("#client-pseudoniem", "C-0931")
    page.select_option("#gemeente", label="Someren (gm0847)")
    page.fill("#procedure-melding", "2024-10-07")
    page.fill("#procedure-ontvangstbevestiging", "2024-10-08")
    page.fill("#procedure-onderzoek_afgerond", "2024-10-28")
    page.fill("#procedure-verslag_verstrekt", "2024-10-29")
    page.fill("#procedure-aanvraag", "2024-11-04")
    page.fill("#procedure-beschikking", "2024-11-12")
    for veld in ("behoeften", "eigen_kracht", "mantelzorg", "mantelzorgondersteuning",
                 "algemene_voorziening", "samenwerking", "bijdrage", "algemeen_gebruikelijk"):
        page.fill(f"#onderzoek-{veld}", f"Besproken aan de keukentafel: {veld.replace('_', ' ')}.")
    for vink in ("persoonlijk_plan_gewezen", "clientondersteuning_gewezen", "pgb_uitgelegd"):
        page.check(f"#onderzoek-{vink}")
    page.fill("#eigen_bijdrage-bedrag", "20,60")
    page.select_option("#voorzieningen-1-productcategorie", label="Hulp bij het huishouden (01)")
    page.fill("#voorzieningen-1-volume", "2")
    page.select_option("#voorzieningen-1-eenheid", label="uur (04)")
    page.select_option("#voorzieningen-1-frequentie", label="per week (2)")
    page.select_option("#voorzieningen-1-leveringsvorm", label="Persoonsgebonden budget (pgb)")
    page.select_option("#voorzieningen-1-aanbieder-soort", label="Zzp'er")
    page.fill("#voorzieningen-1-tarief", "21,50")
    page.fill("#voorzieningen-1-zin_tarief", "21,50")
    page.fill("#voorzieningen-1-begindatum", "2024-11-15")
    page.fill("#voorzieningen-1-einddatum", "2025-11-14")
    for vink in ("vaardig", "budgetplan", "kwaliteit_geborgd"):
        page.check(f"#voorzieningen-1-pgb-{vink}")


def test_the_whole_story(browser, site, shots):
    context, page = _person(browser, site, "s.consulent", "/voorstel")
    _fill(page)
    tarief = page.locator("#resultaat .afwijking", has_text="gm0847.pgb.ho-tarief")
    tarief.wait_for()
    assert "€ 21,50" in tarief.inner_text() and "€ 20,99" in tarief.inner_text()
    _look(page, shots, "voorstel-met-afwijkingen", full=False)
    tab = context.new_page()                       # a second tab: the voorstel stays filled
    tab.goto(site.url + "/ruimte")
    tab.fill("#client-pseudoniem", "C-0931")
    tab.select_option("#gemeente", label="Someren (gm0847)")
    tab.fill("#procedure-melding", "2024-10-07")
    tab.click("text=Laat de ruimte zien")
    assert "ten hoogste € 20,99" in tab.locator("#resultaat").inner_text()
    _look(tab, shots, "wat-kan-ik-toezeggen", full=False)
    tab.close()
    page.locator("textarea[name='motivering.gm0847.pgb.ho-tarief@1']").fill(MOTIVERING)
    page.locator("select[name='grond.gm0847.pgb.ho-tarief@1']").select_option("awb-4:84")
    page.click("button[value=vastleggen]")
    page.wait_for_url("**/besluiten/B-*")
    besluit = page.url.rsplit("/", 1)[1]
    assert MOTIVERING in page.locator("main").inner_text()
    item = page.locator(".afwijking", has_text="gm0847.pgb.ho-tarief")
    item.locator("select[name=collega]").select_option("s.collega")
    item.get_by_role("button", name="Vraag mee te lezen").click()
    assert "s.consulent vroeg s.collega mee te lezen" in page.locator("main").inner_text()
    _look(page, shots, "besluit-na-vastleggen")
    page.click("text=Mijn besluiten")
    assert page.locator(f"a:has-text('{besluit}')").count() == 1
    _look(page, shots, "mijn-besluiten")
    context.close()

    context, page = _person(browser, site, "s.collega", f"/besluiten/{besluit}")
    item = page.locator(".afwijking", has_text="gm0847.pgb.ho-tarief")
    item.locator("textarea[name=tekst]").fill("Goed onderbouwd; noem ook de duur van de relatie")
    item.get_by_role("button", name="Opmerking plaatsen").click()
    assert "Opmerking van s.collega" in page.locator("main").inner_text()
    context.close()

    context, page = _person(browser, site, "s.teamleider", "/wachtrij")
    row = page.locator("tr", has_text="gm0847.pgb.ho-tarief")
    assert row.count() == 1 and besluit in row.inner_text()
    _look(page, shots, "wachtrij")
    row.locator("a").click()
    item = page.locator(".afwijking", has_text="gm0847.pgb.ho-tarief")
    item.get_by_role("button", name="Akkoord als teamleider").click()
    assert "Akkoord van s.teamleider (teamleider)" in page.locator("main").inner_text()
    _look(page, shots, "besluit-met-akkoord")
    page.click("text=Samenvatting om af te drukken")
    assert len(page.locator("#besluit-hash").inner_text()) == 64
    assert "Nederlandse tijd" in page.locator("main").inner_text()
    page.emulate_media(media="print")
    _look(page, shots, "besluit-afdruk")
    page.pdf(path=str(shots.folder / "besluit-afdruk.pdf"), format="A4")
    context.close()

    context, page = _person(browser, site, "s.auditor", "/audit")
    assert "De keten is intact" in page.locator("main").inner_text()
    _look(page, shots, "controle")
    page.fill("#besluit", besluit)
    page.get_by_role("button", name="Opnieuw toetsen").click()
    assert "Gelijk" in page.locator("main").inner_text()
    _look(page, shots, "replay")
    page.goto(site.url + "/audit/rapport")
    assert "gm0847.pgb.ho-tarief" in page.locator("table").inner_text()
    _look(page, shots, "rapport")
    context.close()
