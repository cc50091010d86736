"""Opening a log by its address: a SQLite path or a ``postgresql://`` DSN."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from ...errors import InputError
from .backfill import Progress
from .base import Store


def open_store(db: str, create: bool = False, migrate: bool = True,
               progress: Callable[[Progress], None] | None = None) -> Store:
    """A store for a path (SQLite) or a ``postgresql://`` DSN, with its schema up to date.

    ``create``: make a new SQLite file when there is none (only `record` does);
    otherwise a missing file is an error instead of an empty log. ``migrate=False``
    (audit) reads the log as it is and never changes it. ``progress`` hears how far a long
    migration is (the index of an older log is filled in batches; see `Store.migrate`).
    """
    text = str(db).strip()
    if not text:
        raise InputError("geen database opgegeven", None, None, "geef --db PAD of postgresql://…")
    if text.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore
        store: Store = PostgresStore(text)
    else:
        from .sqlite import SqliteStore
        store = SqliteStore(text, create)
    try:
        if migrate:
            store.migrate(progress)
        else:
            store.check_readable()
    except BaseException:
        store.close()
        raise
    return store


@contextmanager
def opened(db: str, create: bool = False, migrate: bool = True,
           progress: Callable[[Progress], None] | None = None) -> Iterator[Store]:
    store = open_store(db, create, migrate, progress)
    try:
        yield store
    finally:
        store.close()
