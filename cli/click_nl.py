"""click in Dutch: its own strings (help, usage errors, choices, file errors) translated.

click marks its messages with gettext (``_`` and ``ngettext``, looked up in each click
module's globals at call time). ``install()`` points those names at the tables below, and
renames the type names click shows as metavars (TEXT, INTEGER, PATH). A string missing
here stays English; ``tests/cli/test_dutch_cli.py`` runs every ``--help`` and every kind
of usage error and fails on an English sentence.

The prefix ``Error:`` stays: it is the project's fixed format for every error line
(``Error: file:line: what; fix``), which scripts and tests recognise.
"""

from __future__ import annotations

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

SINGLE = {
    "Missing command.": "Geef een opdracht.",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Aborted!": "Afgebroken.",
    "Value must be an iterable.": "De waarde moet een lijst zijn.",
    "env var: {var}": "omgevingsvariabele: {var}",
    "default: {default}": "standaard: {default}",
    "(dynamic)": "(berekend)",
    "required": "verplicht",
    "deprecated": "verouderd",
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "Show the version and exit.": "Toon de versie en stop.",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Did you mean {possibility}?": "Bedoelde u {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Bedoelde u een van: {possibilities}?)",
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende parameter",
    "Missing parameter: {param_name}": "Ontbrekende parameter: {param_name}",
    "Missing {param_type}": "Ontbrekend: {param_type}",
    "unknown error": "onbekende fout",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Could not open file {filename!r}: {message}": "Kan bestand {filename!r} niet openen: {message}",
    "Error: {message}": "Error: {message}",
    "Try '{command} {option}' for help.": "Zie '{command} {option}' voor hulp.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "Usage:": "Gebruik:",
    "Invalid start character for option ({option})": "Ongeldig eerste teken voor een optie ({option})",
    "Option {name!r} does not take a value.": "Optie {name!r} neemt geen waarde.",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} vraagt {nargs} waarden.",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "{value} is not in the range {range}.": "{value} valt buiten het bereik {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} is geen ja of nee; herkend worden: {states}",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand, geen map.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map, geen bestand.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} is niet uitvoerbaar.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "Press any key to continue...": "Druk op een toets om door te gaan...",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: The two entered values do not match.": "Error: de twee waarden verschillen.",
    "Error: invalid input": "Error: ongeldige invoer",
}

PLURAL = {
    "Got unexpected extra argument ({args})":
        ("Onverwacht extra argument ({args})", "Onverwachte extra argumenten ({args})"),
    "Takes {nargs} values but 1 was given.":
        ("Vraagt {nargs} waarden, maar kreeg er 1.", "Vraagt {nargs} waarden, maar kreeg er {len}."),
    "Option {name!r} requires an argument.":
        ("Optie {name!r} vraagt een waarde.", "Optie {name!r} vraagt {nargs} waarden."),
    "{value!r} is not {choice}.":
        ("{value!r} is geen geldige keuze; kies {choice}.",
         "{value!r} is geen geldige keuze; kies uit {choices}."),
    "{value!r} does not match the format {format}.":
        ("{value!r} past niet bij de vorm {format}.", "{value!r} past bij geen van de vormen {formats}."),
    "{len_type} values are required, but {len_value} was given.":
        ("Er zijn {len_type} waarden nodig, maar er is er {len_value} gegeven.",
         "Er zijn {len_type} waarden nodig, maar er zijn er {len_value} gegeven."),
}

TYPE_NAMES = {click.types.StringParamType: "tekst", click.types.IntParamType: "getal",
              click.types.FloatParamType: "getal", click.types.BoolParamType: "ja/nee",
              click.types.IntRange: "getal", click.types.FloatRange: "getal",
              click.types.DateTime: "datum-tijd", click.types.UUIDParameterType: "uuid",
              click.types.Choice: "keuze"}
METAVARS = {"[OPTIONS]": "[OPTIES]", "COMMAND [ARGS]...": "OPDRACHT [ARGUMENTEN]..."}
MODULES = (click.core, click.decorators, click.exceptions, click.formatting, click.parser,
           click.termui, click.types)


def gettext(message: str) -> str:
    """click's ``_``: the Dutch text of one of its messages (unknown ones unchanged)."""
    return SINGLE.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """click's ``ngettext``: the Dutch singular or plural of one of its messages."""
    dutch = PLURAL.get(singular)
    if dutch is None:
        return singular if n == 1 else plural
    return dutch[0] if n == 1 else dutch[1]


def _usage_pieces(original):
    def pieces(self, ctx):
        return [METAVARS.get(p, p) for p in original(self, ctx)]
    return pieces


INSTALLED: list[bool] = []


def install() -> None:
    """Make click speak Dutch; idempotent, called when the CLI package is imported."""
    if INSTALLED:
        return
    for module in MODULES:
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    for cls, name in TYPE_NAMES.items():
        cls.name = name
    for cls in (click.Command, click.Group):
        cls.collect_usage_pieces = _usage_pieces(cls.__dict__["collect_usage_pieces"])
    INSTALLED.append(True)
