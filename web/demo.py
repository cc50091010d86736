"""`maatwerk serve --demo`: a fresh log with demo users, registered with their roles."""

from __future__ import annotations

import datetime as dt
import secrets

from maatwerk.engine.log import secret
from maatwerk.engine.log.store.open import opened

DEMO_USERS = (("c.jansen", "consulent"), ("p.bakker", "consulent"), ("t.devries", "teamleider"),
              ("b.smit", "beleidsmedewerker"), ("a.visser", "auditor"))
BEHEERDER = "demo.beheer"


def seed(db: str) -> list[tuple[str, str, str]]:
    """Create the demo users (users with their role in the log, and a password) in the log at
    `db`; (name, role, password) of each."""
    moment = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = []
    with opened(db, create=True) as store:
        if not store.users():
            store.init_user(BEHEERDER)
        for naam, rol in DEMO_USERS:
            if store.user(naam) is None:
                store.add_user(naam, BEHEERDER, (rol,))
            wachtwoord = secrets.token_urlsafe(12)
            store.set_password(naam, secret.hash_password(wachtwoord), moment)
            out.append((naam, rol, wachtwoord))
    return out
