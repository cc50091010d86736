"""Text and JSON views of besluiten for `record`, `justify`, `approve`, `show`, `list`."""

from __future__ import annotations

from types import SimpleNamespace

from maatwerk.engine.log.besluit import Besluit, Stand, grond_label, label
from maatwerk.engine.log.events import Event
from maatwerk.engine.log.public import (  # noqa: F401  (the JSON views, shared with the API)
    besluit_public,
    besluit_row,
    open_items,
    voorstel_summary,
)
from maatwerk.engine.model import dutch
from maatwerk.engine.model.gronden import bevoegdheden

from .render import shown, table, voorziening_title


# --- text -----------------------------------------------------------------------------------
def missing_line(b: Besluit) -> str:
    n = len(b.standen)
    if not n:
        return "geen afwijkingen: het voorstel valt binnen alle kaders"
    items = [f"{' en '.join(s.ontbreekt)} bij {label(*s.key)}" for s in b.standen if s.ontbreekt]
    head = dutch.count(n, "afwijking", "afwijkingen")
    return f"{head}; ontbreekt: " + "; ".join(items) if items else f"{head}, alle gemotiveerd"


def pin_line(b: Besluit, full_hash: bool = False) -> str:
    r = b.inhoud.ruleset
    sha = r.sha256 if full_hash else r.sha256[:12]
    return f"Ruleset {r.id} {r.versie} · sha256 {sha} · peildatum {dutch.date(b.inhoud.peildatum)}"


def voorstel_line(voorstel: dict) -> str:
    s = voorstel_summary(voorstel)
    n = len(s["voorzieningen"])
    return (f"Voorstel {s['id'] or '(zonder kenmerk)'} · cliënt {s['client']} · {s['gemeente']} · "
            f"{s['wet']} · {dutch.count(n, 'voorziening', 'voorzieningen')}")


def who(e: Event) -> str:
    via = f", via {e.dienst}" if e.dienst else ""
    datum = f", datum {dutch.date(e.datum)}" if e.datum else ""
    imported = ", geïmporteerd" if e.herkomst else ""
    return f"{e.door} ({e.rol}{via}, {dutch.moment(e.tijdstip)}{datum}{imported})"


def written(b: Besluit, what: str, location: str) -> list[str]:
    """The short report after record, justify or approve."""
    out = [f"{what} · besluit {b.id} · {location}", f"  {voorstel_line(b.inhoud.voorstel)}",
           f"  {pin_line(b)}", f"  Status: {b.status} — {missing_line(b)}"]
    if b.status == "open":
        out.append(f"  Zie `maatwerk show {b.id}` voor wat er per afwijking ontbreekt.")
    return out


def show_text(b: Besluit) -> list[str]:
    inhoud = b.inhoud
    out = [f"Besluit {b.id} · status {b.status}",
           f"Vastgelegd door {who(b.vastgelegd)}",
           voorstel_line(inhoud.voorstel)]
    if inhoud.vervangt:
        out.insert(2, f"Herziening: vervangt besluit {inhoud.vervangt}")
    wet = inhoud.voorstel.get("wet", "wmo2015")
    for i, vz in enumerate(inhoud.voorstel.get("voorzieningen", []), start=1):
        out.append("  " + voorziening_title(i, _vz(vz), wet))
    out += [pin_line(b, full_hash=True) + f" · engine {inhoud.engine_versie} ({inhoud.backend})", ""]
    out.append(f"Afwijkingen ({len(b.standen)})" if b.standen else "Geen afwijkingen: binnen kaders.")
    for s in b.standen:
        out += _stand_text(s)
    out += ["", "Geschiedenis"]
    rows = [[f"#{e.seq}", dutch.moment(e.tijdstip), e.soort, f"{e.door} ({e.rol})",
             label(e.payload["kader"], e.payload.get("voorziening")) if "kader" in e.payload else ""]
            for e in b.events]
    out += table(["SEQ", "TIJDSTIP", "GEBEURTENIS", "DOOR", "AFWIJKING"], rows, indent="  ")[1:]
    return out


def _vz(vz: dict) -> SimpleNamespace:
    keys = ("productcategorie", "volume", "eenheid", "frequentie", "leveringsvorm")
    return SimpleNamespace(**{k: vz.get(k) for k in keys})


def _stand_text(s: Stand) -> list[str]:
    a = s.afwijking
    vereist = "correctie van het voorstel" if s.correctie else \
        f"motivering en akkoord van {s.vereist}" if s.vereist else "motivering"
    state = "open" if s.ontbreekt else "gemotiveerd"
    unit = a.get("eenheid")
    out = [f"  {label(*s.key)} · waargenomen {shown(a.get('waargenomen'), unit)} · grens "
           f"{shown(a.get('grens'), unit)} · vereist: {vereist} · {state}",
           f"    {a.get('melding', '')}"]
    if a.get("herkomst"):
        out.append(f"    Herkomst: {a['herkomst']}")
    if (a.get("vereist") or {}).get("bevoegdheid"):
        out.append(f"    Afwijken mag op grond van: {bevoegdheden(a['vereist']['bevoegdheid'])}")
    for e in s.motiveringen:
        grond = e.payload.get("grond")
        extra = f" · grond {grond_label(grond)}" if grond else ""
        replaced = "" if e is s.laatste else " [vervangen]"
        out.append(f"    Motivering{replaced} door {who(e)}{extra}")
        out += [f"      {line}" for line in e.payload["tekst"].splitlines()]
    valid = s.geldig()
    for e in s.akkoorden:
        note = "" if e is valid else " [op een eerdere motivering]"
        out.append(f"    Akkoord{note} door {who(e)}")
    out += _review_text(s)
    if s.ontbreekt:
        out.append(f"    Ontbreekt: {', '.join(s.ontbreekt)}")
    return out


def _review_text(s: Stand) -> list[str]:
    out = []
    for e in sorted(s.teruggestuurd + s.meelezen + s.opmerkingen, key=lambda e: e.seq):
        p = e.payload
        if "reden" in p:
            out += [f"    Teruggestuurd door {who(e)}", f"      Reden: {p['reden']}"]
        elif "collega" in p:
            out.append(f"    Meelezen gevraagd aan {p['collega']} door {who(e)}")
        else:
            out += [f"    Opmerking (geen akkoord) door {who(e)}"]
            out += [f"      {line}" for line in p["tekst"].splitlines()]
    return out


def list_table(rows: list[dict]) -> list[str]:
    body = [[r["besluit"], dutch.moment(r["tijdstip"]), r["door"], r["voorstel"] or "-",
             r["client"] or "-", r["gemeente"] or "-", str(r["afwijkingen"]),
             r["status"] + (f" (herziet {r['vervangt']})" if r.get("vervangt") else "")]
            for r in rows]
    return table(["BESLUIT", "VASTGELEGD", "DOOR", "VOORSTEL", "CLIËNT", "GEMEENTE", "AFWIJKINGEN",
                  "STATUS"], body)


def status_counts(counts: dict[str, int]) -> list[str]:
    """The closing line of a list: how many besluiten, per status."""
    n = sum(counts.values())
    if not n:
        return ["Geen besluiten gevonden."]
    return [f"{dutch.count(n, 'besluit', 'besluiten')}: " +
            ", ".join(f"{c} {s}" for s, c in sorted(counts.items()))]
