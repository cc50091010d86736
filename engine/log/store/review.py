"""Review events, the work queue and the store's own clock. Part of `Store` (a mixin).

Registration time: each event's ``tijdstip`` is the database clock at the write
(SQLite ``strftime('now')``, PostgreSQL ``clock_timestamp()``), raised to the previous
event's time if the clock went back, so times never run backwards along the chain.
A domain date the user gives (``datum``) is separate: not in the future and, for an
event on a besluit, not before that besluit.
"""

from __future__ import annotations

from ...errors import InputError, RefusedError
from .. import besluit as rules
from .. import review
from ..events import MEELEZEN, MOTIVERING, OPMERKING, TERUG
from ..identity import Actor, as_actor

NOW_SQL = {"sqlite": "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
           "postgresql": "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                         "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"}


class ReviewMixin:
    """``terugsturen``, ``meelezen``, ``opmerking``, ``wachtrij``, ``nu``."""

    # --- time ------------------------------------------------------------------------------
    def registration_time(self, cur, after: str | None) -> str:
        """The time to register an event with: now, never before the previous event."""
        if self.klok is not None:
            moment = self.klok()
        else:
            cur.execute(NOW_SQL[self.dialect])
            moment = cur.fetchone()[0]
        return max(moment, after) if after else moment

    def nu(self) -> str:
        """The database clock (UTC, whole seconds)."""
        with self._read() as cur:
            return self.registration_time(cur, None)

    def _check_datum(self, datum: str | None, moment: str, current=None) -> None:
        problem = rules.datum_probleem(datum, moment, current)
        if problem:
            raise RefusedError(problem, None, None, "geef de datum van het besluit zelf: niet in "
                               "de toekomst en niet vóór het besluit waar het om gaat")

    # --- review events ---------------------------------------------------------------------
    def terugsturen(self, besluit: str, kader: str, voorziening: int | None, reden: str,
                    actor: Actor | str, rol: str) -> rules.Besluit:
        """Return the latest motivering of an afwijking with a reason (event ``teruggestuurd``).

        By someone holding the role the kader's akkoord asks for, not the author.
        """
        def make(current, people):
            return TERUG, review.terugsturen(current, kader, voorziening, as_actor(actor).door,
                                             rol, reden)
        return self.act(besluit, actor, rol, make)

    def meelezen(self, besluit: str, kader: str, voorziening: int | None, collega: str,
                 actor: Actor | str, rol: str) -> rules.Besluit:
        """Ask a registered colleague to read the latest motivering (``meelezen gevraagd``)."""
        def make(current, people):
            if people.get(collega) is None:
                raise RefusedError(f"{collega} is geen geregistreerde gebruiker van dit log",
                                   None, None, "zie `maatwerk gebruiker list`")
            return MEELEZEN, review.meelezen(current, kader, voorziening, as_actor(actor).door,
                                             people.get(collega).gebruiker)
        return self.act(besluit, actor, rol, make)

    def opmerking(self, besluit: str, kader: str, voorziening: int | None, tekst: str,
                  actor: Actor | str, rol: str) -> rules.Besluit:
        """The asked colleague's remark (event ``opmerking``); never an akkoord."""
        def make(current, people):
            return OPMERKING, review.opmerking(current, kader, voorziening, as_actor(actor).door,
                                               tekst)
        return self.act(besluit, actor, rol, make)

    # --- the work queue --------------------------------------------------------------------
    def wachtrij(self, gebruiker: str) -> list[review.Wachtend]:
        """What waits for the akkoord of ``gebruiker`` (by their current roles), oldest first:
        afwijking, motivering and days waiting (from registration times)."""
        people = self.gebruikers()
        found = people.get(gebruiker)
        if found is None:
            raise InputError(f"{gebruiker} is geen geregistreerde gebruiker van dit log", None,
                             None, "zie `maatwerk gebruiker list`")
        with self._read() as cur:
            cur.execute(self.sql("SELECT DISTINCT besluit FROM events WHERE soort = ?"),
                        (MOTIVERING,))
            ids = sorted(r[0] for r in cur.fetchall())
        nu = self.nu()
        return review.wachtend(self.besluiten_by_id(ids), found.gebruiker, found.rollen, nu)
