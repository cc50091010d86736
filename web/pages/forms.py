"""From a page's form fields to voorstel data, and back: the form a consulent fills.

Field names are dotted voorstel paths (`procedure.melding`, `voorzieningen.1.volume`,
positions from 1 as everywhere). Numbers take a comma ("3,5") or a point; dates are
JJJJ-MM-DD and must exist. Every problem is kept by field name, to be shown next to
that field; an empty field is simply absent.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from maatwerk.engine.model.codes import JZ020, WJ756, WMO020, WMO757

MAX_VOORZIENINGEN = 3
NUMBER = re.compile(r"^-?[0-9]{1,9}([.,][0-9]{1,6})?$")
THOUSANDS = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]{1,6})?$")

TEXT = ("id", "client.pseudoniem", "gemeente", "wet",
        *(f"onderzoek.{k}" for k in ("behoeften", "eigen_kracht", "mantelzorg",
                                     "mantelzorgondersteuning", "algemene_voorziening",
                                     "samenwerking", "bijdrage", "algemeen_gebruikelijk")))
DATES = ("client.geboortedatum", "huishouden.partner.geboortedatum", "procedure.melding",
         "procedure.ontvangstbevestiging", "procedure.onderzoek_afgerond",
         "procedure.verslag_verstrekt", "procedure.aanvraag", "procedure.beschikking")
INTEGERS = ("huishouden.personen",)
NUMBERS = ("eigen_bijdrage.bedrag",)
CHECKS = ("onderzoek.persoonlijk_plan_gewezen", "onderzoek.clientondersteuning_gewezen",
          "onderzoek.pgb_uitgelegd", "onderzoek.betaalde_algemene_voorziening",
          "onderzoek.draagkracht_onderzocht", "huishouden.partner.gezond")
VZ_TEXT = ("productcategorie", "eenheid", "frequentie", "leveringsvorm", "aanbieder.soort",
           "hbh.extra_inzet")
VZ_NUMBERS = ("volume", "tarief", "zin_tarief")
VZ_INTEGERS = ("hbh.extra_kamers_in_gebruik",)
VZ_DATES = ("begindatum", "einddatum")
VZ_CHECKS = ("pgb.vaardig", "pgb.budgetplan", "pgb.kwaliteit_geborgd")

# Help text beside the onderzoek findings: Wmo 2015 art. 2.3.2 lid 4, in plain words.
ONDERZOEK = {
    "behoeften": ("a", "Wat heeft de cliënt nodig? Behoeften, persoonskenmerken en voorkeuren."),
    "eigen_kracht": ("b", "Wat kan de cliënt zelf, en welke hulp is gebruikelijk (bijv. van de partner)?"),
    "mantelzorg": ("c", "Wat kunnen mantelzorgers en het netwerk doen?"),
    "mantelzorgondersteuning": ("d", "Wat heeft de mantelzorger nodig om het vol te houden?"),
    "algemene_voorziening": ("e", "Is er een algemene voorziening die helpt (bijv. een "
                             "wasserette of boodschappendienst)?"),
    "samenwerking": ("f", "Met wie werkt de gemeente samen: zorgverzekeraar, wonen, werk?"),
    "bijdrage": ("g", "Welke eigen bijdrage gaat de cliënt betalen?"),
}


def choices(wet: str = "wmo2015") -> dict[str, list[tuple[str, str]]]:
    """Products, eenheden and frequenties by name, with their code (iWmo/iJw 3.2)."""
    products = JZ020 if wet == "jeugdwet" else WMO020
    return {"productcategorie": sorted(((c, n) for c, n in products.items()), key=lambda x: x[1]),
            "eenheid": list(WJ756.items()), "frequentie": list(WMO757.items())}


@dataclass
class Parsed:
    data: dict[str, Any] = field(default_factory=dict)
    fouten: dict[str, str] = field(default_factory=dict)


def number(text: str) -> float:
    """'3,5' -> 3.5; '1.234,50' -> 1234.5; '3.5' -> 3.5. ValueError otherwise."""
    text = text.strip().replace(" ", "").replace("\u00a0", "").removeprefix("€")
    if THOUSANDS.match(text):
        text = text.replace(".", "")
    if not NUMBER.match(text):
        raise ValueError(text)
    return float(text.replace(",", "."))


def date(text: str) -> str:
    """'2026-02-12' stays; '12-2-2026' becomes 2026-02-12; an impossible date is a ValueError."""
    text = text.strip()
    m = re.fullmatch(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})", text)
    if m:
        text = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise ValueError("vorm")
    return dt.date.fromisoformat(text).isoformat()


def _put(target: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _read(form: dict, name: str, kind: str, out: Parsed, target: dict, path: str) -> None:
    raw = str(form.get(name) or "").strip()
    if kind == "check":
        if raw:
            _put(target, path, True)
        return
    if not raw:
        return
    try:
        if kind == "date":
            _put(target, path, date(raw))
        elif kind == "number":
            _put(target, path, number(raw))
        elif kind == "int":
            value = number(raw)
            if value != int(value):
                raise ValueError(raw)
            _put(target, path, int(value))
        else:
            _put(target, path, raw[:4000])
    except ValueError as exc:
        out.fouten[name] = _message(kind, raw, str(exc))


def _message(kind: str, raw: str, why: str) -> str:
    if kind == "date":
        if why == "vorm":
            return "Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2026-02-12."
        return "Deze datum bestaat niet. Kijk de dag en de maand na."
    if kind == "int":
        return "Vul een heel getal in, bijvoorbeeld 2."
    return "Vul een getal in, bijvoorbeeld 3,5."


def parse(form: dict) -> Parsed:
    """Form fields to voorstel data (without voorzieningen that were left empty)."""
    out = Parsed()
    data = out.data
    for kind, names in (("text", TEXT), ("date", DATES), ("int", INTEGERS), ("number", NUMBERS),
                        ("check", CHECKS)):
        for name in names:
            _read(form, name, kind, out, data, name)
    if "huishouden" in data and "partner" in data["huishouden"]:
        data["huishouden"].setdefault("personen", 2)
    data["voorzieningen"] = []
    for i in range(1, MAX_VOORZIENINGEN + 1):
        vz: dict[str, Any] = {}
        for kind, names in (("text", VZ_TEXT), ("number", VZ_NUMBERS), ("int", VZ_INTEGERS),
                            ("date", VZ_DATES), ("check", VZ_CHECKS)):
            for name in names:
                _read(form, f"voorzieningen.{i}.{name}", kind, out, vz, name)
        if vz.get("productcategorie"):
            data["voorzieningen"].append(vz)
    return out


def flat(data: Any, prefix: str = "") -> dict[str, str]:
    """Voorstel data back to form values (dotted names, lists from 1, comma decimals)."""
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(flat(value, f"{prefix}{key}."))
    elif isinstance(data, list):
        for i, value in enumerate(data, start=1):
            out.update(flat(value, f"{prefix}{i}."))
    elif isinstance(data, bool):
        out[prefix[:-1]] = "ja" if data else ""
    elif isinstance(data, float):
        out[prefix[:-1]] = (f"{data:.6f}".rstrip("0").rstrip(".")).replace(".", ",")
    elif data is not None:
        out[prefix[:-1]] = str(data)
    return out
