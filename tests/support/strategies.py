"""Voorstellen for property tests: valid data, biased towards the kaders' edges.

Generation is plain `random` seeded by hypothesis (one draw per voorstel), which
is two orders of magnitude faster than drawing every field; a failure is
reported with its seed and reproduces exactly.
"""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import strategies as st

BASE = dt.date(2026, 1, 5)
CATEGORIES = ["01", "01", "02", "02", "03", "04", "06", "07", "08", "11", "12", "13", "14", "19",
              "31", "45", "50"]
TEXTS = ["onderzocht en vastgelegd", "zie verslag van het keukentafelgesprek"]
FINDINGS = ("behoeften", "eigen_kracht", "mantelzorg", "mantelzorgondersteuning",
            "algemene_voorziening", "samenwerking", "bijdrage", "algemeen_gebruikelijk",
            "eigen_mogelijkheden_ouders", "gebruikelijke_zorg")
FLAGS = ("persoonlijk_plan_gewezen", "clientondersteuning_gewezen", "pgb_uitgelegd",
         "mantelzorg_ingezet", "mantelzorger_bereid_onbetaald", "wlz_aanspraak", "zvw_aanspraak",
         "verlengde_jeugdhulp")
ROOMS = ["toilet", "badkamer", "slaapkamer", "keuken", "toegang", "garage", "zolder", "hobbyruimte"]
ITEMS = ["verhoogde toiletpot", "thermostaatkraan", "douchekop op glijstang", "tandem",
         "scootmobiel", "traplift"]


def _day(r: random.Random, base: dt.date, lo: int, hi: int) -> dt.date:
    return base + dt.timedelta(days=r.randint(lo, hi))


def _maybe(r: random.Random, value, p: float = 0.8):
    return value if r.random() < p else None


def _money(r: random.Random) -> float:
    return float(r.randint(0, 80)) if r.random() < 0.5 else round(r.uniform(0, 80), 2)


def procedure(r: random.Random) -> dict:
    melding = _day(r, BASE, -900, 400)
    onderzoek = _day(r, melding, 0, 60)
    aanvraag = max(melding, _day(r, onderzoek, -10, 10))    # nothing before the melding
    beschikking = _day(r, aanvraag, 0, 25)
    return _clean({
        "melding": melding.isoformat(),
        "ontvangstbevestiging": _maybe(r, melding.isoformat()),
        "onderzoek_afgerond": onderzoek.isoformat(),
        "verslag_verstrekt": _maybe(r, onderzoek.isoformat()),
        "aanvraag": aanvraag.isoformat(),
        "beschikking": _maybe(r, beschikking.isoformat()),
        "spoed": r.random() < 0.2,
        "tijdelijke_voorziening": _maybe(r, melding.isoformat(), 0.5),
    })


def onderzoek(r: random.Random) -> dict:
    data = {name: r.choice(TEXTS) for name in FINDINGS if r.random() < 0.85}
    data.update({name: r.random() < 0.7 for name in FLAGS if r.random() < 0.8})
    return data


def voorziening(r: random.Random) -> dict:
    cat = r.choice(CATEGORIES)
    begin = _day(r, BASE, -300, 300)
    data = {
        "productcategorie": cat,
        "eenheid": _maybe(r, r.choice(["01", "04", "04", "14", "16", "82", "83", "84", "05"])),
        "frequentie": _maybe(r, r.choice(["1", "2", "2", "4", "6", "3"])),
        "volume": _maybe(r, float(r.randint(0, 600)) if r.random() < 0.3 else round(r.uniform(0, 20), 2)),
        "leveringsvorm": r.choice(["zin", "pgb"]),
        "tarief": _maybe(r, _money(r)),
        "zin_tarief": _maybe(r, _money(r)),
        "begindatum": begin.isoformat(),
        "einddatum": _maybe(r, _day(r, begin, 0, 800).isoformat()),
        "leveringsplan": _maybe(r, r.random() < 0.5),
        "kostprijs": _maybe(r, float(r.randint(0, 5000))),
        "eigen_bijdrage_totaal": _maybe(r, float(r.randint(0, 5000)), 0.5),
        "algemeen_gebruikelijk_item": _maybe(r, r.choice(ITEMS), 0.3),
        "zwaarte": _maybe(r, r.choice(["regulier", "extra"]), 0.5),
    }
    if data["leveringsvorm"] == "pgb" or r.random() < 0.3:
        data["pgb"] = {k: _maybe(r, r.random() < 0.7) for k in ("vaardig", "budgetplan", "kwaliteit_geborgd")}
        if r.random() < 0.5:
            data["pgb"]["zin_niet_passend"] = "zorg in natura past niet bij het ritme van het gezin"
    if r.random() < 0.5:
        data["aanbieder"] = {"soort": r.choice(["zorgaanbieder", "zzp", "sociaal_netwerk", "huisgenoot"])}
    if cat == "01" or r.random() < 0.3:
        data["hbh"] = {
            "extra_inzet": r.choice(["geen", "enig", "veel"]),
            "samenstelling_huishouden": r.random() < 0.5,
            "extra_kamers_in_gebruik": r.randint(0, 3),
            "eigen_mogelijkheden": r.random() < 0.5,
            "extra_uren_voor": r.sample(["tuin", "huisdieren", "woninggrootte",
                                         "eerdere_schoonmaakhulp", "anders"], r.randint(0, 3)),
        }
    if cat in ("08", "12") or r.random() < 0.2:
        data["vervoer"] = {"km_per_jaar": _maybe(r, float(r.randint(0, 10000))),
                           "zone_km": _maybe(r, float(r.randint(0, 60))),
                           "noodzaak": _maybe(r, r.random() < 0.5)}
    if cat == "13" or r.random() < 0.2:
        data["woon"] = {"kosten": _maybe(r, float(r.randint(0, 60000))),
                        "verhuisafweging": _maybe(r, r.random() < 0.5),
                        "goedkoopst_adequaat": _maybe(r, r.random() < 0.5),
                        "eigendom": _maybe(r, r.random() < 0.5)}
    return _clean(data)


