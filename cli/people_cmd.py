"""`maatwerk gebruiker init | add | rol | intrekken | list`: users and roles in the log."""

from __future__ import annotations

import click
from maatwerk.engine.log.identity import ROLLEN

from .log_cmd import CTX, actor_for, by_option, db_option, guarded
from .options import emit_json, json_option


@click.group(context_settings=CTX)
def gebruiker():
    """Gebruikers en hun rollen in het besluitenlog (beheerder).

    Gebruikers en rollen zijn gebeurtenissen in dezelfde hashketen als de besluiten
    (het wachtwoord voor `maatwerk serve` staat buiten de keten),
    zodat `maatwerk audit verify` kan bewijzen dat wie een akkoord gaf op dat moment
    de rol had. Rollen: consulent, teamleider, gemandateerde, jurist, beheerder,
    beleidsmedewerker, auditor.

    \b
    Voorbeelden:
      maatwerk gebruiker init b.beheer
      maatwerk gebruiker add c.jansen --rol consulent --by b.beheer
      maatwerk gebruiker rol t.devries teamleider --by b.beheer
      maatwerk gebruiker list --json
      maatwerk gebruiker wachtwoord c.jansen
    """


@gebruiker.command(context_settings=CTX)
@click.argument("naam", required=False)
@click.option("--naam", "weergave", metavar="TEKST", help="Weergavenaam, bijv. 'Carla Jansen'.")
@db_option
@json_option
def init(naam, weergave, db, as_json):
    """Maak de eerste beheerder (NAAM) op een log zonder gebruikers.

    Op PostgreSQL is dat de aangemelde gebruiker (NAAM mag dan weg).

    \b
    Voorbeelden:
      maatwerk gebruiker init b.beheer --naam 'Bea Beheer'
      maatwerk gebruiker init --db postgresql://b.beheer@db/maatwerk
    """
    from .upgrade import opened
    with opened(db, create=True) as store:
        actor = actor_for(store, naam)
        found = guarded(store.location, store.init_user, actor.door, weergave)
        location = store.location
    _done(found, f"Eerste beheerder {found.gebruiker} aangemaakt in {location}", as_json)


@gebruiker.command(context_settings=CTX)
@click.argument("naam")
@click.option("--rol", "rollen", multiple=True, type=click.Choice(ROLLEN),
              help="Rol om toe te kennen (herhaalbaar).")
@click.option("--naam", "weergave", metavar="TEKST", help="Weergavenaam, bijv. 'Carla Jansen'.")
@by_option
@db_option
@json_option
def add(naam, rollen, weergave, door, db, as_json):
    """Voeg gebruiker NAAM toe, met rollen (alleen een beheerder).

    Op PostgreSQL moet NAAM ook een login van de database zijn.

    \b
    Voorbeelden:
      maatwerk gebruiker add c.jansen --rol consulent --naam 'Carla Jansen' --by b.beheer
      maatwerk gebruiker add t.devries --rol teamleider --rol consulent --by b.beheer --json
    """
    found = _as_beheerder(db, "add_user", door, naam, rollen=rollen, naam=weergave)
    _done(found, f"Gebruiker {found.gebruiker} toegevoegd", as_json)


@gebruiker.command(context_settings=CTX)
@click.argument("naam")
@click.argument("rol", type=click.Choice(ROLLEN))
@by_option
@db_option
@json_option
def rol(naam, rol, door, db, as_json):
    """Ken gebruiker NAAM de rol ROL toe (alleen een beheerder).

    \b
    Voorbeelden:
      maatwerk gebruiker rol t.devries teamleider --by b.beheer
    """
    found = _as_beheerder(db, "grant", door, naam, rol)
    _done(found, f"Rol {rol} toegekend aan {found.gebruiker}", as_json)


@gebruiker.command(context_settings=CTX)
@click.argument("naam")
@click.argument("rol", type=click.Choice(ROLLEN))
@by_option
@db_option
@json_option
def intrekken(naam, rol, door, db, as_json):
    """Trek de rol ROL van gebruiker NAAM in (alleen een beheerder).

    Wat NAAM eerder in die rol deed, blijft geldig: het mandaat gold toen.

    \b
    Voorbeelden:
      maatwerk gebruiker intrekken t.devries teamleider --by b.beheer
    """
    found = _as_beheerder(db, "revoke", door, naam, rol)
    _done(found, f"Rol {rol} ingetrokken bij {found.gebruiker}", as_json)


@gebruiker.command("list", context_settings=CTX)
@db_option
@json_option
def list_(db, as_json):
    """Toon de gebruikers en hun huidige rollen.

    \b
    Voorbeelden:
      maatwerk gebruiker list
      maatwerk gebruiker list --json
      maatwerk gebruiker wachtwoord c.jansen
    """
    from .upgrade import opened

    from .render import table
    with opened(db) as store:
        users = guarded(store.location, store.users)
    if as_json:
        emit_json({"gebruikers": [u.public() for u in users], "aantal": len(users)})
    elif not users:
        click.echo("Nog geen gebruikers; begin met `maatwerk gebruiker init NAAM`.")
    else:
        rows = [[u.gebruiker, u.naam or "-", ", ".join(u.public()["rollen"]) or "-"]
                for u in users]
        click.echo("\n".join(table(["GEBRUIKER", "NAAM", "ROLLEN"], rows)))


def _wachtwoord():
    from .credentials_cmd import wachtwoord
    return wachtwoord


gebruiker.add_command(_wachtwoord(), "wachtwoord")


def _done(found, what: str, as_json: bool) -> None:
    if as_json:
        emit_json(found.public())
    else:
        click.echo(f"{what} · rollen: {', '.join(found.public()['rollen']) or 'geen'}")


def _as_beheerder(db, action: str, door, gebruiker: str, *args, **kwargs):
    """One change to users and roles, by the authenticated actor (a beheerder)."""
    from functools import partial

    from .upgrade import opened
    with opened(db) as store:
        return guarded(store.location, partial(getattr(store, action), **kwargs), gebruiker,
                       *args, actor_for(store, door))
