"""Text and tables of the audit commands: replay, impact and report, in Dutch.

Values go through the presentation module (units, €, counts, dates); the tables are
plain rows of numbers that `tabular` writes as CSV or .xlsx.
"""

from __future__ import annotations


def impact_text(result: dict) -> list[str]:
    from maatwerk.engine.model import dutch

    from .render import table
    skipped = (f"; {dutch.count(result['overgeslagen'], 'besluit', 'besluiten')} van een andere "
               "wet of gemeente niet meegenomen") if result["overgeslagen"] else ""
    out = [f"Impact van {result['ruleset']}: "
           f"{dutch.count(result['besluiten'], 'besluit', 'besluiten')} opnieuw getoetst, waarvan "
           f"{result['geraakt']} geraakt{skipped}.", ""]
    rows = [[k, str(c["nieuw"]), str(c["vervalt"]), str(c["gewijzigd"]), str(c["gemotiveerd_vervalt"])]
            for k, c in result["per_kader"].items()]
    if rows:
        out += table(["KADER", "NIEUW", "VERVALT", "GEWIJZIGD", "GEMOTIVEERD EN VERVALT"], rows)
    else:
        out.append("Geen verschillen: deze ruleset verandert niets aan de vastgelegde besluiten.")
    for item in result["per_besluit"]:
        out += ["", f"{item['besluit']} (peildatum {dutch.date(item['peildatum'])})"]
        for w in item["wijzigingen"]:
            where = w["kader"] + (f" (voorziening {w['voorziening']})" if w["voorziening"] else "")
            extra = " — was gemotiveerd, valt nu binnen de kaders" if w["gemotiveerd"] and \
                w["soort"] == "vervalt" else ""
            out.append(f"  {w['soort']:9} {where}: {pair(w)}{extra}")
    return out


def pair(w: dict) -> str:
    from .render import shown
    was, wordt = w["was"], w["wordt"]
    if was and wordt:
        unit = wordt.get("eenheid") or was.get("eenheid")
        parts = [f"{name} {shown(was[name], unit)} → {shown(wordt[name], unit)}"
                 if was[name] != wordt[name] else f"{name} {shown(was[name], unit)}"
                 for name in ("waargenomen", "grens")]
        return ", ".join(parts)
    one = was or wordt
    unit = one.get("eenheid")
    return f"waargenomen {shown(one['waargenomen'], unit)}, grens {shown(one['grens'], unit)}"


def impact_table(result: dict) -> tuple[list[str], list[list]]:
    """One row per change, values as numbers (the CSV and xlsx writers format them)."""
    headers = ["besluit", "peildatum", "kader", "voorziening", "soort", "gemotiveerd", "eenheid",
               "was_waargenomen", "was_grens", "wordt_waargenomen", "wordt_grens"]
    rows = []
    for item in result["per_besluit"]:
        for w in item["wijzigingen"]:
            was, wordt = w["was"] or {}, w["wordt"] or {}
            rows.append([item["besluit"], item["peildatum"], w["kader"], w["voorziening"], w["soort"],
                         w["gemotiveerd"], wordt.get("eenheid") or was.get("eenheid"),
                         was.get("waargenomen"), was.get("grens"), wordt.get("waargenomen"),
                         wordt.get("grens")])
    return headers, rows


def report_text(rows: list[dict], by: str, total: dict, n: int, afwijkend: int,
                 filtered: str) -> list[str]:
    from maatwerk.engine.model import dutch

    from .render import table
    title = lambda r: [(r["titel"] or "")[:48] + ("…" if len(r["titel"] or "") > 48 else "")] \
        if by == "kader" else []
    body = [[r["groep"], *title(r), dutch.number(r["besluiten"]), dutch.number(r["afwijkend"]),
             dutch.share(r["afwijkend"], r["besluiten"]), dutch.number(r["afwijkingen"]),
             dutch.share(r["gemotiveerd"], r["afwijkingen"]),
             "—" if r["mediaan_uren_tot_akkoord"] is None else dutch.hours(r["mediaan_uren_tot_akkoord"]),
             "; ".join(f"{k} ({v}×)" for k, v in r["gronden"].items()) or "—",
             "; ".join(f"{k} ({v}×)" for k, v in r["herkomst"].items()) or "—"] for r in rows]
    out = [f"Alleen besluiten: {filtered}", ""] if filtered else []
    out += table([by.upper(), *(["TITEL"] if by == "kader" else []), "BESLUITEN", "AFWIJKEND",
                  "AANDEEL", "AFWIJKINGEN", "GEMOTIVEERD", "TOT AKKOORD", "GRONDEN",
                  "HERKOMST"], body)
    return out + ["", f"{dutch.count(n, 'besluit', 'besluiten')}, waarvan {afwijkend} met een "
                      f"afwijking; {dutch.count(total['afwijkingen'], 'afwijking', 'afwijkingen')}, "
                      f"{dutch.share(total['gemotiveerd'], total['afwijkingen'])} gemotiveerd."]


def report_table(rows: list[dict], by: str) -> tuple[list[str], list[list]]:
    """One row per group, values as numbers (the CSV and xlsx writers format them)."""
    headers = [by, *(["titel"] if by == "kader" else []), "besluiten", "afwijkend",
               "aandeel_afwijkend", "afwijkingen", "gemotiveerd", "aandeel_gemotiveerd",
               "met_akkoord_nodig", "akkoorden", "mediaan_uren_tot_akkoord", "gronden", "herkomst"]
    return headers, [[r["groep"], *([r["titel"]] if by == "kader" else []), r["besluiten"],
                      r["afwijkend"], r["aandeel_afwijkend"], r["afwijkingen"], r["gemotiveerd"],
                      r["aandeel_gemotiveerd"], r["met_akkoord_nodig"], r["akkoorden"],
                      r["mediaan_uren_tot_akkoord"],
                      "; ".join(f"{k} ({v}×)" for k, v in r["gronden"].items()),
                      "; ".join(f"{k} ({v}×)" for k, v in r["herkomst"].items())] for r in rows]


def replay_text(result: dict) -> list[str]:
    out = []
    for item in result["uitkomsten"]:
        if item["opmerking"]:
            out.append(f"{item['besluit']}: let op, {item['opmerking']}")
        for v in item["verschillen"]:
            where = v["kader"] + (f" (voorziening {v['voorziening']})" if v["voorziening"] else "")
            out.append(f"{item['besluit']}: {where}: {v['soort']}")
            for name, pair in v["velden"].items():
                out.append(f"    {name}: vastgelegd {pair['vastgelegd']!r} → nu {pair['nu']!r}")
    from maatwerk.engine.model import dutch
    out.append(f"Replay: {dutch.count(result['besluiten'], 'besluit', 'besluiten')}, "
               f"{result['gelijk']} gelijk, {result['verschillend']} verschillend.")
    return out
