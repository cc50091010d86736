"""`maatwerk schema`: the JSON Schema of the file formats."""

from __future__ import annotations

import click

from .options import emit_json


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("kind", type=click.Choice(["voorstel", "ruleset"]))
def schema(kind):
    """Print het JSON Schema van een voorstel of een ruleset.

    Zo kunnen casusregistratiesystemen en editors bestanden valideren voordat
    maatwerk ze leest.

    \b
    Voorbeelden:
      maatwerk schema voorstel > voorstel.schema.json
      maatwerk schema ruleset
    """
    if kind == "voorstel":
        from maatwerk.engine.model.voorstel import Voorstel as model
    else:
        from maatwerk.engine.model.ruleset import Ruleset as model
    data = model.model_json_schema()
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["$id"] = f"https://maatwerk.example/schema/{kind}.json"
    emit_json(data)
