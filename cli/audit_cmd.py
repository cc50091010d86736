"""`maatwerk audit`: verify the log, replay besluiten, impact of a ruleset, report, export.

Audit opens the log read-only (no migrations). Exit 3 when the chain is broken or
a replay differs; a log that cannot be read at all is reported the same way.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import audit_render
from .log_cmd import db_option
from .options import (
    DATE,
    TIJDSTIP,
    catalog,
    emit_json,
    json_option,
    now,
    rulesets_option,
)

CTX = {"help_option_names": ["-h", "--help"]}
engine_option = click.option(
    "--engine", type=click.Choice(["auto", "columnar", "python", "durable"]), default="auto",
    show_default=True,
    help="Backend voor het herberekenen: auto kiest columnar (kolommen, veel besluiten tegelijk) "
         "vanaf 2.000 besluiten en anders python; de differentiële test waarborgt dat alle "
         "backends gelijk uitkomen.")


@click.group(context_settings=CTX)
def audit() -> None:
    """Controleer en leer van het besluitenlog: keten, replay, impact, rapport, export.

    \b
    Voorbeelden:
      maatwerk audit verify
      maatwerk audit replay --all
      maatwerk audit impact --ruleset gm0847-wmo@2024.2 --since 2024-01-01
      maatwerk audit report --by kader --html rapport.html
      maatwerk audit export --jsonl --mask client.geboortedatum > log.jsonl
    """


def _open(db: str):
    """The store, read-only; a log that cannot be opened as one is an audit failure (exit 3)."""
    from maatwerk.engine.errors import AuditFailure, MaatwerkError, NotFoundError
    from maatwerk.engine.log.store.open import open_store
    try:
        return open_store(db, create=False, migrate=False)
    except NotFoundError:
        raise
    except MaatwerkError as exc:
        p = exc.first
        raise AuditFailure(f"het log kan niet gelezen worden: {p.what}", p.file or db, p.line,
                           p.hint) from exc


@audit.command(context_settings=CTX)
@db_option
@click.option("--kop", metavar="SEQ:HASH",
              help="Laatst bekende kop van de keten (uit een eerdere verify): vangt ook een "
                   "afgeknipte staart.")
@click.option("--processen", type=click.IntRange(1, 64), default=None,
              help="Aantal processen, elk voor een deel van de keten [standaard: alle kernen].")
@json_option
def verify(db, kop, processen, as_json):
    """Herbereken de hashketen; exit 3 en de eerste gebroken gebeurtenis als iets is gewijzigd.

    Vindt gewijzigde, verwijderde, ingevoegde en verwisselde gebeurtenissen, en
    opgeslagen ruleset-inhoud die niet meer bij haar hash past. Noteer de kop
    (SEQ:HASH) die verify drukt: met --kop vindt een latere verify ook een log
    waarvan het einde is weggeknipt.

    \b
    Voorbeelden:
      maatwerk audit verify
      maatwerk audit verify --db postgresql://auditor@db/maatwerk --json
      maatwerk audit verify --kop 1200:3f5a9c0d1e2b4a6f…   (de volledige kop, minstens 16 hexcijfers)
      maatwerk audit verify --processen 2          (twee processen, elk een deel van de keten)
    """
    from maatwerk.engine.audit.verify import verify_log
    with _open(db) as store:
        result = verify_log(store, kop, db, processen or min(os.cpu_count() or 1, 8))
    if as_json:
        emit_json(result)
    else:
        from maatwerk.engine.model import dutch
        click.echo(f"Keten intact: {dutch.count(result['gebeurtenissen'], 'gebeurtenis', 'gebeurtenissen')}, "
                   f"{dutch.count(result['besluiten'], 'besluit', 'besluiten')}, "
                   f"{dutch.count(result['rulesets'], 'ruleset', 'rulesets')}.")
        click.echo(f"Kop: {result['kop']} (bewaar deze voor een volgende verify --kop)")


@audit.command(context_settings=CTX)
@click.argument("besluit", required=False)
@click.option("--all", "alles", is_flag=True, help="Alle besluiten in het log.")
@db_option
@engine_option
@click.option("--processen", type=click.IntRange(1, 64), default=None,
              help="Aantal processen voor --all, elk voor een blok besluiten "
                   "[standaard: alle kernen].")
@json_option
def replay(besluit, alles, db, engine, processen, as_json):
    """Herbereken besluiten met hun vastgelegde ruleset; exit 3 bij elk verschil.

    De ruleset komt uit het log (op inhoudshash), nooit uit bestanden. Vergelijkt
    elke afwijking: kader, voorziening, waargenomen waarde, grens, melding,
    grondslag, niveau en vereist. Meldt het als de engine-versie verschilt.

    \b
    Voorbeelden:
      maatwerk audit replay B-3f2a9c0d1e2b
      maatwerk audit replay --all --processen 1   (in één proces; standaard alle kernen)
      maatwerk audit replay --all --engine durable --json
    """
    from maatwerk.engine.audit.verify import replay_log
    from maatwerk.engine.errors import AuditFailure, InputError
    if bool(besluit) == bool(alles):
        raise InputError("geef één BESLUIT of --all", None, None, "zie `maatwerk audit replay -h`")
    with _open(db) as store:
        result = replay_log(store, None if alles else besluit, engine,
                            processen or min(os.cpu_count() or 1, 8), db)
    if as_json:
        emit_json(result)
    else:
        for line in audit_render.replay_text(result):
            click.echo(line)
    if result["verschillend"]:
        raise AuditFailure(f"{result['verschillend']} van {result['besluiten']} besluiten geven bij "
                           f"replay andere afwijkingen", db, None,
                           "zie de verschillen hierboven; controleer engine-versie en log")




@audit.command(context_settings=CTX)
@click.option("--ruleset", "ref", required=True, metavar="REF",
              help="De ruleset-versie (id@versie) om de besluiten tegen te houden.")
@click.option("--since", type=DATE, help="Alleen besluiten met peildatum vanaf deze datum.")
@click.option("--until", type=DATE, help="Alleen besluiten met peildatum tot en met deze datum.")
@db_option
@rulesets_option
@engine_option
@click.option("--processen", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Aantal processen, elk voor een deel van het log (de opgeslagen feitblokken "
                   "om beurten; sneller op een vrije kern).")
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Uitvoer als CSV voor een Nederlandse "
              "spreadsheet (puntkomma, decimale komma, UTF-8 met BOM), één regel per wijziging.")
@click.option("--xlsx", "xlsx_path", type=click.Path(path_type=Path), metavar="BESTAND",
              help="Schrijf een Excel-werkmap (.xlsx), één regel per wijziging.")
@click.option("--parameter", "concept", metavar="NAAM=WAARDE",
              help="Concept: REF met deze parameterwaarde (zonder een bestand te schrijven).")
@click.option("--vanaf", type=DATE, help="Met --parameter: de conceptwaarde geldt vanaf deze datum "
                                          "(standaard de eerste dag van REF).")
def impact(ref, since, until, db, rulesets_dir, engine, processen, as_json, as_csv, xlsx_path, concept,
           vanaf):
    """Wat had ruleset REF betekend voor de vastgelegde besluiten?

    Toetst elk voorstel opnieuw op zijn eigen peildatum, met de parameters van REF
    op die datum (of op de eerste dag van REF, voor besluiten van daarvoor), en
    meldt per besluit en per kader: nieuw afwijkend, niet meer afwijkend, grens of
    waargenomen waarde gewijzigd, en welke gemotiveerde afwijkingen nu binnen de
    kaders zouden vallen. Zo ziet een gemeente wat een beleidswijziging betekent
    voordat zij haar vaststelt.

    \b
    Voorbeelden:
      maatwerk audit impact --ruleset gm0847-wmo@2024.2
      maatwerk audit impact --ruleset gm0344-wmo@2016.1 --since 2016-01-01 --csv > impact.csv
      maatwerk audit impact --ruleset gm0344-wmo@2016.1 --parameter hbh_norm_basis=3,5 --vanaf 2026-01-01
      maatwerk audit impact --ruleset gm0847-wmo@2024.2 --xlsx impact.xlsx
      maatwerk audit impact --ruleset gm0847-wmo@2024.2 --processen 2   (twee processen)
    """
    from maatwerk.engine.audit.verify import impact_log
    cat = catalog(rulesets_dir)
    draft = _draft(cat, ref, concept, vanaf)
    with _open(db) as store:
        result = impact_log(store, cat, ref, since, until, engine, processen, draft, db)
    _with_units(result, cat, ref)
    if xlsx_path:
        from .tabular import write_xlsx
        table = audit_render.impact_table(result)
        _saved(xlsx_path, lambda: write_xlsx(xlsx_path, [("impact", *table)]))
    elif as_csv:
        from .tabular import csv_text
        click.echo(csv_text(*audit_render.impact_table(result)), nl=False)
    elif as_json:
        emit_json(result)
    else:
        for line in audit_render.impact_text(result):
            click.echo(line)


def _with_units(result: dict, cat, ref: str) -> None:
    """The unit of each kader's waargenomen and grens (from REF) next to the values."""
    target = cat.by_ref(ref)
    eff = cat.effective(target, target.ruleset.geldig_vanaf)
    units = {c.kader.id: getattr(c.waargenomen, "unit", None) or getattr(c.grens, "unit", None)
             for c in eff.kaders}
    for item in result["per_besluit"]:
        for w in item["wijzigingen"]:
            for side in (w["was"], w["wordt"]):
                if side is not None:
                    side["eenheid"] = units.get(w["kader"])


