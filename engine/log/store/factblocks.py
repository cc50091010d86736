"""Fact blocks beside the chain: the stored fact columns of consecutive besluiten.

Part of `Store` (a mixin). Table ``feitblokken`` (migration 6) holds, per block of
consecutive `besluit vastgelegd` events, their fact columns as arrays (``kolommen``),
what bulk runs need of each payload besides the voorstel (``rijen``, JSON), the
recorded afwijkingen whole (``afwijkingen``, compressed JSON, read by replay only), and
``ketens``: the sha256 over the hashes of the events the block was derived from.
The table is a cache, not part of the chain: `audit.stored_facts` builds it from the
payloads (which stay the source of truth), trusts a block only while ``ketens``
matches the events in the log, and `audit verify` empties it when the chain is
broken. A log without the table (an older schema, read without migrating) or a
login that may not write it simply works without stored facts.
"""

from __future__ import annotations

import hashlib
import json
from typing import Iterator

from ...errors import MaatwerkError, StorageError
from ..events import MOTIVERING, VASTGELEGD

TABLE = "feitblokken"
COLUMNS = "eerste, laatste, aantal, formaat, ketens, kolommen, rijen, afwijkingen"


def chain_digest(hashes: list[str]) -> str:
    """The fingerprint of the events a block was derived from: sha256 over their hashes."""
    return hashlib.sha256("\n".join(hashes).encode("ascii", "replace")).hexdigest()


class FactBlocksMixin:
    """Reading and writing ``feitblokken``; reading payloads with their place in the chain."""

    def has_fact_blocks(self) -> bool:
        with self._read() as cur:
            return self._has_table(cur, TABLE)

    def fact_blocks(self, formaat: str) -> Iterator[tuple]:
        """(eerste, laatste, aantal, ketens, kolommen, rijen, afwijkingen) of every block of
        this format, in chain order, one block in memory at a time."""
        after = 0
        while True:
            with self._read() as cur:
                cur.execute(self.sql(f"SELECT {COLUMNS} FROM {TABLE} WHERE eerste > ? "
                                     "ORDER BY eerste LIMIT 1"), (after,))
                row = cur.fetchone()
            if row is None:
                return
            after = int(row[0])
            if row[3] == formaat:
                yield (int(row[0]), int(row[1]), int(row[2]), row[4], bytes(row[5]), row[6],
                       bytes(row[7]))

    def chain_hashes(self, first: int, last: int) -> list[str]:
        """The hashes of the `besluit vastgelegd` events with seq in [first, last], in order."""
        with self._read() as cur:      # by the key's range only: an index on soort would scan
            cur.execute(self.sql("SELECT soort, hash FROM events WHERE seq >= ? AND seq <= ? "
                                 "ORDER BY seq"), (first, last))
            found = [h for k, h in cur.fetchall() if k == VASTGELEGD or k == VASTGELEGD.encode()]
        return found if all(type(h) is str for h in found) else [_text(h) for h in found]

    def put_fact_block(self, eerste: int, laatste: int, aantal: int, formaat: str,
                       hashes: list[str], kolommen: bytes, rijen: str, afwijkingen: bytes) -> bool:
        """Store one block; False when this login may not (the run goes on without it)."""
        try:
            with self._write() as cur:
                cur.execute(self.sql(f"DELETE FROM {TABLE} WHERE formaat <> ?"), (formaat,))
                cur.execute(self.sql(f"INSERT INTO {TABLE} ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                                     "ON CONFLICT (eerste) DO NOTHING"),
                            (eerste, laatste, aantal, formaat, chain_digest(hashes), kolommen, rijen,
                             afwijkingen))
            return True
        except MaatwerkError:
            return False

    def drop_fact_blocks(self, after: int = 0) -> bool:
        """Forget the stored blocks from seq `after` on (all by default); False if not allowed."""
        try:
            with self._write() as cur:
                if self._has_table(cur, TABLE):
                    cur.execute(self.sql(f"DELETE FROM {TABLE} WHERE laatste > ?"), (after,))
            return True
        except MaatwerkError:
            return False

    def vastgelegd_after(self, after: int, page: int = 5000) -> Iterator[tuple[int, str, str, dict]]:
        """(seq, hash, besluit, payload) of every `besluit vastgelegd` after seq `after`, the
        payload checked against its schema as `payloads` checks it."""
        while True:
            with self._read() as cur:
                cur.execute(self.sql(f"SELECT seq, hash, besluit, payload FROM events WHERE soort = ? "
                                     f"AND seq > ? ORDER BY seq LIMIT {page}"), (VASTGELEGD, after))
                rows = cur.fetchall()
            for seq, digest, besluit, text in rows:
                yield int(seq), _text(digest), besluit, self._payload(VASTGELEGD, besluit, text)
            if len(rows) < page:
                return
            after = int(rows[-1][0])

    def motivering_keys(self) -> dict[str, set]:
        """besluit -> the (kader, voorziening) of its motiveringen. Parsed without the schema
        check for speed; a payload that does not have the two fields as they must be is
        read through the checked path, which reports it as a damaged log."""
        out: dict[str, set] = {}
        with self._read() as cur:
            cur.execute(self.sql("SELECT besluit, payload FROM events WHERE soort = ? ORDER BY seq"),
                        (MOTIVERING,))
            rows = cur.fetchall()
        for besluit, text in rows:
            try:
                data = json.loads(text)
                kader, vz = data["kader"], data.get("voorziening")
                good = type(kader) is str and (vz is None or type(vz) is int)
            except (ValueError, TypeError, KeyError):
                good = False
            if not good:
                data = self._payload(MOTIVERING, besluit, text)
                kader, vz = data["kader"], data.get("voorziening")
            out.setdefault(besluit, set()).add((kader, vz))
        return out


def _text(value) -> str:
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).decode("ascii", "replace")
    if not isinstance(value, str):
        raise StorageError("hash van een gebeurtenis is geen tekst", None, None,
                           "draai `maatwerk audit verify`")
    return value
