"""Options shared by several commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

rulesets_option = click.option(
    "--rulesets", "rulesets_dir", type=click.Path(path_type=Path), envvar="MAATWERK_RULESETS",
    help="Map met rulesets (standaard: de meegeleverde; ook via MAATWERK_RULESETS).")

json_option = click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON voor machines.")

engine_option = click.option(
    "--engine", type=click.Choice(["durable", "python"]), default="durable", show_default=True,
    help="Rule-engine: durable-rules (standaard) of de gelijkwaardige Python-backend.")


class DateType(click.ParamType):
    name = "JJJJ-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"'{value}' is geen datum; schrijf JJJJ-MM-DD", param, ctx)


DATE = DateType()


def catalog(rulesets_dir: Path | None, strict: bool = False):
    import os

    from maatwerk.engine.rules.cache import FileCache, default_folder
    from maatwerk.engine.rules.catalog import Catalog, bundled_folder
    cache = FileCache(default_folder(dict(os.environ)))
    return Catalog.load(rulesets_dir or bundled_folder(), strict=strict, cache=cache)


def emit_json(data) -> None:
    import json
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))
