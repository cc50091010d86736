"""`maatwerk check`: every afwijking of a voorstel, with its source; never blocks."""

from __future__ import annotations

from pathlib import Path

import click

from .options import catalog, emit_json, engine_option, json_option, voorstel_input
from .render import shown, table, voorziening_title

STRICT_EXIT = 4


STDIN = "<standaardinvoer>"


def prepare(voorstel_path: Path, rulesets_dir: Path | None, peildatum, ruleset_ref: str | None,
            kind=None):
    """Read the voorstel, find its peildatum and the effective ruleset (see `prepared`)."""
    return prepared(voorstel_path, rulesets_dir, peildatum, ruleset_ref, kind)[:3]


def read_voorstel(voorstel_path: Path, kind=None):
    """The voorstel and its lines, from a file or, for `-`, from standard input."""
    from maatwerk.engine.rules.load import read_voorstel_lines, voorstel_from_bytes
    more = [kind] if kind else []
    if str(voorstel_path) == "-":
        from maatwerk.engine.rules.yamlsafe import MAX_BYTES
        with click.open_file("-", "rb") as stdin:      # standard input, left open
            raw = stdin.read(MAX_BYTES + 1)
        return voorstel_from_bytes(raw, STDIN, *more)
    return read_voorstel_lines(voorstel_path, *more)


def source_name(voorstel_path: Path) -> str:
    return STDIN if str(voorstel_path) == "-" else str(voorstel_path)


def prepared(voorstel_path: Path, rulesets_dir: Path | None, peildatum, ruleset_ref: str | None,
             kind=None):
    """The voorstel, its peildatum, the effective ruleset and the voorstel's lines.

    When no ruleset fits the voorstel, the error names the voorstel's line that
    chose it: its gemeente, or the date the peildatum came from.
    """
    from maatwerk.engine.errors import MaatwerkError, Problem, line_of
    voorstel, lines = read_voorstel(voorstel_path, kind)
    voorstel_path = source_name(voorstel_path)
    try:
        peildatum, eff = catalog(rulesets_dir).prepare(voorstel, peildatum, ruleset_ref)
    except MaatwerkError as exc:
        if exc.first.file is not None:
            raise
        raise type(exc)([Problem(p.what, str(voorstel_path),
                                 line_of(lines, p.path) if p.path else None, p.hint, p.path)
                         for p in exc.problems]) from None
    return voorstel, peildatum, eff, lines


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@voorstel_input("Toets tegen", "peildatum, aanvraag- of beschikkingsdatum")
@click.option("--explain", is_flag=True, help="Toon per afwijking welke waarden, tabelrijen en "
              "data haar opleverden, met bron.")
@json_option
@click.option("--strict", is_flag=True, help="Exit 4 als een afwijking geen motivering heeft in "
              "het voorstel (voor scripts).")
@engine_option
def check(voorstel_path, rulesets_dir, ruleset_ref, peildatum, explain, as_json, strict, engine):
    """Toets VOORSTEL aan de kaders die op de peildatum gelden (- leest standaardinvoer).

    Geeft elke afwijking: het kader, de voorziening, de waargenomen waarde, de
    grens, de melding, de grondslag en wat afwijken vraagt. maatwerk blokkeert
    nooit: ook met afwijkingen is de exitcode 0 (behalve met --strict).

    \b
    Voorbeelden:
      maatwerk check examples/voorstellen/utrecht-hbh-boven-norm.yaml
      maatwerk check voorstel.yaml --explain
      maatwerk check voorstel.yaml --json --peildatum 2026-03-01
      cat voorstel.yaml | maatwerk check -
      MAATWERK_RULESETS=./rulesets maatwerk check voorstel.yaml
    """
    from maatwerk.engine.evaluate.check import check as run_check
    voorstel, peildatum, eff, lines = prepared(voorstel_path, rulesets_dir, peildatum, ruleset_ref)
    toets = run_check(eff, voorstel, peildatum, engine=engine, explain=explain)
    if as_json:
        emit_json(toets.public(explain))
    else:
        click.echo("\n".join(render(toets, voorstel, eff, explain)))
    problems, missing = motivering_state(toets, voorstel, lines, source_name(voorstel_path))
    report_motiveringen(problems, missing, source_name(voorstel_path), strict)
    if strict and (problems or missing):
        raise click.exceptions.Exit(STRICT_EXIT)


