"""Test data for the decision-log tests: a tiny ruleset of our own and voorstellen."""

from __future__ import annotations

import sqlite3

# A ruleset of our own, so the tests do not move when the bundled ones change:
# one kader on the voorstel (akkoord jurist), one per voorziening (akkoord
# teamleider), one per voorziening that asks only a motivering.
RULESET = """\
id: logtest
titel: Testkaders voor het besluitenlog
autoriteit: {naam: Testgemeente, code: gm0344}
wet: wmo2015
versie: "1"
geldig_vanaf: 2026-01-01
bronnen:
  vo: {titel: Verordening maatschappelijke ondersteuning (test), soort: verordening}
parameters:
  max_uren:
    omschrijving: ten hoogste uren hulp bij het huishouden per week
    eenheid: uur
    grondslag: {bron: vo, artikel: "5"}
    waarden: [{vanaf: 2026-01-01, waarde: 4}]
  max_tarief:
    omschrijving: ten hoogste tarief per uur
    eenheid: EUR
    grondslag: {bron: vo, artikel: "6"}
    waarden: [{vanaf: 2026-01-01, waarde: 30.0}]
kaders:
  - id: test.onderzoek.behoeften
    titel: Behoeften onderzocht
    niveau: verordening
    bron_status: vastgesteld
    grondslag: {bron: vo, artikel: "3"}
    afwijking_als: {missing: voorstel.onderzoek.behoeften}
    melding: Het verslag noemt geen behoeften.
    vereist: {akkoord: jurist}
  - id: test.hbh.uren
    titel: Hulp bij het huishouden ten hoogste de norm
    niveau: verordening
    bron_status: vastgesteld
    grondslag: {bron: vo, artikel: "5"}
    geldt_voor: voorziening
    als: {eq: [voorziening.productcategorie, "01"]}
    afwijking_als: {gt: [voorziening.volume, param.max_uren]}
    melding: "{waargenomen} uur per week ligt boven de norm van {grens}."
    vereist: {akkoord: teamleider}
  - id: test.tarief
    titel: Tarief ten hoogste het maximumtarief
    niveau: beleidsregel
    bron_status: vastgesteld
    grondslag: {bron: vo, artikel: "6"}
    geldt_voor: voorziening
    afwijking_als: {gt: [voorziening.tarief, param.max_tarief]}
    melding: "Het tarief van {waargenomen} ligt boven {grens}."
    afwijkbevoegdheid: [awb-4:84]
"""

UREN = "test.hbh.uren"          # voorziening 1, akkoord teamleider
TARIEF = "test.tarief"          # voorzieningen 1 and 2, motivering only
BEHOEFTEN = "test.onderzoek.behoeften"   # voorstel, akkoord jurist
GOED = "De cliënt heeft door een recente heupoperatie tijdelijk meer hulp nodig"
T0 = "2026-03-02T09:00:00Z"


def voorstel_data(kind: str = "open", **top) -> dict:
    """`open`: four afwijkingen (see the constants above); `binnen`: none."""
    data = {
        "id": "V-2026-001", "gemeente": "gm0344", "wet": "wmo2015",
        "client": {"pseudoniem": "C-7f3a"},
        "procedure": {"melding": "2026-02-02", "aanvraag": "2026-03-02"},
        "voorzieningen": [
            {"productcategorie": "01", "volume": 6, "eenheid": "04", "frequentie": "2",
             "tarief": 35.0},
            {"productcategorie": "02", "volume": 2, "eenheid": "04", "frequentie": "2",
             "tarief": 40.0}],
    }
    if kind == "binnen":
        data["onderzoek"] = {"behoeften": "Hulp bij schoonmaken; zelf koken lukt"}
        data["voorzieningen"] = [{"productcategorie": "01", "volume": 3, "eenheid": "04",
                                  "frequentie": "2", "tarief": 28.0}]
    data.update(top)
    return data


