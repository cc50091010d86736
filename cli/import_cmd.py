"""`maatwerk import`: besluiten from before maatwerk, recorded now and marked as imported."""

from __future__ import annotations

from pathlib import Path

import click

from .log_cmd import (
    CTX,
    actor_for,
    by_option,
    db_option,
    guarded,
    record_motiveringen,
    record_payload,
    role_option,
)
from .options import DATE, emit_json, engine_option, json_option, rulesets_option


@click.command("import", context_settings=CTX)
@click.argument("voorstel_paths", metavar="VOORSTEL...", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("--datum", type=DATE, required=True, metavar="JJJJ-MM-DD",
              help="Datum van het oorspronkelijke besluit (niet in de toekomst).")
@by_option
@role_option
@db_option
@rulesets_option
@click.option("--team", envvar="MAATWERK_TEAM", metavar="NAAM", help="Team (voor rapportage).")
@engine_option
@json_option
def import_(voorstel_paths, datum, door, rol, db, rulesets_dir, team, engine, as_json):
    """Importeer besluiten van vóór maatwerk (historie), gemarkeerd als geïmporteerd.

    Elk voorstel wordt getoetst en vastgelegd zoals bij `maatwerk record`, in één
    transactie. Anders dan bij record: elke gebeurtenis krijgt herkomst 'import' en
    de oorspronkelijke datum (--datum); de registratietijd is die van nu, en de
    auteur is wie importeert (een geregistreerde gebruiker met die rol). Motiveringen
    uit het voorstel gaan mee; akkoorden niet: die geeft de rol die ze nu heeft.

    \b
    Voorbeelden:
      maatwerk import oud/*.yaml --datum 2025-11-03 --by c.jansen --role consulent
      maatwerk import oud/VS-2025-0042.yaml --datum 2025-06-12 --by c.jansen --role consulent --json
    """
    from maatwerk.engine.evaluate.check import check as run_check
    from .upgrade import opened

    from .check_cmd import prepared, source_name
    items = []
    for path in voorstel_paths:
        voorstel, day, eff, lines = prepared(path, rulesets_dir, None, None)
        payload = record_payload(voorstel, run_check(eff, voorstel, day, engine=engine), eff,
                                 engine, team)
        items.append((payload, eff.stored(), record_motiveringen(
            payload.afwijkingen, voorstel, lines, source_name(path), (), ())))
    with opened(db, create=True) as store:
        actor = actor_for(store, door)
        rows = [(p, inh, m, actor, rol, datum.isoformat()) for p, inh, m in items]
        besluiten = guarded(store.location, store.record_many, rows, "import")
        location = store.location
    if as_json:
        emit_json({"besluiten": [b.id for b in besluiten], "aantal": len(besluiten),
                   "herkomst": "import", "datum": datum.isoformat()})
        return
    for b in besluiten:
        click.echo(f"{b.id}  {b.status}")
    click.echo(f"{len(besluiten)} besluit{'en' if len(besluiten) != 1 else ''} geïmporteerd "
               f"(datum {datum.isoformat()}) in {location}")
