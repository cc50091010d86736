"""`maatwerk serve --demo`: a fresh log with one demo user per role."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Iterable

from maatwerk.engine.log import secret
from maatwerk.engine.log.store.open import opened

BEHEERDER = "beheer"
DEMO_USERS = (("c.jansen", ("consulent",)), ("t.devries", ("teamleider",)),
              ("b.smit", ("beleidsmedewerker",)), ("a.visser", ("auditor",)))


def add_people(db: str, people: Iterable[tuple[str, tuple[str, ...]]],
               passwords: dict[str, str] | None = None) -> None:
    """Register these users with their roles (a first beheerder when the log has none) and
    set the given passwords. For demos, tests and benchmarks: a real log gets its users
    from a beheerder with `maatwerk gebruiker`."""
    moment = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with opened(db, create=True) as store:
        beheerder = store.sessie_gebruiker or BEHEERDER
        if not store.users():
            store.init_user(beheerder)
        for naam, rollen in people:
            found = store.user(naam)
            if found is None:
                store.add_user(naam, beheerder, rollen)
            else:
                for rol in rollen:
                    if rol not in found.rollen:
                        store.grant(naam, rol, beheerder)
        for naam, wachtwoord in (passwords or {}).items():
            store.set_password(naam, secret.hash_password(wachtwoord), moment)


def seed(db: str) -> list[tuple[str, str, str]]:
    """Create the demo users in the log at `db`; (name, role, password) of each."""
    passwords = {naam: secrets.token_urlsafe(12) for naam, _ in DEMO_USERS}
    add_people(db, DEMO_USERS, passwords)
    return [(naam, rollen[0], passwords[naam]) for naam, rollen in DEMO_USERS]
