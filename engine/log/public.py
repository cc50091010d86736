"""Besluiten as data: the JSON of `record`, `justify`, `approve`, `show` and `list --json`,
and of the API (`/api/v1/besluiten…`). One definition for both doors. Pure."""

from __future__ import annotations

from .besluit import Besluit, Stand, grond_label
from .events import Event


def voorstel_summary(voorstel: dict) -> dict:
    return {
        "id": voorstel.get("id"),
        "client": (voorstel.get("client") or {}).get("pseudoniem"),
        "gemeente": voorstel.get("gemeente"),
        "wet": voorstel.get("wet"),
        "voorzieningen": [{k: vz.get(k) for k in ("productcategorie", "productcode", "volume",
                                                   "eenheid", "frequentie", "leveringsvorm")}
                          for vz in voorstel.get("voorzieningen", [])],
    }


def event_public(e: Event) -> dict:
    out = {"seq": e.seq, "soort": e.soort, "tijdstip": e.tijdstip, "door": e.door, "rol": e.rol,
           "hash": e.hash}
    out.update({k: getattr(e, k) for k in ("dienst", "datum", "herkomst") if getattr(e, k)})
    return out


def review_public(e: Event) -> dict:
    """A return, a request to read along, or a remark, with what it says."""
    p = e.payload
    return {**event_public(e), "motivering": p["motivering"],
            **{k: p[k] for k in ("reden", "collega", "tekst") if k in p}}


def motivering_public(e: Event) -> dict:
    p = e.payload
    return {**event_public(e), "tekst": p["tekst"], "grond": p.get("grond"),
            "grond_label": grond_label(p.get("grond")), "bron": p.get("bron")}


def stand_public(s: Stand) -> dict:
    valid = s.geldig()
    return {**s.afwijking,
            "motivering": motivering_public(s.laatste) if s.laatste else None,
            "akkoord": event_public(valid) if valid else None,
            "motiveringen": [motivering_public(e) for e in s.motiveringen],
            "akkoorden": [{**event_public(e), "motivering": e.payload["motivering"]}
                          for e in s.akkoorden],
            "teruggestuurd": [review_public(e) for e in s.teruggestuurd],
            "meelezen": [review_public(e) for e in s.meelezen],
            "opmerkingen": [review_public(e) for e in s.opmerkingen],
            "ontbreekt": s.ontbreekt,
            "status": "open" if s.ontbreekt else "gemotiveerd"}


def besluit_public(b: Besluit) -> dict:
    inhoud = b.inhoud
    return {
        "besluit": b.id,
        "status": b.status,
        "vastgelegd": event_public(b.vastgelegd),
        "voorstel": voorstel_summary(inhoud.voorstel),
        "ruleset": inhoud.ruleset.model_dump(),
        "peildatum": inhoud.peildatum,
        "engine_versie": inhoud.engine_versie,
        "backend": inhoud.backend,
        "vervangt": inhoud.vervangt,
        "afwijkingen": [stand_public(s) for s in b.standen],
        "geschiedenis": [history_public(e) for e in b.events],
    }


def history_public(e: Event) -> dict:
    out = event_public(e)
    if "kader" in e.payload:
        out.update(kader=e.payload["kader"], voorziening=e.payload.get("voorziening"))
    return out


def besluit_row(b: Besluit) -> dict:
    v = b.inhoud.voorstel
    return {"besluit": b.id, "tijdstip": b.vastgelegd.tijdstip, "door": b.vastgelegd.door,
            "rol": b.vastgelegd.rol, "voorstel": v.get("id"),
            "client": (v.get("client") or {}).get("pseudoniem"), "gemeente": v.get("gemeente"),
            "wet": v.get("wet"), "ruleset": b.inhoud.ruleset.model_dump(),
            "afwijkingen": len(b.standen), "open": sum(1 for s in b.standen if s.ontbreekt),
            "status": b.status, "vervangt": b.inhoud.vervangt}


def open_items(b: Besluit) -> list[dict]:
    return [{"kader": s.key[0], "voorziening": s.key[1], "ontbreekt": s.ontbreekt}
            for s in b.standen if s.ontbreekt]


def recorded_public(b: Besluit, about: bool = False) -> dict:
    """What a write reports (`record --json` and the API's 201): the besluit, its status, what
    is still open, the pinned ruleset and the last event; `about`: the afwijking it was about."""
    last = b.events[-1]
    extra = {"kader": last.payload["kader"], "voorziening": last.payload.get("voorziening")} \
        if about and "kader" in last.payload else {}
    return {"besluit": b.id, **extra, "status": b.status, "afwijkingen": len(b.standen),
            "open": open_items(b), "ruleset": b.inhoud.ruleset.model_dump(), "seq": last.seq,
            "hash": last.hash}
