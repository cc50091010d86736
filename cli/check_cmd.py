"""`maatwerk check`: every afwijking of a voorstel, with its source; never blocks."""

from __future__ import annotations

from pathlib import Path

import click

from .options import (
    DATE,
    catalog,
    emit_json,
    engine_option,
    json_option,
    rulesets_option,
)
from .render import shown, table, voorziening_title

STRICT_EXIT = 4


def prepare(voorstel_path: Path, rulesets_dir: Path | None, peildatum, ruleset_ref: str | None,
            kind=None):
    """Read the voorstel, find its peildatum and the effective ruleset.

    When no ruleset fits the voorstel, the error names the voorstel's line that
    chose it: its gemeente, or the date the peildatum came from.
    """
    from maatwerk.engine.errors import MaatwerkError, Problem, line_of
    from maatwerk.engine.rules.load import read_voorstel_lines
    voorstel, lines = read_voorstel_lines(voorstel_path, *([kind] if kind else []))
    if peildatum:
        from maatwerk.engine.rules.load import check_births
        check_births(voorstel, peildatum, str(voorstel_path), lines)
    try:
        peildatum, eff = catalog(rulesets_dir).prepare(voorstel, peildatum, ruleset_ref)
    except MaatwerkError as exc:
        if exc.first.file is not None:
            raise
        raise type(exc)([Problem(p.what, str(voorstel_path),
                                 line_of(lines, p.path) if p.path else None, p.hint, p.path)
                         for p in exc.problems]) from None
    return voorstel, peildatum, eff


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("voorstel_path", metavar="VOORSTEL", type=click.Path(path_type=Path))
@rulesets_option
@click.option("--ruleset", "ruleset_ref", metavar="REF",
              help="Toets tegen deze ruleset (id@versie) in plaats van die van de gemeente op de peildatum.")
@click.option("--peildatum", type=DATE, help="Peildatum (standaard: peildatum, aanvraag- of "
              "beschikkingsdatum uit het voorstel; nooit de klok).")
@click.option("--explain", is_flag=True, help="Toon per afwijking welke waarden, tabelrijen en "
              "data haar opleverden, met bron.")
@json_option
@click.option("--strict", is_flag=True, help="Exit 4 als een afwijking geen motivering heeft in "
              "het voorstel (voor scripts).")
@engine_option
def check(voorstel_path, rulesets_dir, ruleset_ref, peildatum, explain, as_json, strict, engine):
    """Toets VOORSTEL aan de kaders die op de peildatum gelden.

    Geeft elke afwijking: het kader, de voorziening, de waargenomen waarde, de
    grens, de melding, de grondslag en wat afwijken vraagt. maatwerk blokkeert
    nooit: ook met afwijkingen is de exitcode 0 (behalve met --strict).

    \b
    Voorbeelden:
      maatwerk check examples/voorstellen/utrecht-hbh-boven-norm.yaml
      maatwerk check voorstel.yaml --explain
      maatwerk check voorstel.yaml --json --peildatum 2026-03-01
      MAATWERK_RULESETS=./rulesets maatwerk check voorstel.yaml
    """
    from maatwerk.engine.evaluate.check import check as run_check
    voorstel, peildatum, eff = prepare(voorstel_path, rulesets_dir, peildatum, ruleset_ref)
    toets = run_check(eff, voorstel, peildatum, engine=engine, explain=explain)
    if as_json:
        emit_json(toets.public(explain))
    else:
        click.echo("\n".join(render(toets, voorstel, eff, explain)))
    if strict and unmotivated(toets, voorstel):
        raise click.exceptions.Exit(STRICT_EXIT)


def unmotivated(toets, voorstel) -> list:
    given = {(m.kader, m.voorziening) for m in voorstel.motiveringen}
    return [a for a in toets.afwijkingen if (a.kader, a.voorziening) not in given]


def render(toets, voorstel, eff, explain: bool) -> list[str]:
    from maatwerk.engine.model import dutch
    base = f" + {eff.base.id} {eff.base.versie}" if eff.base else ""
    out = [f"Voorstel {voorstel.id or '(zonder kenmerk)'} · cliënt {voorstel.client.pseudoniem} · "
           f"{voorstel.gemeente} · {voorstel.wet}",
           f"Ruleset {toets.ruleset.id} {toets.ruleset.version}{base} · sha256 "
           f"{toets.ruleset.sha256[:12]} · peildatum {dutch.date(toets.peildatum)}", ""]
    groups = [(None, "Voorstel (procedure, onderzoek, huishouden)")]
    groups += [(i, voorziening_title(i, vz, voorstel.wet))
               for i, vz in enumerate(voorstel.voorzieningen, start=1)]
    for idx, title in groups:
        found = [a for a in toets.afwijkingen if a.voorziening == idx]
        out.append(title)
        out += _group(found, eff, explain) if found else ["  binnen de kaders"]
        out.append("")
    out.append(summary(toets.afwijkingen))
    return out


def _group(found, eff, explain: bool) -> list[str]:
    rows = []
    for a in found:
        checked = eff.kader(a.kader)
        unit_w = getattr(checked.waargenomen, "unit", None) if checked else None
        unit_g = getattr(checked.grens, "unit", None) if checked else None
        rows.append([a.kader, shown(a.waargenomen, unit_w), shown(a.grens, unit_g), a.niveau,
                     a.vereist.akkoord or "motivering"])
    lines = table(["KADER", "WAARGENOMEN", "GRENS", "NIVEAU", "VEREIST"], rows, indent="  ")
    out = [lines[0]]
    for a, line in zip(found, lines[1:]):
        out += [line, f"    {a.melding}", f"    Bron: {a.grondslag.citation()}"]
        if a.herkomst:
            out.append(f"    Herkomst: {a.herkomst}")
        if explain and a.uitleg:
            out.append(f"    Uitleg: {a.uitleg.zin}")
            for f in a.uitleg.factoren:
                note = f" ({f.toelichting})" if f.toelichting else ""
                source = f" · {f.bron}" if f.bron and f.bron != "voorstel" else ""
                out.append(f"      - {f.naam} = {shown(f.waarde, f.eenheid)}{note}{source}")
    return out


def summary(afwijkingen) -> str:
    if not afwijkingen:
        return "Geen afwijkingen: het voorstel valt binnen alle kaders."
    roles: dict[str, int] = {}
    for a in afwijkingen:
        if a.vereist.akkoord:
            roles[a.vereist.akkoord] = roles.get(a.vereist.akkoord, 0) + 1
    n = len(afwijkingen)
    text = f"{n} afwijking{'en' if n != 1 else ''}; elke afwijking vraagt een motivering"
    if roles:
        text += " en " + ", ".join(f"{c}× akkoord van {r}" for r, c in sorted(roles.items()))
    return text + ". maatwerk blokkeert niet: leg het besluit vast met `maatwerk record`."
