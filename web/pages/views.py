"""What the page templates show: a check and a ruimte report in the words and units a
consulent uses. Nothing is computed here that the engine computes: values, bounds,
messages and sources come from the Toets and the RuimteRapport as they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from maatwerk.engine.evaluate.ruimte import band_words, uses_voorbeeld
from maatwerk.engine.log.besluit import tekst_probleem
from maatwerk.engine.model.gronden import GROND_WET, GRONDEN, bevoegdheden
from maatwerk.engine.model import dutch
from maatwerk.engine.model.codes import WJ756, WMO757, categorie

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "templates"))
TEMPLATES.env.autoescape = True          # every value is text, never markup
MENU = (("consulent", "/voorstel", "Nieuw voorstel", "voorstel"),
        ("consulent", "/ruimte", "Wat kan ik toezeggen?", "ruimte"),
        ("consulent", "/besluiten", "Mijn besluiten", "besluiten"),
        ("teamleider", "/wachtrij", "Wachtrij", "wachtrij"),
        ("gemandateerde", "/wachtrij", "Wachtrij", "wachtrij"),
        ("jurist", "/wachtrij", "Wachtrij", "wachtrij"),
        ("beleidsmedewerker", "/rulesets", "Rulesets", "rulesets"),
        ("auditor", "/audit", "Controle", "audit"))


def menu(person) -> list[tuple[str, str, str]]:
    """The menu items this person's roles open (others would answer 403)."""
    out: list[tuple[str, str, str]] = []
    for rol, href, naam, key in MENU:
        if person.heeft(rol) and all(href != h for h, _, _ in out):
            out.append((href, naam, key))
    return out


TEMPLATES.env.globals["menu"] = menu
AANBIEDERS = [("zorgaanbieder", "Zorgaanbieder"), ("zzp", "Zzp'er"),
              ("sociaal_netwerk", "Iemand uit het sociaal netwerk"), ("huisgenoot", "Huisgenoot")]
KOPPEN = {"uren": "Uren", "tarief": "Tarieven", "bedrag": "Bedragen",
          "eigen_bijdrage": "Eigen bijdrage", "termijn": "Termijnen", "overig": "Overig"}


def shown(value: Any, unit: str | None = None) -> str:
    """A value for a page: dates in words, euro with €, comma decimals, units."""
    if value is None:
        return "ontbreekt"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return dutch.date(value)
    return dutch.value(value, unit, with_unit=True)


def vereist(akkoord: str | None, bevoegdheid: list[str] | None = None) -> str:
    need = f"motivering en akkoord van de {akkoord}" if akkoord else "motivering"
    return f"{need}, op grond van {bevoegdheden(bevoegdheid)}" if bevoegdheid else need


def borrowed(checked) -> bool:
    """A kader taken over as a model from another gemeente (its `bron_status`)."""
    return checked.kader.bron_status == "model"


def voorziening_titel(i: int, vz, wet: str) -> str:
    parts = [f"Voorziening {i}: {categorie(vz.productcategorie, wet)} ({vz.productcategorie})"]
    if vz.volume is not None and vz.eenheid:
        amount = f"{dutch.number(vz.volume)} {WJ756.get(vz.eenheid, vz.eenheid)}"
        if vz.frequentie:
            amount += f" {WMO757.get(vz.frequentie, '')}".rstrip()
        parts.append(amount)
    parts.append("pgb" if vz.leveringsvorm == "pgb" else "zorg in natura")
    return " · ".join(parts)


def in_units(value: Any, unit: str | None) -> str:
    """As `shown`, with hours per year also per week (the unit a consulent plans in)."""
    if unit == "uur/jaar" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{dutch.number(value / 52)} uur per week ({dutch.number(value)} uur per jaar)"
    return shown(value, unit)


def afwijking_view(a, eff) -> dict:
    checked = eff.kader(a.kader)
    unit_w = getattr(checked.waargenomen, "unit", None)
    unit_g = getattr(checked.grens, "unit", None)
    presence = a.waargenomen is None or a.grens in ("aanwezig", "afwezig")
    return {"kader": a.kader, "titel": checked.kader.titel, "melding": a.melding,
            "waarden": not presence,
            "waargenomen": in_units(a.waargenomen, unit_w), "grens": in_units(a.grens, unit_g),
            "vereist": vereist(a.vereist.akkoord, a.vereist.bevoegdheid), "bron": a.grondslag.citation(),
            "url": a.grondslag.url, "voorziening": a.voorziening,
            "voorbeeld": checked.grens is not None and uses_voorbeeld(eff, checked.grens),
            "model": borrowed(checked)}


