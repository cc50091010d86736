"""Who may do what: users and their roles as events in the hash chain, folded. Pure.

Three kinds of event, appended by a beheerder in the same chain as the besluiten:
``gebruiker toegevoegd`` (payload `GebruikerToegevoegd`), ``rol toegekend`` and
``rol ingetrokken`` (`RolWijziging`). Folding them in seq order (`Gebruikers.apply`)
gives the users and their roles at any point of the chain, so an auditor can prove
that whoever gave an akkoord held that role at that moment (mandaat): `audit verify`
does this for every akkoord (`mandaat_probleem`).

The first user of a log is made by ``gebruiker init``: one ``gebruiker toegevoegd``
and one ``rol toegekend`` (beheerder) by that user himself, accepted only while the
log has no users. After that only a beheerder adds users and grants or revokes roles.

Logs from before identity: events before the first ``gebruiker toegevoegd`` carry
their author as it was typed and are not checked for mandaat (`Gebruikers.actief`
is False until then). From the first user on, every event must be by a registered
user holding the role it names.

An `Actor` is who acts, as authentication established it: the person (``door``) and,
when a service account (a case system's API token, a PostgreSQL service login) acts
for that person, the service (``dienst``). Callers never take it from a request body.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

GEBRUIKER = "gebruiker toegevoegd"
TOEGEKEND = "rol toegekend"
INGETROKKEN = "rol ingetrokken"
SOORTEN = (GEBRUIKER, TOEGEKEND, INGETROKKEN)
ROLLEN = ("consulent", "teamleider", "gemandateerde", "jurist", "beheerder",
          "beleidsmedewerker", "auditor")
AKKOORD_ROLLEN = ("teamleider", "gemandateerde", "jurist")
BEHEERDER = "beheerder"
AUTEUR = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GebruikerToegevoegd(_Strict):
    """Payload of ``gebruiker toegevoegd``: a new user (the id people log in with)."""

    gebruiker: str = Field(pattern=AUTEUR)
    naam: str | None = Field(None, min_length=1, max_length=100, description="Weergavenaam")


class RolWijziging(_Strict):
    """Payload of ``rol toegekend`` and ``rol ingetrokken``."""

    gebruiker: str = Field(pattern=AUTEUR)
    rol: str = Field(pattern="^(" + "|".join(ROLLEN) + ")$")


@dataclass(frozen=True)
class Actor:
    """Who acts: the authenticated person and, if a service account acts for them, the service."""

    door: str
    dienst: str | None = None

    def __str__(self) -> str:
        return self.door if self.dienst is None else f"{self.door} (via {self.dienst})"


def as_actor(actor: "Actor | str") -> Actor:
    """An Actor; a bare name is a person acting for themselves (SQLite desk, tests)."""
    return actor if isinstance(actor, Actor) else Actor(str(actor))


def key(naam: str) -> str:
    """User ids compare without regard to case or surrounding spaces."""
    return naam.strip().casefold()


@dataclass
class Gebruiker:
    gebruiker: str
    naam: str | None
    rollen: set[str] = field(default_factory=set)
    toegevoegd_seq: int = 0
    toegevoegd_door: str = ""

    def public(self) -> dict:
        return {"gebruiker": self.gebruiker, "naam": self.naam,
                "rollen": [r for r in ROLLEN if r in self.rollen],
                "toegevoegd": {"seq": self.toegevoegd_seq, "door": self.toegevoegd_door}}


@dataclass
class Gebruikers:
    """The users and roles after the identity events seen so far (fold with `apply`)."""

    by_key: dict[str, Gebruiker] = field(default_factory=dict)

    @property
    def actief(self) -> bool:
        """True once the log has a user: from then on every author must be registered."""
        return bool(self.by_key)

    def get(self, naam: str) -> Gebruiker | None:
        return self.by_key.get(key(naam))

    def heeft(self, naam: str, rol: str) -> bool:
        found = self.get(naam)
        return found is not None and rol in found.rollen

    def lijst(self) -> list[Gebruiker]:
        return sorted(self.by_key.values(), key=lambda g: key(g.gebruiker))

    def apply(self, soort: str, door: str, payload: dict, seq: int = 0) -> str | None:
        """Fold one identity event in; returns why it was not allowed, or None.

        The event is applied either way (the chain is what it is); the reason is what
        `audit verify` reports and what the store refuses before writing.
        """
        problem = self.probleem(soort, door, payload)
        if soort == GEBRUIKER:
            self.by_key.setdefault(key(payload["gebruiker"]), Gebruiker(
                payload["gebruiker"], payload.get("naam"), set(), seq, door))
        elif soort in (TOEGEKEND, INGETROKKEN) and self.get(payload["gebruiker"]):
            rollen = self.by_key[key(payload["gebruiker"])].rollen
            (rollen.add if soort == TOEGEKEND else rollen.discard)(payload["rol"])
        return problem

    def probleem(self, soort: str, door: str, payload: dict) -> str | None:
        """Why this identity event may not be appended now, or None."""
        target = payload.get("gebruiker", "")
        eerste = not self.actief and soort == GEBRUIKER and key(door) == key(target)
        init = (len(self.by_key) == 1 and self.get(door) is not None and soort == TOEGEKEND
                and not any(g.rollen for g in self.by_key.values()) and key(door) == key(target)
                and payload.get("rol") == BEHEERDER)
        if not (eerste or init or self.heeft(door, BEHEERDER)):
            return f"{door} is geen beheerder en mag geen gebruikers of rollen beheren"
        if soort == GEBRUIKER and self.get(target) is not None:
            return f"gebruiker {target} bestaat al"
        if soort != GEBRUIKER and self.get(target) is None:
            return f"onbekende gebruiker {target}"
        if soort == TOEGEKEND and self.heeft(target, payload["rol"]):
            return f"{target} heeft de rol {payload['rol']} al"
        if soort == INGETROKKEN and not self.heeft(target, payload["rol"]):
            return f"{target} heeft de rol {payload['rol']} niet"
        return None


def mandaat_probleem(gebruikers: Gebruikers, door: str, rol: str) -> str | None:
    """Why ``door`` could not act in ``rol`` at this point of the chain, or None.

    Before the log's first user (an old log) nothing is checked.
    """
    if not gebruikers.actief:
        return None
    if gebruikers.get(door) is None:
        return f"{door} is geen geregistreerde gebruiker"
    if not gebruikers.heeft(door, rol):
        return f"{door} had op dat moment niet de rol {rol}"
    return None


def fold(events) -> Gebruikers:
    """The users after these events (objects with soort, door, payload, seq), in seq order."""
    out = Gebruikers()
    for e in events:
        if e.soort in SOORTEN:
            out.apply(e.soort, e.door, e.payload, e.seq)
    return out
