"""Finding a besluit by the start of its id (`B-3f2a` for `B-3f2a9c0d1e2b`). Part of `Store`."""

from __future__ import annotations

import re

from ...errors import InputError, NotFoundError

PREFIX = re.compile(r"B-[0-9a-f]{4,12}")


class Lookup:
    """Mixin for `Store`: ``resolve_besluit``."""

    def resolve_besluit(self, prefix: str) -> str:
        """The full id of the one besluit whose id starts with `prefix` (at least 4 hex digits)."""
        if not PREFIX.fullmatch(prefix or ""):
            raise NotFoundError(f"'{(prefix or '')[:40]}' is geen besluit-id", self.location, None,
                                "een besluit-id ziet eruit als B-3f2a9c0d1e2b; het begin ervan "
                                "(minstens B- en 4 tekens) is genoeg")
        if len(prefix) == 14:
            return prefix
        with self._read() as cur:
            cur.execute(self.sql("SELECT DISTINCT besluit FROM events WHERE soort = ? AND besluit "
                                 "LIKE ? ORDER BY besluit LIMIT 4"),
                        ("besluit vastgelegd", prefix + "%"))
            found = [r[0] for r in cur.fetchall()]
        if not found:
            raise NotFoundError(f"geen besluit waarvan het id begint met '{prefix}'", self.location,
                                None, "zie `maatwerk list` voor de vastgelegde besluiten")
        if len(found) > 1:
            raise InputError(f"'{prefix}' past bij meer besluiten ({', '.join(found[:3])}…)",
                             self.location, None, "geef meer tekens van het id")
        return found[0]