def _draft(cat, ref: str, concept: str | None, vanaf):
    """The draft of --parameter NAAM=WAARDE [--vanaf DATUM], or None."""
    from maatwerk.engine.audit.draft import parse_value, with_parameter
    from maatwerk.engine.errors import InputError
    if concept is None:
        if vanaf is not None:
            raise InputError("--vanaf hoort bij --parameter", None, None,
                             "geef ook --parameter NAAM=WAARDE")
        return None
    name, eq, text = concept.partition("=")
    if not eq or not name.strip():
        raise InputError(f"--parameter '{concept}' heeft niet de vorm NAAM=WAARDE", None, None,
                         "bijvoorbeeld --parameter hbh_norm_basis=3,5")
    target = cat.by_ref(ref)
    day = vanaf or target.ruleset.geldig_vanaf
    eff = cat.effective(target, day)
    return with_parameter(name.strip(), parse_value(eff, name.strip(), text.strip()), day)








def _saved(path: Path, write) -> None:
    """Write a file; a folder that does not exist or a full disk is one Dutch line, exit 1."""
    from maatwerk.engine.errors import InputError, os_reason
    try:
        write()
    except OSError as exc:
        raise InputError(f"kan het bestand niet schrijven: {os_reason(exc)}", str(path), None,
                         "kies een pad in een bestaande, schrijfbare map") from None
    click.echo(f"Geschreven: {path}")


