"""`maatwerk ruleset`: list, show, validate, test, diff rulesets and write a new version."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .options import DATE, catalog, emit_json, engine_option, json_option, rulesets_option
from .render import table

CTX = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CTX)
def ruleset() -> None:
    """Bekijk, valideer en test rulesets (kaders van wet en gemeente).

    \b
    Voorbeelden:
      maatwerk ruleset list
      maatwerk ruleset show gm0344-wmo@2016.1
      maatwerk ruleset validate rulesets/
      maatwerk ruleset test
      maatwerk ruleset diff gm0847-wmo@2024.1 gm0847-wmo@2024.2
    """


@ruleset.command("list", context_settings=CTX)
@rulesets_option
@json_option
def list_(rulesets_dir, as_json):
    """Alle rulesets in de map, met geldigheid en aantal kaders.

    \b
    Voorbeelden:
      maatwerk ruleset list
      maatwerk ruleset list --json --rulesets ./mijn-gemeente
    """
    from maatwerk.engine.evaluate.overview import ruleset_rows
    cat = catalog(rulesets_dir)
    rows = ruleset_rows(cat)
    if as_json:
        emit_json(rows)
        return
    body = [[r["ref"], f"{r['authority_name']} ({r['authority']})", r["law"], r["extends"] or "-",
             r["valid_from"], r["valid_until"] or "-", str(r["kaders"])] for r in rows]
    click.echo("\n".join(table(["REF", "AUTORITEIT", "WET", "BASIS", "GELDIG VANAF", "GELDIG TOT",
                                "KADERS"], body)))
    for p in cat.problems:
        click.echo(f"Let op: {p.render()}", err=True)


@ruleset.command(context_settings=CTX)
@click.argument("ref")
@rulesets_option
@json_option
def show(ref, rulesets_dir, as_json):
    """Alle kaders en parameters van ruleset REF (id@versie), met hun grondslag.

    Voor een gemeente staan de kaders van de wettelijke basis erbij (op de
    eerste dag van de geldigheid).

    \b
    Voorbeelden:
      maatwerk ruleset show wmo2015@2026.1
      maatwerk ruleset show gm0344-wmo@2016.1 --json
    """
    from maatwerk.engine.evaluate.overview import ruleset_detail
    cat = catalog(rulesets_dir)
    data = ruleset_detail(cat, ref)
    f = cat.by_ref(ref)
    eff = cat.effective(f, f.ruleset.geldig_vanaf)
    if as_json:
        emit_json(data)
        return
    click.echo("\n".join(_show_text(f.ruleset, eff, data)))


def _show_text(rs, eff, data) -> list[str]:
    from maatwerk.engine.model import dutch
    out = [f"{rs.titel}", f"{rs.ref} · {rs.autoriteit.naam} · {rs.wet} · geldig vanaf "
           f"{dutch.date(rs.geldig_vanaf)}" + (f" t/m {dutch.date(data['valid_until'])}"
                                               if data["valid_until"] else ""),
           f"sha256 {eff.sha256}", "", "Kaders"]
    need = lambda v: "correctie" if v.get("correctie") else v.get("akkoord") or "motivering"
    rows = [[k["id"], k["niveau"], k["bron_status"] or "onbekend", need(k["vereist"]),
             k["ruleset"], _cite(k["grondslag"])] for k in data["kaders"]]
    out += table(["ID", "NIVEAU", "HERKOMST", "VEREIST", "RULESET", "GRONDSLAG"], rows, indent="  ")
    out += ["", "Parameters"]
    for name, p in data["parameters"].items():
        mark = " [voorbeeldwaarde]" if p["voorbeeld"] else ""
        out.append(f"  {name} ({p['eenheid'] or '-'}): {p['omschrijving']}{mark}")
        for w in p["waarden"]:
            value = w["waarde"]
            shown = f"tabel met {len(value)} rijen" if isinstance(value, list) and value and \
                isinstance(value[0], dict) else dutch.value(value, p["eenheid"])
            out.append(f"    vanaf {w['vanaf']}: {shown}")
    return out


def _cite(g: dict) -> str:
    from maatwerk.engine.model.findings import Grondslag
    return Grondslag(**g).citation()


def _paths(paths: tuple[Path, ...], rulesets_dir: Path | None) -> tuple[Path, list[Path] | None]:
    from maatwerk.engine.rules.catalog import bundled_folder, ruleset_paths
    folder = rulesets_dir or bundled_folder()
    if not paths:
        return folder, None
    files: list[Path] = []
    for p in paths:
        files += ruleset_paths(p) if p.is_dir() else [p]
    return folder, files


@ruleset.command(context_settings=CTX)
@click.argument("paths", metavar="[PAD]...", nargs=-1, type=click.Path(path_type=Path))
@rulesets_option
def validate(paths, rulesets_dir):
    """Valideer rulesets: schema, verwijzingen, geldigheid, extends.

    Zonder PAD: de hele rulesetmap. Een bestand wordt gecontroleerd samen met de
    rulesets in de map (voor extends en overlappende geldigheid). Alle problemen
    komen tegelijk, elk als bestand:regel: wat; hoe op te lossen.

    \b
    Voorbeelden:
      maatwerk ruleset validate
      maatwerk ruleset validate mijn-gemeente/2026-01-01.yaml --rulesets rulesets/
    """
    from maatwerk.engine.errors import RulesetError
    folder, files = _paths(paths, rulesets_dir)
    _, checked = _combined(folder, files)
    if not checked:             # an empty folder (or a typo in the path) is not "OK"
        where = ", ".join(str(p) for p in paths) or str(folder)
        raise RulesetError("geen rulesets gevonden (geen .yaml-bestanden)", where, None,
                           "geef een map met rulesets/<autoriteit>/<geldig_vanaf>.yaml of een "
                           "rulesetbestand")
    n = sum(len(f.ruleset.kaders) for f in checked)
    click.echo(f"OK: {len(checked)} ruleset(s), {n} kaders, geen problemen.")


def _combined(folder: Path, files: list[Path] | None):
    """(catalog, files to check): without PATHs the whole folder; with PATHs those files,
    placed in the folder's catalog (in place of their namesakes) for extends and overlaps.
    Problems in the files to check raise; problems elsewhere in the folder do not."""
    from maatwerk.engine.errors import RulesetError
    from maatwerk.engine.rules.catalog import Catalog, bundled_folder, ruleset_paths
    bases = bundled_folder()
    if files is None:
        cat = Catalog.load(folder, strict=True, bases=bases)
        return cat, [f for f in cat.files if Path(f.file).absolute().is_relative_to(folder.absolute())]
    chosen = Catalog.load(folder, strict=False, paths=files)
    if chosen.problems:
        raise RulesetError(chosen.problems)
    names = {Path(f.file).resolve() for f in chosen.files}
    refs = {f.ruleset.ref for f in chosen.files}
    others = [p for p in ruleset_paths(folder) if p.resolve() not in names] if folder.is_dir() else []
    context = Catalog.load(folder, strict=False, paths=others, bases=bases)
    merged = Catalog(str(folder), chosen.files + [f for f in context.files if f.ruleset.ref not in refs])
    own = {f.file for f in chosen.files}
    problems = [p for p in merged.cross_check() if p.file in own]
    if problems:
        raise RulesetError(problems)
    return merged, chosen.files


@ruleset.command("test", context_settings=CTX)
@click.argument("paths", metavar="[PAD]...", nargs=-1, type=click.Path(path_type=Path))
@rulesets_option
@engine_option
@json_option
def test_(paths, rulesets_dir, engine, as_json):
    """Draai de voorbeeldgevallen van elke ruleset en toon wat faalt.

    Per kader: een geval waarin het afwijkt en een geval op de grens waarin het
    niet afwijkt; per ruleset: gevallen met precies de verwachte afwijkingen.
    Een voorbeeld met een peildatum buiten de geldigheid van zijn versie faalt (het
    test die versie niet), en elke eigen parameterwaarde die in de periode geldt
    moet door een voorbeeld gelezen worden, anders: "niet getest: NAAM vanaf DATUM".

    \b
    Voorbeelden:
      maatwerk ruleset test
      maatwerk ruleset test rulesets/gm0344-utrecht --engine python
    """
    from maatwerk.engine.errors import MaatwerkError
    from maatwerk.engine.model import dutch
    results, untested = run_examples(paths, rulesets_dir, engine)
    failed = [r for r in results if not r.ok]
    gaps = sum(len(names) for names in untested.values())
    if as_json:
        emit_json({"voorbeelden": [r.__dict__ | {"peildatum": r.peildatum and r.peildatum.isoformat()}
                                   for r in results], "niet_getest": untested})
    else:
        for r in results:
            mark = "ok  " if r.ok else "FOUT"
            click.echo(f"{mark} {r.ruleset} {r.kader or '(ruleset)'}: {r.naam} — {r.detail}")
        for ref, names in untested.items():
            click.echo("\n".join(f"FOUT {ref}: niet getest: {name}" for name in names))
        click.echo(f"{len(results) - len(failed)} van {len(results)} voorbeelden geslaagd"
                   + (f"; {dutch.count(gaps, 'parameterwaarde', 'parameterwaarden')} niet getest."
                      if gaps else "."))
    if failed or gaps:
        parts = ([f"{dutch.count(len(failed), 'voorbeeld', 'voorbeelden')} gefaald"] if failed else []) \
            + ([f"{dutch.count(gaps, 'parameterwaarde', 'parameterwaarden')} niet getest"] if gaps else [])
        raise MaatwerkError(", ".join(parts), hint="zie de regels met FOUT; een waarde is getest als een "
                                                   "voorbeeld met een peildatum waarop ze geldt haar leest")


def run_examples(paths, rulesets_dir, engine: str):
    from maatwerk.engine.evaluate.check import afwijkingen
    from maatwerk.engine.rules.examples import run_all, untested_values
    from maatwerk.engine.rules.load import read_voorstel
    folder, files = _paths(paths, rulesets_dir)
    cat, checked = _combined(folder, files)
    evaluate = lambda eff, v, d: afwijkingen(eff, v, d, engine)
    results, untested = [], {}
    for f in checked:
        effective = lambda d, f=f: cat.effective(f, d)
        loader = lambda rel, f=f: read_voorstel(Path(f.file).parent / rel)
        period = (f.ruleset.geldig_vanaf, cat.until(f))
        found = run_all(f, effective, evaluate, loader, period)
        results += found
        if missing := untested_values(f, period, found, effective):
            untested[f.ruleset.ref] = missing
    return results, untested


@ruleset.command(context_settings=CTX)
@click.argument("old_ref", metavar="REF")
@click.argument("new_ref", metavar="REF")
@rulesets_option
@json_option
def diff(old_ref, new_ref, rulesets_dir, as_json):
    """Wat verandert er van ruleset REF naar REF: kader voor kader, parameter voor parameter.

    Kaders worden gevolgd op hun vaste id; per kader staat wat wijzigde
    (voorwaarde, melding, grondslag, vereist akkoord), per parameter elke waarde
    die op een datum begint, stopt of verandert.

    \b
    Voorbeelden:
      maatwerk ruleset diff gm0847-wmo@2024.1 gm0847-wmo@2024.2
      maatwerk ruleset diff gm0344-wmo@2015.1 gm0344-wmo@2016.1 --json
    """
    from maatwerk.engine.rules.diff import diff as run_diff
    from maatwerk.engine.rules.diff import render
    cat = catalog(rulesets_dir)
    result = run_diff(cat.by_ref(old_ref).ruleset, cat.by_ref(new_ref).ruleset)
    if as_json:
        emit_json(result)
    else:
        click.echo("\n".join(render(result)))


@ruleset.command("nieuwe-versie", context_settings=CTX)
@click.argument("ref")
@click.option("--vanaf", type=DATE, required=True, help="Eerste dag van de nieuwe versie (JJJJ-MM-DD).")
@click.option("--versie", default=None, help="Versienummer; standaard afgeleid (2024.2 → 2026.1).")
@rulesets_option
@json_option
def nieuwe_versie(ref, vanaf, versie, rulesets_dir, as_json):
    """Schrijf de volgende versie van ruleset REF, geldig vanaf --vanaf.

    Het gepubliceerde bestand blijft ongewijzigd: een versie geldt tot de volgende
    begint (geldig_tot alleen bij intrekking). De nieuwe versie krijgt de kaders,
    parameters en voorbeelden van REF; de data in de voorbeelden schuiven mee, zodat
    ze in de nieuwe periode vallen. Het bestand komt naast dat van REF als
    <vanaf>.yaml en wordt meteen gevalideerd tegen de map. Pas daarna de waarden
    aan (een nieuwe waarde met vanaf: <datum>) en draai `maatwerk ruleset test`.

    \b
    Voorbeelden:
      maatwerk ruleset nieuwe-versie gm0847-wmo@2024.2 --vanaf 2026-01-01 --rulesets ./someren
      maatwerk ruleset nieuwe-versie gm0847-wmo --vanaf 2026-01-01 --versie 2026.1 --json
    """
    from maatwerk.engine.rules.catalog import bundled_folder
    cat = catalog(rulesets_dir)
    f = cat.by_ref(ref)
    target, versie, days = _write_next(cat, f, vanaf, versie)
    try:
        _combined(rulesets_dir or bundled_folder(), [target])
    except Exception:
        target.unlink()
        raise
    rs = f.ruleset
    data = {"ref": f"{rs.id}@{versie}", "file": str(target), "valid_from": vanaf.isoformat(),
            "previous": rs.ref, "previous_until": (vanaf - dt.timedelta(days=1)).isoformat(),
            "examples_moved_days": days}
    if as_json:
        emit_json(data)
        return
    click.echo(f"Geschreven: {target} ({data['ref']}, geldig vanaf {vanaf}); {rs.ref} geldt nu "
               f"t/m {data['previous_until']}, het bestand is niet gewijzigd.")
    click.echo(f"De data in de voorbeelden zijn {days} dagen verschoven. Pas titel en waarden aan "
               f"(een nieuwe waarde met vanaf: {vanaf}) en draai `maatwerk ruleset test {target}`.")


def _write_next(cat, f, vanaf: dt.date, versie: str | None):
    """Write the next version's file beside f's; refuse anything that would overwrite."""
    from maatwerk.engine.errors import MaatwerkError
    from maatwerk.engine.rules.load import parse_file, read_text
    from maatwerk.engine.rules.versions import next_version_text, next_versie
    rs = f.ruleset
    latest = cat.family(rs.id)[-1]
    if latest is not f:
        raise MaatwerkError(f"{rs.ref} is niet de laatste versie", f.file, None,
                            f"schrijf de nieuwe versie uit {latest.ruleset.ref}")
    if vanaf <= rs.geldig_vanaf:
        raise MaatwerkError(f"--vanaf {vanaf} ligt niet na het begin van {rs.ref} ({rs.geldig_vanaf})",
                            f.file, None, "kies een latere datum")
    versie = versie or next_versie(rs.versie, vanaf)
    if any(g.ruleset.id == rs.id and g.ruleset.versie == versie for g in cat.files):
        raise MaatwerkError(f"versie {rs.id}@{versie} bestaat al", f.file, None, "kies een andere --versie")
    source = Path(f.file)
    target = source.parent / f"{vanaf.isoformat()}.yaml"
    data, lines = parse_file(source)
    text = next_version_text(read_text(source), data, lines, rs.geldig_vanaf, vanaf, versie)
    note = (f"# {rs.id}@{versie}, geldig vanaf {vanaf}: geschreven uit {rs.ref} door `maatwerk ruleset "
            f"nieuwe-versie`.\n# Pas titel, toelichting en waarden aan; {rs.ref} geldt tot deze versie begint.\n")
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(note + text)
    except FileExistsError:
        raise MaatwerkError("bestand bestaat al", str(target), None,
                            "kies een andere --vanaf of verwijder het bestand eerst") from None
    except OSError as exc:
        raise MaatwerkError(f"kan niet schrijven: {exc.strerror}", str(target), None,
                            "kies een map waarin u mag schrijven (--rulesets)") from None
    return target, versie, (vanaf - rs.geldig_vanaf).days