def _clean(data):
    if isinstance(data, dict):
        return {k: _clean(v) for k, v in data.items() if v is not None}
    return data


def build(seed: int, gemeente: str = "gm0344", wet: str = "wmo2015") -> dict:
    """One valid voorstel (as data) from a seed."""
    r = random.Random(seed)
    born = _day(r, dt.date(1930, 1, 1), 0, 33000)
    data = {
        "id": f"VS-{seed % 100000}", "wet": wet, "gemeente": gemeente,
        "client": {"pseudoniem": "C-test", "geboortedatum": born.isoformat()},
        "huishouden": {"personen": r.randint(1, 6), "kinderen_jonger_dan_18": r.randint(0, 3)},
        "procedure": procedure(r),
        "onderzoek": onderzoek(r),
        "voorzieningen": [voorziening(r) for _ in range(r.randint(1, 4))],
    }
    if r.random() < 0.5:
        data["huishouden"]["partner"] = _clean({
            "geboortedatum": _day(r, dt.date(1940, 1, 1), 0, 20000).isoformat(),
            "gezond": _maybe(r, r.random() < 0.5), "overbelast": _maybe(r, r.random() < 0.5)})
    if r.random() < 0.7:
        data["eigen_bijdrage"] = {"bedrag": r.choice([0.0, 17.5, 19.0, 20.6, 21.0, 21.8, 21.9, 25.0]),
                                  "periode": r.choice(["maand", "maand", "4 weken"]),
                                  "aantal_in_huishouden": r.randint(0, 2)}
    return catalogue_fields(random.Random(seed * 7919 + 17), data)


def catalogue_fields(x: random.Random, data: dict) -> dict:
    """The fields the catalogue K08-K26 added, drawn from their own generator so that the
    voorstellen of a seed stay what they were before (and so does every test built on them)."""
    onderzoek = data["onderzoek"]
    for flag in ("betaalde_algemene_voorziening", "draagkracht_onderzocht"):
        if x.random() < 0.6:
            onderzoek[flag] = x.random() < 0.6
    huishouden = data["huishouden"]
    if x.random() < 0.4:      # inwonende kinderen, all born before any peildatum drawn here
        huishouden["geboortedata_inwonende_kinderen"] = [
            _day(x, dt.date(1995, 1, 1), 0, 9800).isoformat() for _ in range(x.randint(1, 3))]
    if "partner" in huishouden and x.random() < 0.5:
        huishouden["partner"]["wlz_instelling"] = x.random() < 0.3
    if "eigen_bijdrage" in data and x.random() < 0.2:
        data["eigen_bijdrage"]["ouders_woningaanpassing"] = x.random() < 0.5
    if x.random() < 0.05:
        data["voorzieningen"].append({"productcategorie": "15", "omschrijving": "Beschermd wonen"})
    for vz in data["voorzieningen"]:
        if x.random() < 0.5:
            vz["abonnementstarief"] = x.random() < 0.5
        if "hbh" in vz and x.random() < 0.5:
            vz["hbh"]["aandeel_kinderen"] = x.random() < 0.5
        if "woon" in vz:
            vz["woon"]["ruimten"] = x.sample(ROOMS, x.randint(0, 3))
            if x.random() < 0.5:
                vz["woon"]["losse_voorziening"] = x.random() < 0.3
    return data


def voorstel(gemeente: str = "gm0344", wet: str = "wmo2015"):
    return st.integers(0, 2**32).map(lambda seed: build(seed, gemeente, wet))
