"""`maatwerk serve`: the JSON API and the pages on uvicorn.

The only place that reads the environment for the served application: it builds the
settings and passes them to `maatwerk.web.app.create_app`. With several workers,
uvicorn imports `worker_app` in each process; the settings travel in
`MAATWERK_SERVE_CONFIG` (JSON), set here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from .options import rulesets_option

CTX = {"help_option_names": ["-h", "--help"]}
CONFIG_ENV = "MAATWERK_SERVE_CONFIG"


@click.command(context_settings=CTX)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Adres om op te luisteren (standaard alleen deze machine).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--db", default="maatwerk.db", envvar="MAATWERK_DB", show_default=True,
              metavar="PAD|DSN", help="Het besluitenlog: SQLite-bestand of postgresql://… "
              "(ook via MAATWERK_DB).")
@rulesets_option
@click.option("--demo", is_flag=True, help="Start met een nieuw SQLite-log in een tijdelijke map, "
              "met demogebruikers (wachtwoorden worden één keer getoond).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Aantal processen.")
@click.option("--secure-cookie", is_flag=True, envvar="MAATWERK_SECURE_COOKIE",
              help="Zet de Secure-vlag op cookies (verplicht achter https).")
@click.option("--sessie-minuten", default=30, show_default=True, type=click.IntRange(1, 1440),
              help="Sessie verloopt na zoveel minuten zonder verzoek.")
@click.option("--toegangslog/--geen-toegangslog", default=True, show_default=True,
              help="Log elk verzoek op stderr.")
def serve(host, port, db, rulesets_dir, demo, workers, secure_cookie, sessie_minuten, toegangslog):
    """Start de server: de JSON-API onder /api/v1 en de pagina's.

    Medewerkers loggen in met een wachtwoord (`maatwerk gebruiker wachtwoord NAAM`);
    casussystemen gebruiken een API-token (`maatwerk token maak`). De
    OpenAPI-beschrijving staat op /openapi.json.

    \b
    Voorbeelden:
      maatwerk serve --demo
      maatwerk serve --db maatwerk.db --port 8000
      maatwerk serve --db postgresql://maatwerk_web@db/maatwerk --workers 2 --secure-cookie
    """
    import uvicorn
    if demo:
        db = _demo()
    config = {"db": db, "rulesets": str(rulesets_dir) if rulesets_dir else None,
              "settings": {"secure_cookie": secure_cookie, "session_minutes": sessie_minuten}}
    os.environ[CONFIG_ENV] = json.dumps(config)
    worker_app()        # fails here, in one line, when the log or the rulesets cannot be used
    click.echo(f"maatwerk serveert {db} op http://{host}:{port}/ (API: /api/v1, OpenAPI: "
               "/openapi.json); stoppen met Ctrl-C", err=True)
    uvicorn.run("maatwerk.cli.serve_cmd:worker_app", factory=True, host=host, port=port,
                workers=workers, access_log=toegangslog, log_level="info" if toegangslog else
                "warning", proxy_headers=False, server_header=False)


def worker_app():
    """The application of one worker process, from `MAATWERK_SERVE_CONFIG`."""
    from maatwerk.engine.rules.cache import FileCache, default_folder
    from maatwerk.web.app import create_app
    from maatwerk.web.settings import Settings
    config = json.loads(os.environ[CONFIG_ENV])
    rulesets = Path(config["rulesets"]) if config.get("rulesets") else None
    return create_app(config["db"], rulesets, Settings(**config.get("settings", {})),
                      cache=FileCache(default_folder(dict(os.environ))))


def _demo() -> str:
    """A fresh SQLite log in a temporary folder, with demo users; prints their passwords."""
    import tempfile

    from maatwerk.web.demo import seed
    folder = Path(tempfile.mkdtemp(prefix="maatwerk-demo-"))
    db = str(folder / "demo.db")
    users = seed(db)
    click.echo(f"Demo-log: {db}", err=True)
    click.echo("Demogebruikers (deze wachtwoorden worden maar één keer getoond):", err=True)
    for naam, rol, wachtwoord in users:
        click.echo(f"  {naam:<14} {rol:<18} {wachtwoord}", err=True)
    return db
