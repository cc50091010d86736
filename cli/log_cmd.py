"""`maatwerk record | justify | approve | show | list`: the decision log.

Who acts comes from `actor_for`: on PostgreSQL the database login (``session_user``),
on a personal SQLite file ``--by``, which must name a registered user holding the
role. The store sets each event's registration time itself (database clock);
``--datum`` is a separate domain date (the besluit's own date).
"""

from __future__ import annotations

import re
from pathlib import Path

import click
from maatwerk.engine.log.besluit import GRONDEN
from maatwerk.engine.log.identity import ROLLEN

from .options import (  # CTX and db_option: shared by the log's commands
    CTX,
    DATE,
    db_option,
    emit_json,
    engine_option,
    json_option,
    rulesets_option,
)

SPEC = re.compile(r"^(?P<kader>[a-z][a-z0-9._-]*?)(?:@(?P<n>[0-9]{1,2}))?=(?P<tekst>.*)$", re.S)


by_option = click.option("--by", "door", metavar="ID", envvar="MAATWERK_GEBRUIKER",
                         help="Wie dit doet: een geregistreerde gebruiker (bijv. c.jansen; ook "
                              "MAATWERK_GEBRUIKER). Op PostgreSQL is dat altijd de aangemelde "
                              "gebruiker.")
role_option = click.option("--role", "rol", required=True, type=click.Choice(ROLLEN),
                           help="In welke rol (een van uw eigen rollen).")
datum_option = click.option(
    "--datum", type=DATE, metavar="JJJJ-MM-DD",
    help="Datum van het besluit zelf (niet in de toekomst, niet vóór het besluit); de "
         "registratietijd zet het log zelf.")
voorziening_option = click.option(
    "--voorziening", type=click.IntRange(1, 50), metavar="N",
    help="Voorziening N (1-based) als het kader bij meer voorzieningen afwijkt; ook KADER@N.")


def actor_for(store, door: str | None):
    """Who acts, as far as this door can establish it.

    PostgreSQL: the login (``session_user``); ``--by`` may only repeat it, unless the login
    is a service role (maatwerk_dienst): then it acts for ``--by``, recorded as ``dienst``.
    SQLite: ``--by`` (the store then checks that it names a registered user with the role).
    """
    from maatwerk.engine.errors import InputError
    from maatwerk.engine.log.identity import Actor, key
    login = store.sessie_gebruiker
    if login:
        if door and key(door) != key(login) and store.is_dienst():
            return Actor(door, dienst=login)
        if door and key(door) != key(login):
            raise InputError(f"--by {door} wijkt af van de aangemelde gebruiker {login}",
                             store.location, None, "op PostgreSQL bent u de gebruiker waarmee u "
                             "inlogt; laat --by weg of meld u aan als die gebruiker")
        return Actor(login)
    if not door:
        raise InputError("wie doet dit? --by ontbreekt", store.location, None,
                         "geef uw gebruikersnaam met --by NAAM (of MAATWERK_GEBRUIKER); zie "
                         "`maatwerk gebruiker list`")
    return Actor(door)


def iso(day) -> str | None:
    return day.isoformat() if day else None


def placed(exc, where: str | None):
    """The error with a location if it had none."""
    return exc.at(where) if where else exc


def parse_spec(spec: str, option: str = "--motivering", what: str = "TEKST") -> tuple[str, int | None, str]:
    from maatwerk.engine.errors import InputError
    match = SPEC.match(spec)
    if not match:
        example = "awb-4:84" if what == "GROND" else "Het tarief is hoger omdat …"
        raise InputError(f"{option} '{spec[:40]}' heeft niet de vorm KADER={what}", None, None,
                         f"bijv. {option} 'wmo.pgb.plafond={example}' of "
                         f"KADER@2={what} voor voorziening 2")
    n = match["n"]
    return match["kader"], int(n) if n else None, match["tekst"]


