"""Listing besluiten: newest first, in keyset pages on the index, never the whole log at once.

Part of `Store` (a mixin). The filters of `query.Filter` that the index holds (status,
consulent, team, gemeente, period, the start of the id) are SQL conditions on
``besluit_index``; what needs the folded besluit (waits for a user's akkoord) is checked
on each page after folding. A page is ``limit`` besluiten and the cursor of the next
page: an opaque text (the seq of the last besluit shown) that `page` takes back. The
log is append-only, so a cursor stays valid: paging on while others record never shows
a besluit twice or skips one that was there when the first page was read.
"""

from __future__ import annotations

import base64
import re
from typing import Iterator

from ...errors import UsageError
from .. import besluit as rules
from ..query import Filter, matches_folded
from .index import sleutel
from .rows import BATCH

CURSOR = re.compile(r"[A-Za-z0-9_-]{1,40}")


def cursor_text(seq: int) -> str:
    """The opaque cursor for 'older than the besluit at seq'."""
    return base64.urlsafe_b64encode(f"mw1:{seq}".encode()).decode().rstrip("=")


def cursor_seq(cursor: str | None) -> int | None:
    """The seq a cursor stands for; UsageError (exit 2, HTTP 400) for text no page ever gave."""
    if cursor is None:
        return None
    try:
        if not CURSOR.fullmatch(cursor):
            raise ValueError
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = text.partition(":")
        if prefix != "mw1" or not number.isdigit():
            raise ValueError
        return int(number)
    except ValueError:
        raise UsageError(f"ongeldige cursor '{cursor[:40]}'", None, None,
                         "geef de cursor die de vorige pagina noemde, of laat hem weg voor de "
                         "nieuwste besluiten") from None


def where(f: Filter) -> tuple[list[str], list]:
    """SQL conditions on besluit_index for the filters it holds, with their parameters."""
    conds, params = [], []
    for column, value in (("status", f.status), ("team", f.team), ("gemeente", f.gemeente)):
        if value is not None:
            conds.append(f"{column} = ?")
            params.append(value)
    if f.consulent is not None:
        conds.append("door_sleutel = ?")
        params.append(sleutel(f.consulent))
    if f.vanaf is not None:
        conds.append("tijdstip >= ?")
        params.append(f.vanaf)
    if f.tot is not None:
        conds.append("substr(tijdstip, 1, 10) <= ?")
        params.append(f.tot)
    if f.begin is not None:                 # not LIKE: '_' and '%' mean nothing here
        conds.append(f"substr(besluit, 1, {len(f.begin)}) = ?")
        params.append(f.begin)
    return conds, params


class ListingMixin:
    """``stream`` and ``page``: the besluiten a `Filter` selects, newest first."""

    def stream(self, f: Filter, before: int | None = None, chunk: int = BATCH
               ) -> Iterator[rules.Besluit]:
        """Every besluit the filter selects, newest first, older than seq ``before``; read in
        keyset pages of ``chunk`` rows of the index, folded a page at a time (memory stays
        flat)."""
        conds, params = where(f)
        while True:
            keyset = conds + (["seq < ?"] if before is not None else [])
            args = params + ([before] if before is not None else [])
            text = " WHERE " + " AND ".join(keyset) if keyset else ""
            with self._read() as cur:
                cur.execute(self.sql(f"SELECT seq, besluit FROM besluit_index{text} "
                                     f"ORDER BY seq DESC LIMIT {chunk}"), tuple(args))
                rows = cur.fetchall()
            for b in self.besluiten_by_id([ident for _, ident in rows]):
                if matches_folded(b, f):
                    yield b
            if len(rows) < chunk:
                return
            before = rows[-1][0]

    def page(self, f: Filter, limit: int, cursor: str | None = None
             ) -> tuple[list[rules.Besluit], str | None]:
        """At most ``limit`` besluiten after ``cursor`` (newest first) and the cursor of the
        next page (None when this is the last)."""
        found: list[rules.Besluit] = []
        chunk = BATCH if f.wacht_op is not None else max(1, min(BATCH, limit + 1))
        for b in self.stream(f, cursor_seq(cursor), chunk):
            if len(found) == limit:
                return found, cursor_text(found[-1].vastgelegd.seq)
            found.append(b)
        return found, None
