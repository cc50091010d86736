"""Who is asking: a person with their roles, from the decision log.

Roles are never taken from a request; they are what the log says this person
holds. A token of a service account acts for a named person: both are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Person:
    """An authenticated caller."""

    naam: str
    rollen: frozenset[str] = field(default_factory=frozenset)
    dienst: str | None = None
    """The service account (case system) acting for `naam`, when a token of one was used."""
    via: str = "sessie"
    """How they proved it: `sessie` (password login) or `token`."""

    def heeft(self, *rollen: str) -> bool:
        return any(r in self.rollen for r in rollen)


def lookup(store, naam: str) -> Person | None:
    """The person of this name as the log knows them, or None.

    Roles are the ones the log's user events grant this person now (`Store.user`); a person
    with a password but no user in the log holds no role.
    """
    if store.password_hash(naam) is None:
        return None
    user = store.user(naam)
    return Person(user.gebruiker if user else naam, frozenset(user.rollen) if user else frozenset())
