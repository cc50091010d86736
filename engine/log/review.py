"""Review of a motivering before its akkoord: return it, ask a colleague to read it, remark. Pure.

- ``teruggestuurd``: whoever may give the akkoord returns the latest motivering with a
  reason; the afwijking then needs a new motivering (and a new akkoord).
- ``meelezen gevraagd``: the author of a motivering (or another consulent) asks a named
  colleague to read it (collegial review, before the akkoord).
- ``opmerking``: that colleague's remark on the motivering. A remark never replaces
  the akkoord and never changes the status.

Each function returns the payload the log accepts, or raises RefusedError in Dutch.
The work queue (`wachtend`) lists what waits for one user's akkoord, oldest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from ..errors import RefusedError
from .besluit import (
    Besluit,
    Stand,
    dezelfde,
    label,
    mag_akkoord,
    resolve_key,
    tekst_probleem,
)
from .events import MeelezenGevraagd, Opmerking, Teruggestuurd


def _stand(besluit: Besluit, kader: str, voorziening: int | None) -> Stand:
    stand = besluit.stand(resolve_key(besluit.inhoud.afwijkingen, kader, voorziening, besluit.id))
    if stand.laatste is None:
        raise RefusedError(f"afwijking {label(*stand.key)} heeft nog geen motivering", None, None,
                           f"laat eerst motiveren met `maatwerk justify {besluit.id} "
                           f"{stand.key[0]} --tekst …`")
    return stand


def _tekst(tekst: str, what: str) -> str:
    problem = tekst_probleem(tekst)
    if problem:
        raise RefusedError(f"{what} geweigerd: {problem}", None, None,
                           "schrijf in eigen woorden wat er moet veranderen of opvalt")
    return " ".join(tekst.split()) if "\n" not in tekst else tekst.strip()


def terugsturen(besluit: Besluit, kader: str, voorziening: int | None, door: str, rol: str,
                reden: str) -> Teruggestuurd:
    """Return the latest motivering with a reason (by the role that gives its akkoord)."""
    stand = _stand(besluit, kader, voorziening)
    what = label(*stand.key)
    if stand.vereist is None:
        raise RefusedError(f"afwijking {what} vraagt geen akkoord; terugsturen kan alleen bij een "
                           "afwijking die op akkoord wacht", None, None,
                           "vraag een collega mee te lezen met `maatwerk meelezen`")
    if not mag_akkoord(stand.vereist, rol):
        raise RefusedError(f"terugsturen bij {what} vraagt de rol {stand.vereist}, niet {rol}",
                           None, None, f"laat een {stand.vereist} het besluit terugsturen")
    if dezelfde(door, stand.laatste.door):
        raise RefusedError(f"{door} schreef de motivering bij {what} zelf", None, None,
                           f"schrijf een nieuwe motivering met `maatwerk justify {besluit.id}`")
    if stand.geldig() is not None or stand.terug() is not None:
        state = "heeft al een akkoord" if stand.geldig() is not None else "is al teruggestuurd"
        raise RefusedError(f"de motivering bij {what} {state}", None, None,
                           f"zie `maatwerk show {besluit.id}`")
    return Teruggestuurd(kader=stand.key[0], voorziening=stand.key[1],
                         motivering=stand.laatste.hash, reden=_tekst(reden, "reden"))


def meelezen(besluit: Besluit, kader: str, voorziening: int | None, door: str,
             collega: str) -> MeelezenGevraagd:
    """Ask ``collega`` to read the latest motivering (the store checks they are a user)."""
    stand = _stand(besluit, kader, voorziening)
    if dezelfde(door, collega):
        raise RefusedError("vraag een collega om mee te lezen, niet jezelf", None, None,
                           "noem een andere gebruiker met --collega")
    if any(dezelfde(e.payload["collega"], collega) and e.payload["motivering"] == stand.laatste.hash
           for e in stand.meelezen):
        raise RefusedError(f"{collega} is al gevraagd mee te lezen bij {label(*stand.key)}",
                           None, None, f"zie `maatwerk show {besluit.id}`")
    return MeelezenGevraagd(kader=stand.key[0], voorziening=stand.key[1],
                            motivering=stand.laatste.hash, collega=collega)


def opmerking(besluit: Besluit, kader: str, voorziening: int | None, door: str,
              tekst: str) -> Opmerking:
    """A remark on the latest motivering, by a colleague who was asked to read it."""
    stand = _stand(besluit, kader, voorziening)
    asked = [e for e in stand.meelezen if dezelfde(e.payload["collega"], door)]
    if not asked:
        raise RefusedError(f"{door} is niet gevraagd mee te lezen bij {label(*stand.key)}",
                           None, None, "een opmerking volgt op `maatwerk meelezen … --collega "
                           f"{door}`")
    motivering = asked[-1].payload["motivering"]
    return Opmerking(kader=stand.key[0], voorziening=stand.key[1], motivering=motivering,
                     tekst=_tekst(tekst, "opmerking"))


@dataclass(frozen=True)
class Wachtend:
    """One afwijking waiting for a user's akkoord."""

    besluit: str
    kader: str
    voorziening: int | None
    melding: str
    vereist: str
    motivering: str
    motivering_door: str
    sinds: str            # registration time of the motivering
    dagen: int            # whole days waiting, from registration times
    seq: int

    def public(self) -> dict:
        return {k: getattr(self, k) for k in ("besluit", "kader", "voorziening", "melding",
                                               "vereist", "motivering", "motivering_door",
                                               "sinds", "dagen")}


def wachtend(besluiten: Iterable[Besluit], gebruiker: str, rollen: set[str],
             nu: str) -> list[Wachtend]:
    """What waits for the akkoord of ``gebruiker`` (by their roles), oldest first."""
    out = []
    for b in besluiten:
        for s in b.standen:
            last = s.laatste
            if (s.vereist is None or last is None or s.geldig() is not None
                    or s.terug() is not None or dezelfde(last.door, gebruiker)
                    or not any(mag_akkoord(s.vereist, r) for r in rollen)):
                continue
            out.append(Wachtend(b.id, s.key[0], s.key[1], s.afwijking.get("melding", ""),
                                s.vereist, last.payload["tekst"], last.door, last.tijdstip,
                                _days(last.tijdstip, nu), last.seq))
    return sorted(out, key=lambda w: (w.sinds, w.seq))


def _days(since: str, nu: str) -> int:
    def parse(t):
        return dt.datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ")
    return max(0, (parse(nu) - parse(since)).days)
