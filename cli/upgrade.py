"""Upgrading a log: `maatwerk migrate`, and the progress of any command that opens an older log.

Every command that writes (and `list`) opens the log through `opened` here, which
migrates it to this version's schema first. Filling the index of an older log takes
minutes on a large one (one batch per transaction, resumable); its progress goes to
stderr, so the command's own output (text or JSON on stdout) stays as it was.
"""

from __future__ import annotations

from contextlib import contextmanager

import click

from .options import CTX, db_option, emit_json, json_option

STEP = 5          # progress: a line per this many percent


def progress_printer():
    """A callback for `Store.migrate` that prints a line to stderr per STEP percent."""
    from maatwerk.engine.model import dutch
    shown = [-1]

    def show(p) -> None:
        pct = 100 if not p.total else min(100, p.done * 100 // p.total)
        if pct // STEP > shown[0] or p.done >= p.total:
            shown[0] = pct // STEP
            click.echo(f"Log bijwerken (schema {p.version}, index): {dutch.number(p.done)} van "
                       f"{dutch.count(p.total, 'besluit', 'besluiten')} ({pct}%)", err=True)
    return show


@contextmanager
def opened(db: str, create: bool = False):
    """The log at ``db``, migrated (with progress on stderr); closed afterwards."""
    from maatwerk.engine.log.store.open import opened as engine_opened
    with engine_opened(db, create, progress=progress_printer()) as store:
        yield store


@click.command(context_settings=CTX)
@db_option
@json_option
def migrate(db, as_json):
    """Werk het besluitenlog bij naar het schema van deze maatwerk.

    Elk schrijvend commando (en `list`) doet dit ook vanzelf; dit commando doet
    alleen dat, met de voortgang op stderr. Een log van vóór schema 6 krijgt zijn
    index (per besluit en per afwijking): dat gaat in delen van enkele duizenden
    besluiten, elk deel in een eigen transactie. Wordt het onderbroken (Ctrl-C, een
    herstart), dan blijft wat klaar is bewaard en gaat de volgende keer verder waar
    het stopte; het log blijft al die tijd bruikbaar (audit leest dan de besluiten
    zelf). De keten verandert niet.

    \b
    Voorbeelden:
      maatwerk migrate --db maatwerk.db
      maatwerk migrate --db postgresql://beheer@db.gemeente.nl/maatwerk --json
    """
    from maatwerk.engine.log.store.open import open_store
    store = open_store(db, migrate=False)
    try:
        before = store.schema_version()
        applied = store.migrate(progress_printer())
        after = store.schema_version()
    finally:
        store.close()
    if as_json:
        emit_json({"schema_voor": before, "schema_na": after, "toegepast": applied})
    elif applied:
        click.echo(f"Log bijgewerkt van schema {before} naar {after} ({store.location}).")
    else:
        click.echo(f"Log is al bij: schema {after} ({store.location}).")
