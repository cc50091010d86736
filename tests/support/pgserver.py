"""A private, throw-away PostgreSQL server for the store tests (no mocks).

`MAATWERK_TEST_PG` (a ``postgresql://`` URL with rights to create schemas) uses an
existing server instead. Otherwise this finds ``initdb``/``pg_ctl`` (PATH or
/usr/lib/postgresql/*/bin), initialises a cluster in a temp dir and starts it on a
free localhost port. As root, the server runs as the ``postgres`` user (PostgreSQL
refuses root), with the temp dir chowned to it.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote


class NoServer(Exception):
    """No PostgreSQL server can be started here (binaries missing, start failed)."""


def find_bindir() -> Path:
    found = shutil.which("pg_ctl")
    dirs = [Path(found).resolve().parent] if found else []
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                      key=lambda p: [int(x) for x in re.findall(r"\d+", p)], reverse=True)
    dirs += [Path(p) for p in versions]
    for d in dirs:
        if all((d / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return d
    raise NoServer("geen PostgreSQL-binaries (initdb, pg_ctl, postgres) op PATH of in "
                   "/usr/lib/postgresql/*/bin; installeer het pakket postgresql of zet "
                   "MAATWERK_TEST_PG")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    dsn: str                      # admin URL: postgresql://user@host:port/db
    stop: callable = lambda: None

    def schema_dsn(self, schema: str) -> str:
        """The admin URL with a search_path, so every table lands in one schema."""
        sep = "&" if "?" in self.dsn else "?"
        return f"{self.dsn}{sep}options={quote(f'-csearch_path={schema}')}"

    def fresh_schema(self) -> tuple[str, str]:
        import psycopg
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        return name, self.schema_dsn(name)

    def drop_schema(self, name: str) -> None:
        import psycopg
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')

    def login(self, name: str, schema: str, member_of: str = "maatwerk_gebruiker") -> str:
        """Create a PostgreSQL login role `name` (a member of `member_of`, which the store's
        migration created) and return its URL into `schema`. The private server trusts local
        logins; an existing server (MAATWERK_TEST_PG) needs CREATEROLE for this."""
        import psycopg
        from psycopg import sql
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN IN ROLE {}").format(
                sql.Identifier(name), sql.Identifier(member_of)))
        from urllib.parse import urlsplit, urlunsplit
        url = urlsplit(self.dsn)
        host = url.netloc.rsplit("@", 1)[-1]
        user_dsn = urlunsplit(url._replace(netloc=f"{quote(name)}@{host}"))
        sep = "&" if "?" in user_dsn else "?"
        return f"{user_dsn}{sep}options={quote(f'-csearch_path={schema}')}"

    def drop_login(self, name: str) -> None:
        import psycopg
        from psycopg import sql
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    if not shutil.which("runuser"):
        raise NoServer("als root is runuser nodig om PostgreSQL als gebruiker postgres te starten")
    return ["runuser", "-u", "postgres", "--", *cmd]


def start_private() -> Server:
    bindir = find_bindir()
    tmp = Path(tempfile.mkdtemp(prefix="maatwerk-pg-"))
    data, port = tmp / "data", free_port()
    if os.geteuid() == 0:
        try:
            shutil.chown(tmp, "postgres", "postgres")
        except (LookupError, PermissionError) as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise NoServer(f"kan de testmap niet aan gebruiker postgres geven: {exc}") from None
    options = (f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
    steps = [[str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
              "-E", "UTF8", "--locale=C", "--no-sync"],
             [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(tmp / "server.log"), "-w",
              "-t", "60", "-o", options, "start"]]
    for cmd in steps:
        done = subprocess.run(_as_postgres(cmd), capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = (tmp / "server.log").read_text() if (tmp / "server.log").exists() else ""
            shutil.rmtree(tmp, ignore_errors=True)
            raise NoServer(f"{Path(cmd[0]).name} faalde: {(done.stderr or done.stdout).strip()} "
                           f"{log.strip()[-500:]}")

    def stop() -> None:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                     "-w", "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)

    return Server(f"postgresql://postgres@127.0.0.1:{port}/postgres", stop)


def server() -> Server:
    """The server to test against: MAATWERK_TEST_PG, or a private one."""
    given = os.environ.get("MAATWERK_TEST_PG")
    if given:
        if not given.startswith(("postgresql://", "postgres://")):
            raise NoServer("MAATWERK_TEST_PG moet een postgresql://-URL zijn")
        return Server(given)
    return start_private()
