"""A recorded besluit as a page shows it: the voorstel in words, the pinned ruleset, each
afwijking with its motiveringen, remarks, returns and akkoorden, what it still needs, the
history in local time (Europe/Amsterdam), and which actions this person may take."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from maatwerk.engine.log import besluit as rules
from maatwerk.engine.log.query import Filter
from maatwerk.engine.model import dutch
from maatwerk.engine.model.codes import WJ756, WMO757, categorie

from .views import gronden, shown, vereist

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
AKKOORD_ROLLEN = ("teamleider", "gemandateerde", "jurist")


def lokaal(tijdstip: str) -> str:
    """'2026-03-02T09:00:00Z' -> '2 maart 2026 10:00' (Europe/Amsterdam)."""
    moment = dt.datetime.strptime(tijdstip, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    local = moment.astimezone(AMSTERDAM)
    return f"{dutch.date(local.date())} {local:%H:%M}"


def _event(e) -> dict:
    return {"seq": e.seq, "tijd": lokaal(e.tijdstip), "soort": e.soort, "door": e.door,
            "rol": e.rol, "tekst": e.payload.get("tekst") or e.payload.get("reden") or "",
            "grond": rules.grond_label(e.payload.get("grond")), "collega": e.payload.get("collega"),
            "afwijking": rules.label(e.payload["kader"], e.payload.get("voorziening"))
            if "kader" in e.payload else ""}


def _stand(s, b, person) -> dict:
    a = s.afwijking
    laatste = s.laatste
    asked = [e for e in s.meelezen if laatste is not None and
             e.payload["motivering"] == laatste.hash]
    return {"sleutel": f"{s.key[0]}@{s.key[1] or 0}", "kader": s.key[0], "voorziening": s.key[1],
            "melding": a.get("melding", ""), "waargenomen": shown(a.get("waargenomen")),
            "grens": shown(a.get("grens")), "vereist": vereist(s.vereist, (a.get("vereist") or {}).get("bevoegdheid")),
            "rol": s.vereist, "bevoegdheid": (a.get("vereist") or {}).get("bevoegdheid") or [],
            "bron": (a.get("grondslag") or {}).get("document", ""),
            "url": (a.get("grondslag") or {}).get("url"), "ontbreekt": s.ontbreekt,
            "motiveringen": [_event(e) for e in s.motiveringen],
            "akkoorden": [_event(e) for e in s.akkoorden],
            "teruggestuurd": [_event(e) for e in s.teruggestuurd],
            "meelezen": [_event(e) for e in s.meelezen],
            "opmerkingen": [_event(e) for e in s.opmerkingen],
            "mag": _mag(s, person, asked)}


def _mag(s, person, asked) -> dict:
    """The actions this person may offer on this afwijking (the store checks them again)."""
    laatste = s.laatste
    author = laatste is not None and rules.dezelfde(laatste.door, person.naam)
    approver = s.vereist is not None and person.heeft(s.vereist) and not author
    waiting = laatste is not None and s.geldig() is None and s.terug() is None
    return {"motiveren": person.heeft("consulent") and bool(s.ontbreekt) and
            (laatste is None or s.terug() is not None or s.vereist is None),
            "akkoord": approver and waiting, "terugsturen": approver and waiting,
            "meelezen": person.heeft("consulent") and laatste is not None,
            "opmerking": any(rules.dezelfde(e.payload["collega"], person.naam) for e in asked)}


def _voorziening(i: int, vz: dict, wet: str) -> str:
    text = f"{i}. {categorie(vz.get('productcategorie', ''), wet)} ({vz.get('productcategorie')})"
    if vz.get("volume") is not None:
        unit = WJ756.get(vz.get("eenheid") or "", "")
        often = WMO757.get(vz.get("frequentie") or "", "")
        text += " · " + " ".join(p for p in (dutch.number(vz["volume"]), unit, often) if p)
    return text + f" · {'pgb' if vz.get('leveringsvorm') == 'pgb' else 'zorg in natura'}"


def view(b, person, users: list[str]) -> dict:
    inhoud = b.inhoud
    voorstel = inhoud.voorstel
    wet = voorstel.get("wet", "wmo2015")
    return {"id": b.id, "status": b.status, "hash": b.vastgelegd.hash,
            "vastgelegd": _event(b.vastgelegd), "client": voorstel["client"]["pseudoniem"],
            "gemeente": voorstel.get("gemeente"), "wet": wet, "kenmerk": voorstel.get("id"),
            "peildatum": dutch.date(inhoud.peildatum),
            "ruleset": f"{inhoud.ruleset.id} {inhoud.ruleset.versie}",
            "sha256": inhoud.ruleset.sha256, "engine": inhoud.engine_versie,
            "voorzieningen": [_voorziening(i, vz, wet) for i, vz in
                              enumerate(voorstel.get("voorzieningen", []), start=1)],
            "standen": [_stand(s, b, person) for s in b.standen],
            "geschiedenis": [_event(e) for e in b.events], "gronden": gronden(wet),
            "collegas": [u for u in users if not rules.dezelfde(u, person.naam)],
            "rollen": sorted(person.rollen)}


def mine(store, naam: str, limit: int = 50) -> list[dict]:
    """This person's latest besluiten (newest first) with their status: one page of the
    index (`store.page`), as `maatwerk list --consulent`."""
    found, _ = store.page(Filter(consulent=naam), limit)
    return [{"id": b.id, "status": b.status, "tijd": lokaal(b.vastgelegd.tijdstip),
             "client": b.inhoud.voorstel["client"]["pseudoniem"], "afwijkingen": len(b.standen)}
            for b in found]


def wachtend(w) -> dict:
    return {"besluit": w.besluit, "afwijking": rules.label(w.kader, w.voorziening),
            "melding": w.melding, "vereist": w.vereist, "door": w.motivering_door,
            "sinds": lokaal(w.sinds), "dagen": w.dagen, "motivering": w.motivering}