def gronden(wet: str) -> list[tuple[str, str]]:
    """The legal grounds a consulent may pick for this law (the CLI's `--grond` codes)."""
    return [(code, f"{short}: {what}") for code, (short, what) in GRONDEN.items()
            if GROND_WET.get(code, wet) == wet]


def sleutel(kader: str, voorziening: int | None) -> str:
    """The form name part of one afwijking: 'gm0344.hbh.norm@1' ('@0' for the voorstel)."""
    return f"{kader}@{voorziening or 0}"


def with_motivering(view: dict, form: dict, checked: bool) -> dict:
    """The motivering typed for this afwijking, and why it is refused (as the CLI would)."""
    key = sleutel(view["kader"], view["voorziening"])
    tekst = str(form.get(f"motivering.{key}") or "")
    view.update(sleutel=key, motivering=tekst, grond=str(form.get(f"grond.{key}") or ""),
                motivering_fout=None)
    if checked and tekst.strip():
        problem = tekst_probleem(tekst)
        view["motivering_fout"] = f"Deze motivering kan niet: {problem}." if problem else None
    return view


def toets_view(toets, voorstel, eff, form: dict | None = None, checked: bool = False) -> dict:
    """Afwijkingen grouped per voorziening, then the voorstel as a whole; with motiveringen."""
    views = [with_motivering(afwijking_view(a, eff), form or {}, checked)
             for a in toets.afwijkingen]
    groups = [{"titel": voorziening_titel(i, vz, voorstel.wet),
               "afwijkingen": [v for v in views if v["voorziening"] == i]}
              for i, vz in enumerate(voorstel.voorzieningen, start=1)]
    groups.append({"titel": "Het voorstel: procedure, onderzoek en huishouden",
                   "afwijkingen": [v for v in views if v["voorziening"] is None]})
    base = f" op {eff.base.titel}" if eff.base else ""
    return {"aantal": len(views), "groepen": groups, "samenvatting": _summary(groups),
            "gronden": gronden(voorstel.wet),
            "gemotiveerd": sum(1 for v in views if v["motivering"].strip() and
                               not v["motivering_fout"]), "peildatum": dutch.date(toets.peildatum),
            "ruleset": f"{eff.head.titel} (versie {eff.head.versie}){base}"}


def ruimte_view(rapport, situatie, eff) -> dict:
    blokken = []
    for soort, kop in KOPPEN.items():
        items = [_ruimte_item(r, eff) for r in rapport.ruimte if r.soort == soort]
        if items:
            blokken.append({"kop": kop, "regels": items})
    return {"client": situatie.client.pseudoniem, "peildatum": dutch.date(rapport.peildatum),
            "ruleset": f"{eff.head.titel} (versie {eff.head.versie})", "blokken": blokken,
            "open": [{"melding": o.melding, "bron": o.grondslag.citation()} for o in rapport.open]}


def _ruimte_item(r, eff) -> dict:
    zin, opbouw = r.zin, r.formule or ""
    if opbouw and zin.endswith(": " + opbouw):
        zin = zin[:-len(opbouw) - 2]
    return {"kader": r.kader, "titel": r.titel, "geldt_voor": r.geldt_voor[:1].upper() + r.geldt_voor[1:],
            "zin_kort": zin, "opbouw": opbouw, "vereist": vereist(r.vereist.akkoord),
            "bron": r.grondslag.citation(), "url": r.grondslag.url, "voorbeeld": r.voorbeeld,
            "model": borrowed(eff.kader(r.kader)),
            "tabel": [{"bereik": band_words(b), "label": b.get("label") or "",
                       "grens": "geen grens" if b["grens"] is None else
                       shown(b["grens"], r.eenheid_kader)} for b in r.tabel]}


def _summary(groups: list[dict]) -> str:
    parts = [f"{len(g['afwijkingen'])} bij {g['titel'].split(':')[0].lower()}"
             for g in groups if g["afwijkingen"]]
    return "; ".join(parts) if parts else "Het voorstel valt binnen alle kaders."