@audit.command(context_settings=CTX)
@click.option("--by", "by", type=click.Choice(["kader", "maand", "team", "consulent"]),
              default="kader", show_default=True, help="Waarop groeperen.")
@db_option
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Uitvoer als CSV voor een Nederlandse "
              "spreadsheet (puntkomma, decimale komma, UTF-8 met BOM).")
@click.option("--xlsx", "xlsx_path", type=click.Path(path_type=Path), metavar="BESTAND",
              help="Schrijf een Excel-werkmap (.xlsx).")
@click.option("--html", "html_path", type=click.Path(path_type=Path), metavar="BESTAND",
              help="Schrijf een zelfstandig HTML-rapport (grafieken in SVG, geen scripts).")
@click.option("--van", type=DATE, help="Alleen besluiten vastgelegd vanaf deze datum.")
@click.option("--tot", type=DATE, help="Alleen besluiten vastgelegd tot en met deze datum.")
@click.option("--gemeente", metavar="CODE", help="Alleen besluiten van deze gemeente (bijv. gm0344).")
@click.option("--team", metavar="NAAM", help="Alleen besluiten van dit team (record --team).")
@click.option("--wet", type=click.Choice(["wmo2015", "jeugdwet"]), help="Alleen besluiten onder deze wet.")
@click.option("--tijdstip", type=TIJDSTIP, metavar="TIJDSTIP",
              help="Tijdstip in het rapport in plaats van de klok.")
