"""The real server for tests: `maatwerk serve` in a subprocess on a free loopback port.

`Server.client(token)` gives an httpx client with the token (or none); `people` puts
users with roles, passwords and tokens in the log the server serves (straight into the
store, as a beheerder would with the CLI).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HOST = "127.0.0.1"
START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Server:
    url: str
    db: str
    process: subprocess.Popen
    log: Path
    tokens: dict = field(default_factory=dict)

    def client(self, token: str | None = None, **kwargs) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, **kwargs)

    def api(self, naam: str) -> httpx.Client:
        """A client with a personal token of `naam` (made once per server)."""
        if naam not in self.tokens:
            self.tokens[naam] = make_token(self.db, naam)
        return self.client(self.tokens[naam])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start(db: str, folder: Path, *args: str, env: dict | None = None) -> Server:
    """Start `maatwerk serve --db DB` and wait until it answers."""
    port = free_port()
    log = folder / f"server-{port}.log"
    handle = open(log, "wb")
    cmd = [sys.executable, "-c", "from maatwerk.cli.main import main; main()", "serve", "--db", db, "--host", HOST,
           "--port", str(port), "--geen-toegangslog", *args]
    process = subprocess.Popen(cmd, stdout=handle, stderr=subprocess.STDOUT,
                               env={**os.environ, **(env or {})})
    server = Server(f"http://{HOST}:{port}", db, process, log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server stopte met {process.returncode}:\n{server.output()}")
        try:
            if httpx.get(f"{server.url}/api/v1", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"server startte niet binnen {START_TIMEOUT} s:\n{server.output()}")


# --- people in the log ------------------------------------------------------------------------
def add_person(db: str, naam: str, rollen: tuple[str, ...] = (), wachtwoord: str | None = None):
    """Register `naam` with these roles (granting any they lack), and a password if given."""
    from maatwerk.web.demo import add_people
    add_people(db, [(naam, tuple(rollen))], {naam: wachtwoord} if wachtwoord else None)


def make_token(db: str, naam: str, dienst: str | None = None, verloopt: str | None = None) -> str:
    from maatwerk.engine.log import secret
    from maatwerk.engine.log.store.open import opened
    ident, value, hashed = secret.new_token()
    with opened(db) as store:
        store.add_token(ident, hashed, dienst, naam, "test", now(), verloopt)
    return value