# --- recording through the store API (tests/log, tests/audit) ------------------------------
def checked(folder, kind="open", ref=None, **top):
    """(payload, ruleset content) of a checked test voorstel, ready for `store.record`."""
    from maatwerk.engine.evaluate.check import check
    from maatwerk.engine.log import besluit as rules
    from maatwerk.engine.rules.catalog import Catalog
    from maatwerk.engine.rules.load import voorstel_from_data
    voorstel = voorstel_from_data(voorstel_data(kind, **top), "<test>")
    peildatum = voorstel.default_peildatum()
    eff = Catalog.load(folder, strict=False).for_voorstel("gm0344", "wmo2015", peildatum, ref)
    return rules.vastlegging(voorstel, check(eff, voorstel, peildatum), eff), eff.stored()


# The users every log test can act as (registered by `register`), with their roles.
# c.jansen is only a consulent: the impersonation of #11 (a consulent approving as
# teamleider) must fail on the role. t.devries is teamleider and consulent, so four eyes
# can be tested on one person holding both roles.
BEHEERDER = "b.beheer"
USERS = {"c.jansen": ("consulent",), "p.bakker": ("consulent",), "p.smit": ("consulent",),
         "a.ander": ("consulent",), "t.devries": ("teamleider", "consulent"),
         "t.leider": ("teamleider",), "m.bakker": ("jurist",), "g.mandaat": ("gemandateerde",)}


USERS_AT = "2026-01-01T08:00:00Z"     # registered before every test time, so those can follow
N_USERS = 2 + 2 * len(USERS) + 1     # their events: init (2), each user (2), t.devries' 2nd role
WRITERS = tuple(f"w{i}" for i in range(16))     # the writer processes of the load tests


def register(store, extra: tuple[str, ...] = ()):
    """Register the test users (and `extra` consulenten) on a log, once: a log that has
    users is left alone."""
    if store.users():
        return store
    clock, store.klok = store.klok, store.klok or (lambda: USERS_AT)
    store.init_user(BEHEERDER)
    for name, roles in {**USERS, **{w: ("consulent",) for w in extra}}.items():
        store.add_user(name, BEHEERDER, roles)
    store.klok = clock
    return store


def register_db(db, extra: tuple[str, ...] = ()):
    from maatwerk.engine.log.store.open import opened
    with opened(db, create=True) as store:
        register(store, extra)


def at(store, tijdstip):
    """Let the store register its next events at this time (tests only: `Store.klok`)."""
    store.klok = lambda: tijdstip
    return store


def record(store, folder, kind="open", door="c.jansen", tijdstip=None, **top):
    payload, inhoud = checked(folder, kind, **top)
    if tijdstip:
        at(store, tijdstip)
    return store.record(payload, inhoud, [], door, "consulent")


def raw(db):
    """A plain connection beside the store, for what a user of the store cannot do."""
    if db.startswith("postgresql://"):
        import psycopg
        return psycopg.connect(db, autocommit=True)
    conn = sqlite3.connect(db, isolation_level=None)
    return conn



def generated(store, n: int, alter=None) -> list:
    """n generated voorstellen of Utrecht (`strategies.build`), checked against the bundled
    rulesets in force on their own peildatum and recorded; `alter(seed, payload)` may change
    a payload before it is recorded. Returns the besluiten with their seeds."""
    import strategies
    from maatwerk.engine.evaluate.check import check
    from maatwerk.engine.log import besluit as rules
    from maatwerk.engine.rules.catalog import Catalog, bundled_folder
    from maatwerk.engine.rules.load import voorstel_from_data
    cat = Catalog.load(bundled_folder(), strict=False)
    register(store)
    out = []
    for seed in range(n):
        data = strategies.build(seed, gemeente="gm0344")
        data["procedure"]["aanvraag"] = data["procedure"].get("aanvraag") or "2026-03-01"
        voorstel = voorstel_from_data(data, f"<seed {seed}>")
        day = voorstel.default_peildatum()
        eff = cat.for_voorstel(voorstel.gemeente, voorstel.wet, day)
        payload = rules.vastlegging(voorstel, check(eff, voorstel, day), eff)
        if alter is not None:
            alter(seed, payload)
        out.append((seed, payload, store.record(payload, eff.stored(), [], "c.jansen", "consulent")))
    return out
