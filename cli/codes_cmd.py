"""`maatwerk codes`: the iWmo/iJw code lists a voorstel uses, by name."""

from __future__ import annotations

import click

from .options import emit_json, json_option


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("zoekterm", required=False)
@json_option
def codes(zoekterm, as_json):
    """Toon de iWmo/iJw-codes: productcategorieën, eenheden en frequenties.

    Met ZOEKTERM alleen de codes waarvan de code of de naam de zoekterm bevat
    (hoofdletters maken niet uit). Schrijf codes in een voorstel tussen
    aanhalingstekens: productcategorie: "01".

    \b
    Voorbeelden:
      maatwerk codes
      maatwerk codes huishouden
      maatwerk codes uur --json
    """
    from maatwerk.engine.model.codes import code_lists
    term = (zoekterm or "").strip().lower()
    found = [(lijst, veld, code, naam) for lijst, veld, table in code_lists()
             for code, naam in table.items()
             if not term or term in code.lower() or term in naam.lower()]
    if as_json:
        emit_json([{"lijst": lijst, "veld": veld, "code": code, "naam": naam}
                   for lijst, veld, code, naam in found])
        return
    if not found:
        click.echo(f"Geen codes gevonden met '{zoekterm}'. Probeer een deel van de naam, "
                   "bijv. 'huishouden' of 'uur'.")
        return
    current = None
    for lijst, veld, code, naam in found:
        if lijst != current:
            if current is not None:
                click.echo("")
            click.echo(f"{lijst} ({veld})")
            current = lijst
        click.echo(f"  \"{code}\"  {naam}")
