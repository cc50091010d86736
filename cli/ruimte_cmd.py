"""`maatwerk ruimte`: wat kan ik toezeggen? The room the kaders leave for a situation."""

from __future__ import annotations

import click

from .options import emit_json, engine_option, json_option, voorstel_input

KOPPEN = {"uren": "Uren", "tarief": "Tarieven", "bedrag": "Bedragen",
          "eigen_bijdrage": "Eigen bijdrage", "termijn": "Termijnen", "overig": "Overig"}


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@voorstel_input("Gebruik", "peildatum, aanvraag-, beschikkings- of meldingsdatum")
@json_option
@engine_option
def ruimte(voorstel_path, rulesets_dir, ruleset_ref, peildatum, as_json, engine):
    """Wat kan ik toezeggen? De ruimte die elk kader laat, vóór er een voorziening is.

    VOORSTEL is een voorstel waarin de voorzieningen mogen ontbreken: het huishouden,
    de procedure en het onderzoek tot nu toe. maatwerk noemt per kader de grens (de
    norm voor hulp bij het huishouden in uren per week met de opbouw, het hoogste
    pgb-tarief per soort aanbieder, de eigen bijdrage, de termijnen met datum) met de
    bron, en wat in het onderzoek nog ontbreekt. Berekend uit dezelfde kaders en
    parameters als `maatwerk check`. Een voorziening die al in het bestand staat (bijv.
    hulp bij het huishouden met de normfactoren) telt mee.

    \b
    Voorbeelden:
      maatwerk ruimte examples/situaties/utrecht-echtpaar.yaml
      maatwerk ruimte situatie.yaml --json
      maatwerk ruimte situatie.yaml --peildatum 2026-03-01
    """
    from maatwerk.engine.evaluate.ruimte import ruimte as run_ruimte
    from maatwerk.engine.model.voorstel import Situatie

    from .check_cmd import prepare
    situatie, peildatum, eff = prepare(voorstel_path, rulesets_dir, peildatum, ruleset_ref,
                                       kind=Situatie)
    rapport = run_ruimte(eff, situatie, peildatum, engine=engine)
    if as_json:
        emit_json(rapport.model_dump(mode="json"))
    else:
        click.echo("\n".join(render(rapport, situatie, eff)))


def render(rapport, situatie, eff) -> list[str]:
    from maatwerk.engine.model import dutch
    base = f" + {eff.base.id} {eff.base.versie}" if eff.base else ""
    out = [f"Wat kan ik toezeggen? · cliënt {situatie.client.pseudoniem} · {situatie.gemeente} · "
           f"{situatie.wet}",
           f"Ruleset {rapport.ruleset.id} {rapport.ruleset.version}{base} · peildatum "
           f"{dutch.date(rapport.peildatum)}", ""]
    for soort, kop in KOPPEN.items():
        items = [r for r in rapport.ruimte if r.soort == soort]
        if not items:
            continue
        out.append(kop)
        for r in items:
            out += _item(r)
        out.append("")
    out.append("Nog niet in orde in het onderzoek en de procedure" if rapport.open else
               "Het onderzoek en de procedure zijn tot nu toe binnen de kaders.")
    for o in rapport.open:
        out += [f"  - {o.melding}", f"    {o.kader} · Bron: {o.grondslag.citation()}"]
    return out


def _item(r) -> list[str]:
    from maatwerk.engine.model import dutch
    mark = " [voorbeeldwaarde, niet geverifieerd]" if r.voorbeeld else ""
    if r.bron_status == "model":
        mark += " [model uit een andere gemeente]"
    lines = [f"  - {r.geldt_voor}: {r.zin}{mark}"]
    from maatwerk.engine.evaluate.ruimte import band_words
    for band in r.tabel:
        label = f" ({band['label']})" if band.get("label") else ""
        value = "geen grens (het kader toetst hier niet)" if band["grens"] is None else \
            dutch.value(band["grens"], r.eenheid_kader, with_unit=True)
        lines.append(f"      {band_words(band)}: {value}{label}")
    need = f"akkoord van {r.vereist.akkoord}" if r.vereist.akkoord else "motivering"
    lines.append(f"    {r.kader} · afwijken vraagt: {need} · Bron: {r.grondslag.citation()}")
    return lines
