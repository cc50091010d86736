"""`maatwerk gebruiker wachtwoord` and `maatwerk token maak|intrekken|list`: how people and
case systems prove who they are to `maatwerk serve`.

Passwords (argon2) and tokens (sha256) are kept beside the hash chain, never in it.
"""

from __future__ import annotations

import datetime as dt
import sys

import click

from .options import DATE, emit_json, json_option

CTX = {"help_option_names": ["-h", "--help"]}
db_option = click.option(
    "--db", default="maatwerk.db", envvar="MAATWERK_DB", show_default=True, metavar="PAD|DSN",
    help="Het besluitenlog: een SQLite-bestand of postgresql://… (ook via MAATWERK_DB).")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _known(store, naam: str) -> str:
    from maatwerk.engine.errors import NotFoundError
    from maatwerk.web.people import lookup
    person = lookup(store, naam)
    if person is None:
        raise NotFoundError(f"onbekende gebruiker '{naam[:70]}'", store.location, None,
                            "zie `maatwerk gebruiker list`")
    return person.naam


@click.command(context_settings=CTX)
@click.argument("naam")
@click.option("--stdin", "from_stdin", is_flag=True, help="Lees het wachtwoord van stdin "
              "(één regel; voor scripts) in plaats van het twee keer te vragen.")
@db_option
def wachtwoord(naam, from_stdin, db):
    """Zet het wachtwoord van gebruiker NAAM (om in te loggen bij `maatwerk serve`).

    Het wachtwoord wordt alleen als argon2-hash bewaard, buiten de hashketen.
    Minstens 12 tekens.

    \b
    Voorbeelden:
      maatwerk gebruiker wachtwoord c.jansen
      printf '%s\\n' "$WACHTWOORD" | maatwerk gebruiker wachtwoord c.jansen --stdin
    """
    from maatwerk.engine.log import secret
    from .upgrade import opened
    if from_stdin:
        value = sys.stdin.readline().rstrip("\n")
    else:
        value = click.prompt("Nieuw wachtwoord", hide_input=True, confirmation_prompt=
                             "Nog een keer")
    hashed = secret.hash_password(value)
    with opened(db, create=True) as store:
        store.set_password(naam, hashed, _now())
    click.echo(f"Wachtwoord van {naam} gezet in {store.location}")


@click.group(context_settings=CTX)
def token() -> None:
    """API-tokens voor casussystemen: maken, intrekken, tonen.

    Een token hoort bij een koppeling (dienst) die namens één medewerker handelt;
    elke gebeurtenis noemt dan beiden. Het token wordt één keer getoond; bewaard
    wordt alleen een sha256-hash.

    \b
    Voorbeelden:
      maatwerk token maak --voor c.jansen --dienst suite4sd --omschrijving 'Suite4SD productie'
      maatwerk token list
      maatwerk token intrekken 3f2a9c0d
    """


@token.command("maak", context_settings=CTX)
@click.option("--voor", required=True, metavar="NAAM", help="De medewerker namens wie het token "
              "handelt.")
@click.option("--dienst", metavar="NAAM", help="De koppeling (casussysteem) die het token gebruikt; "
              "zonder: een persoonlijk token.")
@click.option("--omschrijving", default="", help="Waarvoor het token is (voor `token list`).")
@click.option("--verloopt", type=DATE, help="Laatste dag waarop het token werkt (JJJJ-MM-DD).")
@db_option
@json_option
def maak(voor, dienst, omschrijving, verloopt, db, as_json):
    """Maak een API-token; het wordt één keer getoond.

    \b
    Voorbeelden:
      maatwerk token maak --voor c.jansen --dienst suite4sd
      maatwerk token maak --voor c.jansen --verloopt 2026-12-31 --json
    """
    from maatwerk.engine.errors import InputError
    from maatwerk.engine.log import secret
    from .upgrade import opened
    if len(omschrijving) > 200 or (dienst and len(dienst) > 64):
        raise InputError("--omschrijving of --dienst is te lang", None, None,
                         "hooguit 200 en 64 tekens")
    ident, value, hashed = secret.new_token()
    ends = f"{verloopt.isoformat()}T23:59:59Z" if verloopt else None
    with opened(db, create=True) as store:
        naam = _known(store, voor)
        store.add_token(ident, hashed, dienst, naam, omschrijving, _now(), ends)
    if as_json:
        emit_json({"id": ident, "token": value, "voor": naam, "dienst": dienst, "verloopt": ends})
        return
    click.echo(f"Token {ident} voor {naam}{f' via {dienst}' if dienst else ''} (alleen nu "
               f"zichtbaar; bewaar het veilig):\n{value}")


@token.command("intrekken", context_settings=CTX)
@click.argument("ident", metavar="ID")
@db_option
def intrekken(ident, db):
    """Trek token ID in; het werkt direct niet meer.

    \b
    Voorbeelden:
      maatwerk token intrekken 3f2a9c0d
    """
    from maatwerk.engine.errors import NotFoundError
    from .upgrade import opened
    with opened(db) as store:
        if not store.revoke_token(ident, _now()):
            raise NotFoundError(f"geen actief token '{ident[:20]}'", store.location, None,
                                "zie `maatwerk token list`")
    click.echo(f"Token {ident} ingetrokken")


@token.command("list", context_settings=CTX)
@db_option
@json_option
def list_(db, as_json):
    """Toon de tokens (nooit de tokens zelf).

    \b
    Voorbeelden:
      maatwerk token list
      maatwerk token list --json
    """
    from .upgrade import opened

    from .render import table
    with opened(db) as store:
        rows = store.tokens()
    if as_json:
        emit_json({"tokens": rows, "aantal": len(rows)})
        return
    click.echo("\n".join(table(["ID", "VOOR", "DIENST", "AANGEMAAKT", "VERLOOPT", "INGETROKKEN",
                                "OMSCHRIJVING"],
                               [[r["id"], r["voor"], r["dienst"] or "-", r["aangemaakt"],
                                 r["verloopt"] or "-", r["ingetrokken"] or "-", r["omschrijving"]]
                                for r in rows])))
