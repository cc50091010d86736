"""`maatwerk wachtrij | terugsturen | meelezen | opmerking`: review before the akkoord."""

from __future__ import annotations

import click

from .log_cmd import (
    CTX,
    actor_for,
    by_option,
    db_option,
    guarded,
    role_option,
    split_kader,
    voorziening_option,
    written_report,
)
from .options import emit_json, json_option


@click.command(context_settings=CTX)
@by_option
@db_option
@json_option
def wachtrij(door, db, as_json):
    """Wat op uw akkoord wacht (volgens uw rollen), oudste eerst.

    Per afwijking: het besluit, het kader, de melding, de motivering en hoeveel
    dagen die al wacht (gerekend vanaf de registratietijd). Geef akkoord met
    `maatwerk approve`, of stuur terug met `maatwerk terugsturen`.

    \b
    Voorbeelden:
      maatwerk wachtrij --by t.devries
      maatwerk wachtrij --by t.devries --json
    """
    from .upgrade import opened

    from .render import table
    with opened(db) as store:
        actor = actor_for(store, door)
        items = guarded(store.location, store.wachtrij, actor.door)
    if as_json:
        emit_json({"gebruiker": actor.door, "wachtrij": [w.public() for w in items],
                   "aantal": len(items)})
        return
    if not items:
        click.echo(f"Niets wacht op een akkoord van {actor.door}.")
        return
    rows = [[w.besluit, w.kader + ("" if w.voorziening is None else f"@{w.voorziening}"),
             w.vereist, w.motivering_door, str(w.dagen), _kort(w.motivering)] for w in items]
    click.echo("\n".join(table(["BESLUIT", "AFWIJKING", "ROL", "GEMOTIVEERD DOOR", "DAGEN",
                                "MOTIVERING"], rows)))
    click.echo(f"\n{len(items)} afwijking{'en' if len(items) != 1 else ''} wacht"
               f"{'en' if len(items) != 1 else ''} op uw akkoord.")


def _kort(text: str, n: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[:n - 1] + "…"


@click.command(context_settings=CTX)
@click.argument("besluit")
@click.argument("kader")
@voorziening_option
@click.option("--reden", required=True, help="Waarom de motivering terug gaat (wat moet beter).")
@by_option
@role_option
@db_option
@json_option
def terugsturen(besluit, kader, voorziening, reden, door, rol, db, as_json):
    """Stuur de motivering bij een afwijking (KADER) van BESLUIT terug, met een reden.

    Alleen wie het akkoord mag geven (de rol die het kader noemt) stuurt terug. De
    afwijking vraagt daarna een nieuwe motivering en opnieuw akkoord.

    \b
    Voorbeelden:
      maatwerk terugsturen B-3f2a9c0d1e2b wmo.pgb.plafond \\
        --reden 'Noem waarom een goedkopere aanbieder niet passend is' --by t.devries --role teamleider
    """
    _review(db, "terugsturen", besluit, split_kader(kader, voorziening), reden, door, rol,
            "Motivering teruggestuurd", as_json)


@click.command(context_settings=CTX)
@click.argument("besluit")
@click.argument("kader")
@voorziening_option
@click.option("--collega", required=True, metavar="NAAM", help="De collega die meeleest.")
@by_option
@role_option
@db_option
@json_option
def meelezen(besluit, kader, voorziening, collega, door, rol, db, as_json):
    """Vraag een collega de motivering bij een afwijking (KADER) van BESLUIT te lezen.

    Collegiale toetsing vóór het akkoord: de collega kan een opmerking maken met
    `maatwerk opmerking`. Een opmerking vervangt nooit het akkoord.

    \b
    Voorbeelden:
      maatwerk meelezen B-3f2a9c0d1e2b wmo.gebruikelijke-hulp.partner --collega p.bakker \\
        --by c.jansen --role consulent
    """
    _review(db, "meelezen", besluit, split_kader(kader, voorziening), collega, door, rol,
            "Meelezen gevraagd", as_json)


@click.command(context_settings=CTX)
@click.argument("besluit")
@click.argument("kader")
@voorziening_option
@click.option("--tekst", required=True, help="Uw opmerking bij de motivering.")
@by_option
@role_option
@db_option
@json_option
def opmerking(besluit, kader, voorziening, tekst, door, rol, db, as_json):
    """Maak een opmerking bij de motivering van een afwijking (KADER) van BESLUIT.

    Alleen wie gevraagd is mee te lezen. De opmerking staat bij het besluit in
    `maatwerk show`; ze telt niet als akkoord.

    \b
    Voorbeelden:
      maatwerk opmerking B-3f2a9c0d1e2b wmo.gebruikelijke-hulp.partner \\
        --tekst 'Noem ook dat de partner na juni opnieuw wordt beoordeeld' --by p.bakker --role consulent
    """
    _review(db, "opmerking", besluit, split_kader(kader, voorziening), tekst, door, rol,
            "Opmerking vastgelegd", as_json)


def _review(db, action: str, besluit: str, kader: tuple, value: str, door, rol, title: str,
            as_json: bool) -> None:
    """One review step (terugsturen, meelezen, opmerking) by the authenticated actor."""
    from .upgrade import opened
    with opened(db) as store:
        result = guarded(store.location, getattr(store, action), besluit, *kader, value,
                         actor_for(store, door), rol)
        location = store.location
    written_report(result, title, location, as_json)
