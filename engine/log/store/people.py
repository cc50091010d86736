"""Users and roles in the store: written as events in the chain, read by folding them.

Part of `Store` (a mixin: it uses the store's transactions and `_append`). The rules
of who may manage whom are pure, in `identity.Gebruikers.probleem`; here they are
applied inside the write transaction, so two beheerders acting at once queue.
"""

from __future__ import annotations

from typing import Sequence

from ...errors import InputError, RefusedError
from .. import identity
from ..events import new_event
from ..identity import (
    BEHEERDER,
    Actor,
    Gebruiker,
    Gebruikers,
    GebruikerToegevoegd,
    RolWijziging,
)


class PeopleMixin:
    """``init_user``, ``add_user``, ``grant``, ``revoke``, ``users``, ``user``, ``authorize``."""

    # --- reading ---------------------------------------------------------------------------
    def gebruikers(self) -> Gebruikers:
        """The users and their roles now (the fold of every identity event)."""
        with self._read() as cur:
            return self.people(cur)

    def users(self) -> list[Gebruiker]:
        """Every registered user with their current roles, by id."""
        return self.gebruikers().lijst()

    def user(self, naam: str) -> Gebruiker | None:
        """One user by id (case-insensitive), or None."""
        return self.gebruikers().get(naam)

    def people(self, cur) -> Gebruikers:
        kinds = identity.SOORTEN
        cur.execute(self.sql(f"SELECT seq, soort, door, payload, herkomst FROM events WHERE soort "
                             f"IN ({', '.join('?' * len(kinds))}) ORDER BY seq"), kinds)
        out = Gebruikers()
        import json
        for seq, soort, door, payload, herkomst in cur.fetchall():
            out.apply(soort, door, json.loads(payload), int(seq))
        return out

    # --- who may act -----------------------------------------------------------------------
    def authorize(self, cur, actor: Actor, rol: str) -> Gebruikers:
        """The users now, if ``actor`` is registered and holds ``rol``; else RefusedError."""
        people = self.people(cur)
        if not people.actief:
            raise RefusedError("dit besluitenlog heeft nog geen gebruikers", None, None,
                               "maak eerst de eerste beheerder met `maatwerk gebruiker init NAAM`")
        found = people.get(actor.door)
        if found is None:
            raise RefusedError(f"{actor.door} is geen geregistreerde gebruiker van dit log", None,
                               None, "een beheerder voegt gebruikers toe met `maatwerk gebruiker "
                               "add NAAM --rol ROL`; zie `maatwerk gebruiker list`")
        if rol not in found.rollen:
            has = ", ".join(r for r in identity.ROLLEN if r in found.rollen) or "geen"
            raise RefusedError(f"{found.gebruiker} heeft de rol {rol} niet (wel: {has})", None,
                               None, f"kies een eigen rol, of laat een beheerder de rol toekennen "
                               f"met `maatwerk gebruiker rol {found.gebruiker} {rol}`")
        return people

    def envelope(self, actor: Actor, datum: str | None = None) -> dict:
        """The envelope fields for an event by ``actor``.

        On PostgreSQL a login acting for someone else is recorded as the service
        (``dienst``); the database refuses it unless that login is a service role.
        """
        dienst = actor.dienst
        login = self.sessie_gebruiker
        if dienst is None and login and identity.key(login) != identity.key(actor.door):
            dienst = login
        return {"dienst": dienst, "datum": datum}

    # --- writing ---------------------------------------------------------------------------
    def init_user(self, gebruiker: str, naam: str | None = None) -> Gebruiker:
        """The first user of an empty log, as beheerder, added by themselves.

        On PostgreSQL ``gebruiker`` must be the login (the database checks it).
        """
        events = [(identity.GEBRUIKER, GebruikerToegevoegd(gebruiker=_id(gebruiker), naam=naam)),
                  (identity.TOEGEKEND, RolWijziging(gebruiker=gebruiker, rol=BEHEERDER))]
        return self._manage(Actor(gebruiker), events, first=True)

    def add_user(self, gebruiker: str, actor: Actor | str, rollen: Sequence[str] = (),
                 naam: str | None = None) -> Gebruiker:
        """Add a user (and grant ``rollen``); the actor must be a beheerder."""
        events = [(identity.GEBRUIKER, GebruikerToegevoegd(gebruiker=_id(gebruiker), naam=naam))]
        events += [(identity.TOEGEKEND, RolWijziging(gebruiker=gebruiker, rol=_rol(r)))
                   for r in dict.fromkeys(rollen)]
        return self._manage(identity.as_actor(actor), events)

    def grant(self, gebruiker: str, rol: str, actor: Actor | str) -> Gebruiker:
        """Grant a role (a beheerder only)."""
        return self._manage(identity.as_actor(actor), [
            (identity.TOEGEKEND, RolWijziging(gebruiker=_id(gebruiker), rol=_rol(rol)))])

    def revoke(self, gebruiker: str, rol: str, actor: Actor | str) -> Gebruiker:
        """Revoke a role (a beheerder only); earlier acts in that role stay valid."""
        return self._manage(identity.as_actor(actor), [
            (identity.INGETROKKEN, RolWijziging(gebruiker=_id(gebruiker), rol=_rol(rol)))])

    def _manage(self, actor: Actor, events: list, first: bool = False) -> Gebruiker:
        with self._write() as cur:
            people = self.people(cur)
            if first and people.actief:
                raise RefusedError("dit log heeft al gebruikers; init kan alleen op een leeg log",
                                   self.location, None, "laat een beheerder je toevoegen met "
                                   "`maatwerk gebruiker add`")
            seq, prev, last = self._last(cur)
            moment = self.registration_time(cur, last)
            new = []
            for soort, payload in events:
                problem = people.apply(soort, actor.door, payload.model_dump(mode="json"))
                if problem:
                    raise RefusedError(problem, self.location, None, "zie `maatwerk gebruiker "
                                       "list`; alleen een beheerder beheert gebruikers en rollen")
                new.append(new_event(soort, "", moment, actor.door, BEHEERDER, payload,
                                     **self.envelope(actor)))
            self._append(cur, seq, prev, new)
            return people.get(events[0][1].gebruiker)


def _id(gebruiker: str) -> str:
    import re
    if not re.fullmatch(identity.AUTEUR, gebruiker or ""):
        raise InputError(f"ongeldige gebruikersnaam '{(gebruiker or '')[:70]}'", None, None,
                         "letters, cijfers, punt, @, _ of -, bijv. c.jansen")
    return gebruiker


def _rol(rol: str) -> str:
    if rol not in identity.ROLLEN:
        raise InputError(f"onbekende rol '{rol[:40]}'", None, None,
                         f"kies uit: {', '.join(identity.ROLLEN)}")
    return rol
