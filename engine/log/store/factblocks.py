"""Fact blocks beside the chain: the stored fact columns of consecutive besluiten.

Part of `Store` (a mixin). Table ``feitblokken`` (migration 8) holds a header per block of
consecutive `besluit vastgelegd` events: its first and last seq, the last seq of the
block before it (``vorige``), how many besluiten and parts it has, the ``formaat`` of
the code that derived it, and ``kop``: the hash of its last event. ``feitkolommen`` holds
the block's parts, one row each (`audit.fact_layout`: the fact columns, the recorded
afwijkingen as arrays, ...), so a run reads only the parts it needs.
The tables are a cache, not part of the chain: `audit.stored_facts` builds them from the
payloads (which stay the source of truth), trusts a block only while the event at its
``laatste`` still has hash ``kop`` (each hash covers the one before it, so that hash
commits to every event up to it), and `audit verify` empties them when the chain is
broken. A log without the tables (an older schema, read without migrating) or a login
that may not write them simply works without stored facts.
"""

from __future__ import annotations

import json
from typing import Iterator

from ...errors import MaatwerkError, StorageError
from ..events import MOTIVERING, VASTGELEGD

TABLE = "feitblokken"
PARTS = "feitkolommen"
HEADER = "eerste, laatste, vorige, aantal, delen, formaat, kop"


class FactBlocksMixin:
    """Reading and writing ``feitblokken``; reading payloads with their place in the chain."""

    def has_fact_blocks(self) -> bool:
        with self._read() as cur:
            return self._has_table(cur, PARTS)

    def fact_blocks(self, formaat: str) -> Iterator[tuple[int, int, int, str]]:
        """(eerste, laatste, vorige, kop) of every whole block of this format (every part
        present), in chain order."""
        after = 0
        while True:
            with self._read() as cur:
                cur.execute(self.sql(f"SELECT {HEADER} FROM {TABLE} WHERE eerste > ? "
                                     "ORDER BY eerste LIMIT 1"), (after,))
                row = cur.fetchone()
                if row is not None:
                    cur.execute(self.sql(f"SELECT COUNT(*) FROM {PARTS} WHERE eerste = ?"), (row[0],))
                    parts = int(cur.fetchone()[0])
            if row is None:
                return
            after = int(row[0])
            if row[5] == formaat and parts == int(row[4]):
                yield int(row[0]), int(row[1]), int(row[2]), _text(row[6])

    def fact_parts(self, eerste: int, names: list[str]) -> dict[str, bytes]:
        """The named parts of the block that starts at `eerste` (those it has)."""
        marks = ", ".join("?" * len(names))
        with self._read() as cur:
            cur.execute(self.sql(f"SELECT naam, data FROM {PARTS} WHERE eerste = ? AND naam IN "
                                 f"({marks})"), (eerste, *names))
            return {naam: bytes(data) for naam, data in cur.fetchall()}

    def event_hash(self, seq: int) -> str | None:
        """The hash of the event at seq, None when there is none."""
        with self._read() as cur:
            cur.execute(self.sql("SELECT hash FROM events WHERE seq = ?"), (seq,))
            row = cur.fetchone()
        return None if row is None else _text(row[0])

    def put_fact_block(self, eerste: int, laatste: int, vorige: int, aantal: int, formaat: str,
                       kop: str, parts: dict[str, bytes]) -> bool:
        """Store one block; False when this login may not (the run goes on without it)."""
        try:
            with self._write() as cur:
                cur.execute(self.sql(f"DELETE FROM {PARTS} WHERE eerste IN (SELECT eerste FROM "
                                     f"{TABLE} WHERE formaat <> ?)"), (formaat,))
                cur.execute(self.sql(f"DELETE FROM {TABLE} WHERE formaat <> ?"), (formaat,))
                cur.execute(self.sql(f"INSERT INTO {TABLE} ({HEADER}) VALUES (?, ?, ?, ?, ?, ?, ?) "
                                     "ON CONFLICT (eerste) DO NOTHING"),
                            (eerste, laatste, vorige, aantal, len(parts), formaat, kop))
                cur.executemany(self.sql(f"INSERT INTO {PARTS} (eerste, naam, data) VALUES (?, ?, ?) "
                                         "ON CONFLICT (eerste, naam) DO NOTHING"),
                                [(eerste, naam, data) for naam, data in parts.items()])
            return True
        except MaatwerkError:
            return False

    def drop_fact_blocks(self, after: int = 0) -> bool:
        """Forget the stored blocks from seq `after` on (all by default); False if not allowed."""
        try:
            with self._write() as cur:
                if self._has_table(cur, PARTS):
                    cur.execute(self.sql(f"DELETE FROM {PARTS} WHERE eerste IN (SELECT eerste FROM "
                                         f"{TABLE} WHERE laatste > ?)"), (after,))
                    cur.execute(self.sql(f"DELETE FROM {TABLE} WHERE laatste > ?"), (after,))
            return True
        except MaatwerkError:
            return False

    def vastgelegd_after(self, after: int, page: int = 5000) -> Iterator[tuple[int, str, str, dict]]:
        """(seq, hash, besluit, payload) of every `besluit vastgelegd` after seq `after`, the
        payload checked against its schema as `payloads` checks it."""
        while True:
            with self._read() as cur:
                # by the key's range (an index on soort would read every besluit to sort them);
                # the payload of another kind of event is not read
                cur.execute(self.sql(f"SELECT seq, hash, besluit, CASE WHEN soort = ? THEN payload "
                                     f"END, soort FROM events WHERE seq > ? ORDER BY seq "
                                     f"LIMIT {page}"), (VASTGELEGD, after))
                rows = cur.fetchall()
            for seq, digest, besluit, text, soort in rows:
                if soort == VASTGELEGD:       # as `WHERE soort = ?` selects (text only)
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