def motivering_state(toets, voorstel, lines, where: str) -> tuple[list, list[dict]]:
    """Problems with the voorstel's own motiveringen (the rules `record` applies), and the
    afwijkingen no valid motivering covers."""
    from maatwerk.engine.errors import line_of
    from maatwerk.engine.log.motiveringen import Concept, beoordeel, zonder_motivering
    afwijkingen = toets.public()["afwijkingen"]
    concepts = [Concept(m.kader, m.voorziening, m.tekst, m.grond, "voorstel", where,
                        line_of(lines, ("motiveringen", i)))
                for i, m in enumerate(voorstel.motiveringen)]
    accepted, problems = beoordeel(afwijkingen, concepts, voorstel.wet)
    return problems, zonder_motivering(afwijkingen, accepted)


def report_motiveringen(problems: list, missing: list[dict], where: str, strict: bool) -> None:
    """On stderr: every problem with a motivering (a warning without --strict), and with
    --strict every afwijking without one and why the exit code is 4."""
    from maatwerk.engine.log.besluit import label

    from .main import one_line
    for p in problems:
        click.echo(f"{'Error' if strict else 'Let op'}: {one_line(p.render())}", err=True)
    if not strict or not (problems or missing):
        return
    for a in missing:
        n = a.get("voorziening")
        if (a.get("vereist") or {}).get("correctie"):
            click.echo(f"Error: {where}: afwijking {label(a['kader'], n)} vraagt correctie van het "
                       "voorstel; verbeter de waarde (zie de melding)", err=True)
            continue
        example = f"{{kader: {a['kader']}{f', voorziening: {n}' if n else ''}, tekst: ...}}"
        click.echo(f"Error: {where}: afwijking {label(a['kader'], n)} heeft geen motivering in het "
                   f"voorstel; voeg onder motiveringen: {example} toe", err=True)
    n = len(problems) + len(missing)
    click.echo(f"Error: --strict: exitcode 4: {n} {'probleem' if n == 1 else 'problemen'} met "
               "motiveringen (zie hierboven)", err=True)


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
    from maatwerk.engine.model.gronden import bevoegdheden
    rows = []
    for a in found:
        rows.append([a.kader, shown(a.waargenomen, a.eenheid, cell=True),
                     shown(a.grens, a.eenheid, cell=True), a.niveau,
                     "correctie" if a.vereist.correctie else a.vereist.akkoord or "motivering"])
    lines = table(["KADER", "WAARGENOMEN", "GRENS", "NIVEAU", "VEREIST"], rows, indent="  ")
    out = [lines[0]]
    for a, line in zip(found, lines[1:]):
        out += [line, f"    {a.melding}", f"    Bron: {a.grondslag.citation()}"]
        if a.herkomst:
            out.append(f"    Herkomst: {a.herkomst}")
        if a.vereist.bevoegdheid:
            out.append(f"    Afwijken mag op grond van: {bevoegdheden(a.vereist.bevoegdheid)}")
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
    from maatwerk.engine.model import dutch
    n, fix = len(afwijkingen), sum(1 for a in afwijkingen if a.vereist.correctie)
    text = f"{dutch.count(n, 'afwijking', 'afwijkingen')}; "
    if fix:
        text += (f"{dutch.count(fix, 'afwijking vraagt', 'afwijkingen vragen')} correctie van het "
                 "voorstel (geen motivering dekt een code die niet bestaat)")
        text += "; de andere vragen een motivering" if n > fix else ""
    else:
        text += "elke afwijking vraagt een motivering"
    if roles:
        text += " en " + ", ".join(f"{c}× akkoord van {r}" for r, c in sorted(roles.items()))
    return text + ". maatwerk blokkeert niet: leg het besluit vast met `maatwerk record`."
