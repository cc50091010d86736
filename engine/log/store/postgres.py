"""The decision log on a PostgreSQL server (shared deployments; ``--db postgresql://…``).

psycopg is imported here only, so commands that use SQLite never load it.
Concurrency: every write transaction first takes one transaction-scoped advisory
lock (`LOCK_KEY`), then reads the last event and appends; the lock is released at
commit. Reads use REPEATABLE READ (one snapshot). A write commits before the
method returns: what a command printed as recorded is durable.
"""

from __future__ import annotations

from contextlib import contextmanager

from ...errors import InputError, RefusedError, StorageError
from . import schema
from .base import Store

LOCK_KEY = 0x6D61617477657266   # "maatwerf": one lock for the whole log (per database)


def display(dsn: str) -> str:
    """The DSN without its password, for messages."""
    try:
        from psycopg.conninfo import conninfo_to_dict
        info = conninfo_to_dict(dsn)
    except Exception:
        return "postgresql://…"
    user = f"{info['user']}@" if info.get("user") else ""
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{info.get('host', '')}{port}/{info.get('dbname', '')}"


class PostgresStore(Store):
    dialect = schema.POSTGRES
    voorstel_id_sql = schema.PG_VOORSTEL_ID
    voorstel_from = "events"

    def __init__(self, dsn: str):
        self.location = display(dsn)
        try:
            import psycopg
        except ImportError:
            raise InputError("PostgreSQL vraagt het pakket psycopg", self.location, None,
                             "installeer het met `pip install 'maatwerk[postgres]'`") from None
        self._psycopg = psycopg
        try:
            self.conn = psycopg.connect(dsn, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StorageError(f"kan niet verbinden met PostgreSQL: {_first_line(exc)}",
                               self.location, None, "controleer --db of MAATWERK_DB") from exc
        self.sessie_gebruiker = self.conn.execute("SELECT session_user").fetchone()[0]

    def is_dienst(self) -> bool:
        """Whether the login is a service role (member of maatwerk_dienst, or a superuser):
        it may then record events for a named user, with itself as ``dienst``."""
        row = self.conn.execute(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'maatwerk_dienst') "
            "THEN pg_has_role(session_user, 'maatwerk_dienst', 'MEMBER') ELSE false END").fetchone()
        return bool(row[0])

    def sql(self, text: str) -> str:
        return text.replace("?", "%s")

    @contextmanager
    def _transaction(self, lock: bool):
        try:
            with self.conn.transaction():
                cur = self.conn.cursor()
                if lock:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
                else:
                    cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                yield cur
        except self._psycopg.errors.InsufficientPrivilege as exc:
            raise RefusedError(f"geweigerd door de database: {_first_line(exc)}", self.location,
                               None, "op PostgreSQL is de aangemelde gebruiker de auteur; "
                               "alleen een dienstaccount handelt namens een ander") from None
        except self._psycopg.Error as exc:
            raise StorageError(f"databasefout: {_first_line(exc)}", self.location, None,
                               "controleer de verbinding en de rechten op de database") from exc

    def _write(self):
        return self._transaction(lock=True)

    def _read(self):
        return self._transaction(lock=False)

    def _has_table(self, cur, name: str) -> bool:
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", (name,))
        return bool(cur.fetchone()[0])

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.close()
            self.conn = None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
