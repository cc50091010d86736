"""The decision log in one SQLite file (the default; zero set-up).

Durability: WAL journal with ``synchronous=FULL``, one transaction per command.
Concurrency: every write starts with ``BEGIN IMMEDIATE`` (the database's single
write lock) and waits up to `BUSY_MS` for it; readers see a snapshot and never block.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from ...errors import InputError, NotFoundError, StorageError
from . import schema
from .base import Store

BUSY_MS = 60_000
CACHE_KIB = 65_536   # page cache per connection: the indexes' inner pages of a large log stay in it
# WAL pages before a checkpoint copies them into the file (SQLite's default: 1,000). The random
# keys of the events' indexes (hash, besluit, voorstel id) dirty pages all over them; a page
# written by several batches is copied once per checkpoint, not once per batch. Durability is
# the same: every commit is in the WAL and synced (synchronous = FULL) before it returns.
CHECKPOINT_PAGES = 10_000


class SqliteStore(Store):
    dialect = schema.SQLITE

    def __init__(self, path: str | Path, create: bool = False):
        self.path = Path(path)
        self.location = str(path)
        if not self.path.exists():
            if not create:
                raise NotFoundError("geen besluitenlog gevonden", self.location, None,
                                    "leg eerst een besluit vast met `maatwerk record`, of kies "
                                    "het log met --db of MAATWERK_DB")
            if not self.path.parent.is_dir():
                raise InputError("map van de database bestaat niet", self.location, None,
                                 "maak de map aan of kies een ander pad met --db")
            try:
                _create(self.path)
            except sqlite3.DatabaseError as exc:
                raise _error(exc, self.location) from exc
        try:
            self.conn = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
            self._configure()
        except sqlite3.DatabaseError as exc:
            raise _error(exc, self.location) from exc

    def _configure(self) -> None:
        conn = self.conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise InputError(f"kan het log niet in WAL-modus zetten ({mode})", self.location,
                             None, "gebruik een lokaal bestandssysteem voor --db")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
        conn.execute("PRAGMA foreign_keys = ON")

    @contextmanager
    def _transaction(self, begin: str):
        cur = self.conn.cursor()
        try:
            cur.execute(begin)
        except sqlite3.DatabaseError as exc:
            raise _error(exc, self.location) from exc
        try:
            yield cur
        except sqlite3.DatabaseError as exc:
            self._rollback()
            raise _error(exc, self.location) from exc
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            self._rollback()
            raise _error(exc, self.location) from exc

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _write(self):
        return self._transaction("BEGIN IMMEDIATE")

    def _read(self):
        return self._transaction("BEGIN DEFERRED")

    def raw_rows(self, after: int = 0, batch: int = 5000, upto: int | None = None):
        """Rows with text as bytes: verify hashes them without decoding and encoding again."""
        self.conn.text_factory = bytes
        try:
            yield from super().raw_rows(after, batch, upto)
        finally:
            self.conn.text_factory = str

    def _has_table(self, cur, name: str) -> bool:
        cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        return cur.fetchone() is not None

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.close()
            self.conn = None


def _create(path: Path) -> None:
    """Build a new log beside `path` and link it into place: the file appears whole (WAL
    mode, every migration) or not at all.

    Processes that use a fresh log at the same moment would otherwise each convert the
    same empty file to WAL, and SQLite refuses that conversion with "database is locked"
    at once instead of waiting (the first-use race). Now each builds its own copy and
    only the first link wins; the others drop theirs and open the winner's.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.nieuw")
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            schema.apply(conn.cursor(), schema.SQLITE, str(path))
            conn.execute("COMMIT")
        finally:
            conn.close()                   # checkpoints: the WAL flag stays in the header
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass                           # another process was first: use its log
        except OSError:
            return                         # no hard links here: open `path` the plain way
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def _error(exc: sqlite3.DatabaseError, location: str) -> StorageError:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return StorageError("geen leesbaar maatwerk-besluitenlog (SQLite)", location, None,
                          "controleer het pad bij --db")
    if "locked" in text or "busy" in text:
        return StorageError("het besluitenlog is bezet door een ander proces", location, None,
                          "probeer het opnieuw")
    return StorageError(f"databasefout: {text}", location, None, "controleer het pad bij --db")