def split_kader(kader: str, voorziening: int | None) -> tuple[str, int | None]:
    """KADER@N is short for KADER --voorziening N."""
    name, at, n = kader.partition("@")
    if at and n.isdigit() and voorziening is None:
        return name, int(n)
    return kader, voorziening


# --- record ---------------------------------------------------------------------------------
@click.command(context_settings=CTX)
@click.argument("voorstel_paths", metavar="VOORSTEL...", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@by_option
@role_option
@click.option("--motivering", "specs", multiple=True, metavar="KADER[@N]=TEKST",
              help="Motivering bij een afwijking (herhaalbaar); @N voor voorziening N.")
@click.option("--grond", "gronden", multiple=True, metavar="KADER[@N]=GROND",
              help="Grond bij de --motivering voor dat kader (herhaalbaar), bijv. "
                   "wmo.pgb.plafond@1=awb-4:84.")
@db_option
@rulesets_option
@click.option("--ruleset", "ruleset_ref", metavar="REF",
              help="Toets tegen deze ruleset (id@versie) in plaats van die van de gemeente.")
@click.option("--peildatum", type=DATE, help="Peildatum (standaard uit het voorstel).")
@click.option("--team", envvar="MAATWERK_TEAM", metavar="NAAM",
              help="Team van de consulent, voor `audit report --by team` (ook MAATWERK_TEAM).")
@engine_option
@datum_option
@json_option
def record(voorstel_paths, door, rol, specs, gronden, db, rulesets_dir, ruleset_ref, peildatum, team,
           engine, datum, as_json):
    """Toets VOORSTEL en leg het besluit vast in het besluitenlog.

    Legt vast: het volledige voorstel, de ruleset (id, versie en inhoudshash; de
    inhoud zelf wordt in het log bewaard), de peildatum, de afwijkingen, en de
    motiveringen uit het voorstel en uit --motivering. maatwerk blokkeert niet: een
    besluit met open afwijkingen wordt vastgelegd en staat open tot motiveringen en
    akkoorden er zijn. Drukt het besluit-id af.

    Meer voorstellen tegelijk (een bulkimport uit een casussysteem) worden in één
    transactie vastgelegd: allemaal, of bij een fout geen enkele. Hetzelfde voorstel
    (zelfde id en inhoud) nog eens vastleggen geeft het bestaande besluit terug; een
    gewijzigd voorstel met hetzelfde id wordt een herziening die het vorige besluit
    noemt. --by moet een geregistreerde gebruiker met die rol zijn (zie `maatwerk
    gebruiker`); op PostgreSQL is de aangemelde gebruiker de auteur.

    \b
    Voorbeelden:
      maatwerk record voorstel.yaml --by c.jansen --role consulent
      maatwerk record voorstel.yaml --by c.jansen --role consulent \\
        --motivering 'iwmo.einddatum@1=Einddatum volgt na de herindicatie in juni' \\
        --grond iwmo.einddatum@1=awb-4:84
      maatwerk record voorstel.yaml --by c.jansen --role consulent --json --db log.db
      maatwerk record voorstel.yaml --by c.jansen --role consulent --team wijkteam-noord
      maatwerk record export/*.yaml --by c.jansen --role consulent --json
      maatwerk record voorstel.yaml --by c.jansen --role consulent --datum 2026-02-20
      MAATWERK_DB=postgresql://maatwerk@db/maatwerk maatwerk record voorstel.yaml --by c.jansen --role consulent
    """
    from maatwerk.engine.errors import InputError
    from maatwerk.engine.evaluate.check import check as run_check
    from .upgrade import opened

    from .check_cmd import prepared, source_name
    if (specs or gronden) and len(voorstel_paths) > 1:
        raise InputError("--motivering kan alleen bij één voorstel", None, None,
                         "zet motiveringen in de voorstellen zelf (motiveringen:) of leg ze apart vast")
    items = []
    for path in voorstel_paths:
        voorstel, day, eff, lines = prepared(path, rulesets_dir, peildatum, ruleset_ref)
        payload = record_payload(voorstel, run_check(eff, voorstel, day, engine=engine), eff, engine, team)
        motiveringen = record_motiveringen(payload.afwijkingen, voorstel, lines, source_name(path), specs,
                                     gronden)
        items.append((payload, eff.stored(), motiveringen, rol, iso(datum)))
    with opened(db, create=True) as store:
        actor = actor_for(store, door)
        items = [(p, inh, m, actor, r, d) for p, inh, m, r, d in items]
        besluiten = guarded(store.location, store.record_many, items)
        location = store.location
    if len(besluiten) == 1:
        _written(besluiten[0], "Besluit vastgelegd", location, as_json)
    elif as_json:
        emit_json({"besluiten": [b.id for b in besluiten], "aantal": len(besluiten)})
    else:
        for b in besluiten:
            click.echo(f"{b.id}  {b.status}")
        click.echo(f"{len(besluiten)} besluiten vastgelegd in {location}")


def record_payload(voorstel, toets, eff, engine: str, team: str | None):
    from maatwerk.engine.errors import InputError
    from maatwerk.engine.log.besluit import vastlegging
    from pydantic import ValidationError
    try:
        return vastlegging(voorstel, toets, eff, backend=engine, team=team)
    except ValidationError:
        raise InputError(f"--team '{team}' is geen geldige teamnaam", None, None,
                         "letters, cijfers, spatie, punt, streepje; hooguit 64 tekens") from None


def record_motiveringen(afwijkingen, voorstel, lines, where: str, specs, gronden) -> list:
    """The file's motiveringen and those of --motivering/--grond, under the rules `check`
    and `justify` apply; every problem at once, each with its file:line or option."""
    from maatwerk.engine.errors import Problem, RefusedError, line_of
    from maatwerk.engine.log.motiveringen import Concept, beoordeel
    concepts = [Concept(m.kader, m.voorziening, m.tekst, m.grond, "voorstel", where,
                        line_of(lines, ("motiveringen", i)))
                for i, m in enumerate(voorstel.motiveringen)]
    by_key = {}
    for spec in gronden:
        kader, n, grond = parse_spec(spec, "--grond", "GROND")
        by_key[(kader, n)] = grond
    for spec in specs:
        kader, n, tekst = parse_spec(spec)
        concepts.append(Concept(kader, n, tekst, by_key.pop((kader, n), None), "cli", "--motivering"))
    accepted, problems = beoordeel(afwijkingen, concepts, voorstel.wet)
    problems += [Problem(f"grond voor {k}{f'@{n}' if n else ''} zonder --motivering voor dat kader",
                         "--grond", None, "geef de motivering met --motivering KADER[@N]=TEKST")
                 for k, n in by_key]
    if problems:
        raise RefusedError(problems)
    return accepted


def guarded(location: str, fn, *args):
    from maatwerk.engine.errors import MaatwerkError
    try:
        return fn(*args)
    except MaatwerkError as exc:
        raise placed(exc, location) from None


def _written(besluit, what: str, location: str, as_json: bool, extra: dict | None = None) -> None:
    from maatwerk.engine.log.public import recorded_public

    from .log_render import written
    if as_json:
        emit_json(recorded_public(besluit, about=extra is not None))
    else:
        click.echo("\n".join(written(besluit, what, location)))


# --- justify and approve --------------------------------------------------------------------
@click.command(context_settings=CTX)
@click.argument("besluit")
@click.argument("kader")
@voorziening_option
@click.option("--tekst", required=True, help="De motivering: waarom hier wordt afgeweken.")
@click.option("--grond", metavar="GROND", help="Juridische grond: " + ", ".join(GRONDEN) + ".")
@by_option
@role_option
@db_option
@datum_option
@json_option
def justify(besluit, kader, voorziening, tekst, grond, door, rol, db, datum, as_json):
    """Voeg een motivering toe aan een afwijking (KADER) van BESLUIT.

    Alleen een kader dat in het besluit afwijkt kan een motivering krijgen. Een
    nieuwe motivering vervangt de vorige en vraagt dan opnieuw akkoord.
    Gronden: awb-4:84 (afwijken van beleidsregel, bijzondere omstandigheden),
    hardheidsclausule (van de verordening), wmo-2.3.5-lid-3 (maatwerk),
    jeugdwet-2.3 (passende jeugdhulp).

    \b
    Voorbeelden:
      maatwerk justify B-3f2a9c0d1e2b wmo.gebruikelijke-hulp.partner \\
        --tekst 'Partner is na een heupoperatie tot juni niet belastbaar' \\
        --grond awb-4:84 --by c.jansen --role consulent
      maatwerk justify B-3f2a9c0d1e2b iwmo.einddatum --voorziening 2 --tekst '…' --by c.jansen --role consulent --json
    """
    from .upgrade import opened
    with opened(db) as store:
        result = guarded(store.location, store.justify, besluit,
                          *split_kader(kader, voorziening), tekst, grond, actor_for(store, door),
                          rol, iso(datum))
        location = store.location
    _written(result, "Motivering vastgelegd", location, as_json, _about(result))


@click.command(context_settings=CTX)
@click.argument("besluit")
@click.argument("kader")
@voorziening_option
@by_option
@role_option
@db_option
@datum_option
@json_option
def approve(besluit, kader, voorziening, door, rol, db, datum, as_json):
    """Geef akkoord op de motivering bij een afwijking (KADER) van BESLUIT.

    Vier ogen: wie de motivering schreef, kan er geen akkoord op geven. Het akkoord
    vraagt precies de rol die het kader noemt (teamleider, gemandateerde of
    jurist), en u moet die rol nu hebben (zie `maatwerk gebruiker list`). Een
    afwijking die alleen een motivering vraagt, nog geen motivering heeft of
    waarvan de motivering is teruggestuurd, krijgt geen akkoord.

    \b
    Voorbeelden:
      maatwerk approve B-3f2a9c0d1e2b wmo.gebruikelijke-hulp.partner --by t.devries --role teamleider
      maatwerk approve B-3f2a9c0d1e2b wmo.pgb.plafond@2 --by m.bakker --role teamleider --json
    """
    from .upgrade import opened
    with opened(db) as store:
        result = guarded(store.location, store.approve, besluit,
                          *split_kader(kader, voorziening), actor_for(store, door), rol, iso(datum))
        location = store.location
    _written(result, "Akkoord vastgelegd", location, as_json, _about(result))


def written_report(besluit, what: str, location: str, as_json: bool) -> None:
    """The report after an event on one afwijking (justify, approve, review)."""
    _written(besluit, what, location, as_json, _about(besluit))


def _about(besluit) -> dict:
    last = besluit.events[-1]
    return {"kader": last.payload["kader"], "voorziening": last.payload.get("voorziening")}


# --- show and list --------------------------------------------------------------------------
@click.command(context_settings=CTX)
@click.argument("besluit")
@db_option
@json_option
def show(besluit, db, as_json):
    """Toon BESLUIT: voorstel, vastgepinde ruleset, afwijkingen met wat ze vereisen,
    motiveringen, akkoorden, terugsturingen, meelees-verzoeken en opmerkingen,
    geschiedenis, herziening en status.

    \b
    Voorbeelden:
      maatwerk show B-3f2a9c0d1e2b
      maatwerk show B-3f2a9c0d1e2b --json --db /srv/maatwerk/log.db
    """
    from .upgrade import opened

    from .log_render import besluit_public, show_text
    with opened(db) as store:
        found = guarded(store.location, store.besluit, besluit)
    if as_json:
        emit_json(besluit_public(found))
    else:
        click.echo("\n".join(show_text(found)))
