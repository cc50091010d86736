"""Options shared by several commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

rulesets_option = click.option(
    "--rulesets", "rulesets_dir", type=click.Path(path_type=Path), envvar="MAATWERK_RULESETS",
    help="Map met rulesets (standaard: de meegeleverde; ook via MAATWERK_RULESETS).")

CTX = {"help_option_names": ["-h", "--help"]}
db_option = click.option(
    "--db", default="maatwerk.db", envvar="MAATWERK_DB", show_default=True, metavar="PAD|DSN",
    help="Het besluitenlog: een SQLite-bestand of postgresql://… (ook via MAATWERK_DB).")
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


def voorstel_input(ruleset_verb: str, dates: str):
    """VOORSTEL, --rulesets, --ruleset and --peildatum, as `check` and `ruimte` take them."""
    decorators = [
        click.argument("voorstel_path", metavar="VOORSTEL", type=click.Path(path_type=Path)),
        rulesets_option,
        click.option("--ruleset", "ruleset_ref", metavar="REF",
                     help=f"{ruleset_verb} deze ruleset (id@versie) in plaats van die van de "
                          "gemeente op de peildatum."),
        click.option("--peildatum", type=DATE,
                     help=f"Peildatum (standaard: {dates} uit het voorstel; nooit de klok).")]

    def wrap(command):
        for decorator in reversed(decorators):
            command = decorator(command)
        return command
    return wrap


def catalog(rulesets_dir: Path | None, strict: bool = False):
    import os

    from maatwerk.engine.rules.cache import FileCache, default_folder
    from maatwerk.engine.rules.catalog import Catalog, bundled_folder
    cache = FileCache(default_folder(dict(os.environ)))
    return Catalog.load(rulesets_dir or bundled_folder(), strict=strict, cache=cache,
                        bases=bundled_folder())


def emit_json(data) -> None:
    import json
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


class Tijdstip(click.ParamType):
    """An ISO 8601 time with a zone (or a date: its start in UTC), as UTC text."""

    name = "TIJDSTIP"

    def convert(self, value, param, ctx):
        try:
            return utc_text(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def utc_text(value: str | dt.datetime) -> str:
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"'{value}' is geen tijdstip; schrijf bijv. 2026-03-01T09:30:00Z") \
                from None
        if len(value.strip()) == 10:
            moment = moment.replace(tzinfo=dt.timezone.utc)
    else:
        moment = value
    if moment.tzinfo is None:
        raise ValueError(f"'{value}' heeft geen tijdzone; schrijf bijv. 2026-03-01T09:30:00Z "
                         "of 2026-03-01T10:30:00+01:00")
    try:
        return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except OverflowError:        # 0001-01-01T00:00:00+01:00 is before the first UTC moment
        raise ValueError(f"'{value}' valt buiten de tijdstippen die maatwerk kan vastleggen") \
            from None


TIJDSTIP = Tijdstip()


def now(tijdstip: str | None) -> str:
    """The clock (UTC, whole seconds), for what a report says about when it was made."""
    return tijdstip or utc_text(dt.datetime.now(dt.timezone.utc))