def report(by, db, as_json, as_csv, xlsx_path, html_path, van, tot, gemeente, team, wet, tijdstip):
    """Van welke kaders wijkt de praktijk af, hoe vaak gemotiveerd, op welke gronden?

    Per kader (met zijn titel; of per maand, team, consulent): voor hoeveel
    besluiten het gold, hoeveel daarvan afweken en welk aandeel, het aantal
    afwijkingen, het aandeel gemotiveerd (motivering plus het vereiste akkoord), de
    gebruikte gronden en de mediane tijd van besluit tot akkoord. De filters
    (--van, --tot, --gemeente, --team, --wet) gelden voor elk formaat.

    \b
    Voorbeelden:
      maatwerk audit report
      maatwerk audit report --gemeente gm0344 --van 2026-01-01 --tot 2026-03-31
      maatwerk audit report --by maand --csv > per-maand.csv
      maatwerk audit report --by team --wet jeugdwet --xlsx rapport.xlsx
      maatwerk audit report --by team --html rapport.html
    """
    from maatwerk.engine.audit.report import Filter, totals
    chosen = Filter(van, tot, gemeente, team, wet)
    with _open(db) as store:
        groups, n, afwijkend = _report_groups(store, by, chosen)
        location = store.location
    rows = [g.public() for g in groups]
    if xlsx_path:
        from .tabular import write_xlsx
        table = audit_render.report_table(rows, by)
        _saved(xlsx_path, lambda: write_xlsx(xlsx_path, [(f"per {by}", *table)]))
    elif html_path:
        from maatwerk.engine.audit.report_html import render
        html = render(groups, by, location, now(tijdstip), n, chosen.describe())
        try:
            html_path.write_text(html, encoding="utf-8")
        except OSError as exc:
            from maatwerk.engine.errors import InputError, os_reason
            raise InputError(f"kan het rapport niet schrijven: {os_reason(exc)}", str(html_path),
                             None, "kies een pad in een bestaande, schrijfbare map") from None
        click.echo(f"Rapport geschreven: {html_path} ({len(groups)} groepen)")
    elif as_csv:
        from .tabular import csv_text
        click.echo(csv_text(*audit_render.report_table(rows, by)), nl=False)
    elif as_json:
        from maatwerk.engine.audit.report import public
        emit_json(public(groups, by, chosen, n, afwijkend))
    else:
        lines = audit_render.report_text(rows, by, totals(groups), n, afwijkend,
                                         chosen.describe())
        click.echo("\n".join(lines))


def _report_groups(store, by: str, chosen) -> tuple[list, int, int]:
    """(groups, besluiten, afwijkend): summed in the database on the log's index; a log from
    before the index (opened read-only, never migrated here) is read besluit by besluit."""
    from maatwerk.engine.audit.report import from_log, kader_titles
    from maatwerk.engine.audit.report import report as build
    if store.indexed():
        return from_log(store, by, chosen)
    from maatwerk.engine.audit.verify import read_besluiten    # numpy and the backends: only here
    besluiten = [b for b in read_besluiten(store) if chosen.keeps(b)]
    kaders = kader_titles(store, besluiten) if by == "kader" else None
    return build(besluiten, by, kaders), len(besluiten), sum(1 for b in besluiten if b.standen)


