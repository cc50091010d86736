"""What every request works with: the decision log (one connection per thread) and the
rulesets folder, loaded once when the application starts."""

from __future__ import annotations

import threading
from pathlib import Path

from maatwerk.engine.log.store.base import Store
from maatwerk.engine.log.store.open import open_store
from maatwerk.engine.rules.catalog import Catalog, bundled_folder

from .settings import Served


class Backend:
    """The log and the rulesets of one served application."""

    def __init__(self, served: Served, cache=None):
        self.served = served
        self.settings = served.settings
        self.local = threading.local()
        self.stores: list[Store] = []
        self.lock = threading.Lock()
        open_store(served.db, create=True).close()        # create and migrate once, at start
        self.folder = Path(served.rulesets or bundled_folder())
        self.catalog = Catalog.load(self.folder, strict=False, cache=cache, bases=bundled_folder())

    def store(self) -> Store:
        """This thread's connection to the log (SQLite and psycopg connections are per thread)."""
        store = getattr(self.local, "store", None)
        if store is None:
            store = open_store(self.served.db, create=True)
            self.local.store = store
            with self.lock:
                self.stores.append(store)
        return store

    def close(self) -> None:
        with self.lock:
            for store in self.stores:
                try:
                    store.close()
                except Exception:       # a connection of a thread that is gone
                    pass
            self.stores.clear()
