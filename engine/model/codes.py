"""iWmo and iJw code lists (release 3.2) used for labels in output."""

from __future__ import annotations

import re

WMO020 = {
    "01": "Hulp bij het huishouden", "02": "Begeleiding", "03": "Persoonlijke verzorging",
    "04": "Kortdurend verblijf", "05": "Woondiensten",
    "06": "Overige ondersteuning gericht op het individu of huishouden/gezin",
    "07": "Dagbesteding", "08": "Vervoerdiensten", "09": "Overige groepsgerichte ondersteuning",
    "10": "Overige maatwerkarrangementen", "11": "Rolstoelen", "12": "Vervoervoorzieningen",
    "13": "Woonvoorzieningen", "14": "Overige hulpmiddelen", "15": "Beschermd wonen", "16": "Opvang",
    "17": "Spoedopvang", "18": "Overige beschermd wonen en opvang",
}
JZ020 = {
    "31": "Jeugdhulp zonder verblijf: wijkteam", "32": "Jeugdhulp ambulant op locatie aanbieder",
    "33": "Daghulp", "34": "Jeugdhulp in het netwerk", "35": "Pleegzorg",
    "36": "Gezinsgericht verblijf", "37": "Gesloten plaatsing", "38": "Overig residentieel",
    "40": "Persoonlijke verzorging", "41": "Dagbehandeling", "42": "Vervoerdiensten",
    "43": "Jeugdhulp verblijf (incl. behandeling)", "44": "Jeugdhulp verblijf (excl. behandeling)",
    "45": "Jeugdhulp ambulant", "46": "Jeugdhulp crisis", "47": "Jeugdreclassering",
    "48": "Jeugdbescherming", "49": "Preventief justitieel kader", "50": "Maatwerkarrangementen jeugd",
    "51": "Generalistische basis-ggz", "52": "Specialistische ggz", "53": "Kindergeneeskunde",
    "54": "Jeugd-ggz", "55": "Landelijk ingekochte zorg",
}
WJ756 = {"01": "minuut", "04": "uur", "14": "etmaal", "16": "dagdeel", "82": "stuks (output)",
         "83": "euro's", "84": "stuks (inspanning)"}
WMO757 = {"1": "per dag", "2": "per week", "4": "per maand", "6": "totaal binnen de toewijzing"}


def categorie(code: str, wet: str = "wmo2015") -> str:
    table = JZ020 if wet == "jeugdwet" else WMO020
    return table.get(code, f"onbekende categorie {code}")


GEMEENTEN = {
    "gm0014": "Groningen", "gm0034": "Almere", "gm0153": "Enschede", "gm0193": "Zwolle",
    "gm0200": "Apeldoorn", "gm0202": "Arnhem", "gm0268": "Nijmegen", "gm0307": "Amersfoort",
    "gm0344": "Utrecht", "gm0363": "Amsterdam", "gm0392": "Haarlem", "gm0503": "Delft",
    "gm0518": "'s-Gravenhage", "gm0546": "Leiden", "gm0599": "Rotterdam", "gm0758": "Breda",
    "gm0772": "Eindhoven", "gm0796": "'s-Hertogenbosch", "gm0847": "Someren",
    "gm0855": "Tilburg", "gm0935": "Maastricht",
}
"""CBS-codes of the gemeenten of the bundled rulesets and the largest cities: enough to
recognise a name typed where the code belongs ("Utrecht" -> gm0344)."""
_ALIASES = {"den haag": "gm0518", "den bosch": "gm0796"}


def gemeente_code(value: object) -> object:
    """A gemeente is its CBS code (gm + 4 digits); a name or a wrongly written code is
    refused with the code it probably means."""
    if not isinstance(value, str) or re.fullmatch(r"gm[0-9]{4}", value):
        return value
    text = value.strip()
    guess = None
    if re.fullmatch(r"(?i)(gm)?\s*[0-9]{1,4}", text):
        guess = "gm" + re.sub(r"\D", "", text).zfill(4)
    else:
        names = {n.lower(): c for c, n in GEMEENTEN.items()} | _ALIASES
        guess = names.get(text.lower())
    hint = f"bedoelt u {guess}?" if guess else "geef de CBS-code van de gemeente, zoals gm0344"
    shown = value if len(value) <= 60 else value[:57] + "..."
    raise ValueError(f"{shown!r} is geen gemeentecode (gm gevolgd door vier cijfers); {hint}")


def code_lists() -> list[tuple[str, str, dict[str, str]]]:
    """(list name, voorstel field, code -> name) for every code list a voorstel uses."""
    return [("iWmo productcategorie (WMO020)", "productcategorie, wmo2015", WMO020),
            ("iJw productcategorie (JZ020)", "productcategorie, jeugdwet", JZ020),
            ("eenheid (WJ756)", "eenheid", WJ756),
            ("frequentie (WMO757)", "frequentie", WMO757)]


def named_choices(codes: list[str]) -> str | None:
    """'01 Hulp bij het huishouden, 02 Begeleiding, …' when every code is in one code list."""
    for _, _, table in code_lists():
        if codes and all(c in table for c in codes):
            return ", ".join(f"{c} {table[c]}" for c in codes)
    return None