@audit.command(context_settings=CTX)
@click.option("--jsonl", is_flag=True, default=True, help="JSON lines (standaard).")
@click.option("--parquet", "parquet_dir", type=click.Path(path_type=Path, file_okay=False),
              metavar="MAP", help="Schrijf de feitenkolommen als Parquet, per gemeente en jaar "
                                  "(voor DuckDB, Polars, Spark of Dask).")
@click.option("--mask", "masks", multiple=True, metavar="PAD",
              help="Maskeer (herhaalbaar): een veld van het voorstel (client.geboortedatum, "
                   "onderzoek.*, voorzieningen.2.tarief), 'door' (elke gebruikersnaam), "
                   "'motivering.tekst' (motivering, opmerking, reden van terugsturen) of "
                   "'motivering.tekst:KADER'. Wat ervan is afgeleid wordt ook gemaskeerd.")
@click.option("--sleutel-bestand", "key_file", metavar="BESTAND",
              type=click.Path(path_type=Path, dir_okay=False),
              help="Sleutel van de gemeente (minstens 32 bytes) voor de HMAC die hash, prev en "
                   "besluit-id vervangt; zonder sleutel een willekeurige die na de export "
                   "vergeten wordt.")
@click.option("--output", "-o", type=click.Path(path_type=Path), metavar="BESTAND",
              help="Schrijf naar een bestand in plaats van standaarduitvoer.")
@db_option
def export(jsonl, masks, parquet_dir, key_file, output, db):
    """Het log als JSON lines voor archivering, met gekozen inhoud gemaskeerd (AVG).

    Zonder --mask is elke regel één gebeurtenis zoals opgeslagen. Met --mask wordt
    het veld "***", en ook alles wat ervan is afgeleid (waargenomen waarde, grens,
    melding en uitleg van afwijkingen waarvan het kader het veld leest, de
    peildatum uit gemaskeerde procedure-data). Een gemaskeerde regel houdt geen
    hash van de oorspronkelijke inhoud: hash, prev, besluit-id en elke verwijzing
    naar een motivering worden een HMAC onder een sleutel. Elke regel noemt wat gemaskeerd
    is. Een gemaskeerde export is niet te verifiëren: bewaar daarvoor het log zelf.

    \b
    Voorbeelden:
      maatwerk audit export --jsonl > log.jsonl
      maatwerk audit export --mask client.geboortedatum --mask 'onderzoek.*' -o log-avg.jsonl
      maatwerk audit export --mask motivering.tekst --sleutel-bestand gemeente.sleutel
      maatwerk audit export --parquet feiten/ --mask 'onderzoek.*'
    """
    import json
    import secrets

    from maatwerk.engine.audit.export import Exporter
    from maatwerk.engine.audit.masks import parse, valid_forms
    from maatwerk.engine.errors import UsageError
    try:
        checked = parse(list(masks))
    except ValueError as exc:
        raise UsageError(f"--mask '{exc}' noemt geen veld van het voorstel, geen 'door' en geen "
                         "motivering", None, None,
                         "geldige paden: " + ", ".join(valid_forms())) from None
    if parquet_dir is not None:
        from .export_io import export_parquet
        return export_parquet(_open, db, parquet_dir, checked)
    from .export_io import read_key
    key = read_key(key_file) if key_file else secrets.token_bytes(32)
    with _open(db) as store:
        exporter = Exporter(checked, key, store.ruleset)
        stream = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            n = 0
            for row in store.rows():
                stream.write(json.dumps(exporter.line(row), ensure_ascii=False, sort_keys=True)
                             + "\n")
                n += 1
        finally:
            if output:
                stream.close()
    if output:
        click.echo(f"{n} gebeurtenissen geschreven naar {output}")
