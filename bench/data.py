"""Benchmark data: realistic voorstellen with 3 voorzieningen and a few afwijkingen each.

Every voorstel starts within the kaders of Utrecht (gm0344-wmo@2016.1 on the Wmo 2015
base, 43 kaders) and gets zero to three deviations drawn from what consulenten
actually do: more hours than the norm, a late beschikking, a missing finding, a pgb
above the ZIN price, an item on the algemeen-gebruikelijk list.
"""

from __future__ import annotations

import copy
import datetime as dt
import random

BASE = {
    "wet": "wmo2015", "gemeente": "gm0344",
    "client": {"pseudoniem": "U-0001", "geboortedatum": "1944-05-12"},
    "huishouden": {"personen": 1},
    "procedure": {"melding": "2026-01-05", "ontvangstbevestiging": "2026-01-06",
                  "onderzoek_afgerond": "2026-02-09", "verslag_verstrekt": "2026-02-10",
                  "aanvraag": "2026-02-12", "beschikking": "2026-02-20"},
    "onderzoek": {
        "behoeften": "Wil zelfstandig thuis blijven wonen; voorkeur voor vaste hulp.",
        "eigen_kracht": "Kan licht huishoudelijk werk zelf; zwaar werk lukt niet meer.",
        "mantelzorg": "Zoon woont in Zwolle; geen mantelzorg voor het huishouden mogelijk.",
        "mantelzorgondersteuning": "Niet van toepassing; geen mantelzorger.",
        "algemene_voorziening": "Algemene schoonmaakdienst afgewogen; dekt zwaar werk niet.",
        "samenwerking": "Afgestemd met de wijkverpleging (Zvw).",
        "bijdrage": "Abonnementstarief besproken.",
        "algemeen_gebruikelijk": "Geen algemeen gebruikelijke voorziening neemt de beperking weg.",
        "persoonlijk_plan_gewezen": True, "clientondersteuning_gewezen": True,
        "pgb_uitgelegd": True},
    "eigen_bijdrage": {"bedrag": 21.8, "periode": "maand"},
    "voorzieningen": [
        {"productcategorie": "01", "omschrijving": "Hulp bij het huishouden", "eenheid": "04",
         "frequentie": "2", "volume": 2.0, "leveringsvorm": "zin", "tarief": 31.8,
         "zin_tarief": 31.8, "begindatum": "2026-03-01", "einddatum": "2027-02-28"},
        {"productcategorie": "02", "omschrijving": "Begeleiding individueel", "eenheid": "04",
         "frequentie": "2", "volume": 2.0, "leveringsvorm": "zin", "tarief": 62.0,
         "zin_tarief": 62.0, "begindatum": "2026-03-01", "einddatum": "2027-02-28"},
        {"productcategorie": "14", "omschrijving": "Douchestoel", "eenheid": "82", "frequentie": "6",
         "volume": 1.0, "kostprijs": 180.0, "eigen_bijdrage_totaal": 0.0,
         "begindatum": "2026-03-01", "einddatum": "2026-03-01"},
    ],
}


def _more_hours(d: dict, r: random.Random) -> None:
    d["voorzieningen"][0]["volume"] = round(r.uniform(2.5, 6), 2)


def _late(d: dict, r: random.Random) -> None:
    aanvraag = dt.date.fromisoformat(d["procedure"]["aanvraag"])
    d["procedure"]["beschikking"] = (aanvraag + dt.timedelta(days=r.randint(15, 40))).isoformat()


def _missing(d: dict, r: random.Random) -> None:
    d["onderzoek"].pop(r.choice(["behoeften", "eigen_kracht", "mantelzorg", "samenwerking"]))


def _pgb(d: dict, r: random.Random) -> None:
    vz = d["voorzieningen"][1]
    vz.update(leveringsvorm="pgb", tarief=round(r.uniform(60, 70), 2),
              pgb={"vaardig": r.random() < 0.8, "budgetplan": True, "kwaliteit_geborgd": True})


def _item(d: dict, r: random.Random) -> None:
    d["voorzieningen"][2]["algemeen_gebruikelijk_item"] = r.choice(["verhoogde toiletpot", "tandem"])


DEVIATIONS = [_more_hours, _late, _missing, _pgb, _item]


def voorstel(seed: int) -> dict:
    r = random.Random(seed)
    d = copy.deepcopy(BASE)
    d["id"] = f"VS-BENCH-{seed}"
    d["client"]["pseudoniem"] = f"U-{seed:06d}"
    shift = dt.timedelta(days=r.randint(0, 200))
    for k, v in d["procedure"].items():
        d["procedure"][k] = (dt.date.fromisoformat(v) + shift).isoformat()
    for vz in d["voorzieningen"]:
        for k in ("begindatum", "einddatum"):
            vz[k] = (dt.date.fromisoformat(vz[k]) + shift).isoformat()
    for change in r.sample(DEVIATIONS, r.choice([0, 1, 1, 2, 3])):
        change(d, r)
    return d


GEMEENTEN = [("gm0344", 0.7), ("gm0847", 0.3)]   # the bundled Wmo rulesets: Utrecht, Someren


def spread(seed: int) -> dict:
    """A voorstel of a generated year and a half of practice: Utrecht or Someren, one to three
    voorzieningen, dates from January 2024 to June 2026 (so parameters of several dates apply)."""
    r = random.Random(seed * 7919 + 1)
    d = voorstel(seed)
    d["gemeente"] = "gm0344" if r.random() < GEMEENTEN[0][1] else "gm0847"
    shift = dt.timedelta(days=r.randint(-760, 120))
    for k, v in d["procedure"].items():
        d["procedure"][k] = (dt.date.fromisoformat(v) + shift).isoformat()
    keep = sorted(r.sample(range(3), r.choice([1, 2, 2, 3, 3, 3])))
    d["voorzieningen"] = [d["voorzieningen"][i] for i in keep]
    for vz in d["voorzieningen"]:
        for k in ("begindatum", "einddatum"):
            vz[k] = (dt.date.fromisoformat(vz[k]) + shift).isoformat()
    return d
