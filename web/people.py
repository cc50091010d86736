"""Who is asking: a person with their roles, from the decision log.

Roles are never taken from a request: they are what the log's users-and-roles events
say this person holds now (`Store.user`). A token of a service account acts for a
named person: both are kept.
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
    """The registered user of this name with their roles now, or None."""
    found = store.user(naam)
    if found is None:
        return None
    return Person(found.gebruiker, frozenset(found.rollen))
