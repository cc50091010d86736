"""The `maatwerk` command: a thin layer that parses arguments and renders results.

Exit codes: 0 success (also when afwijkingen are found: maatwerk never blocks),
1 a domain error (bad ruleset, bad voorstel, unknown besluit, refused request),
2 usage, 3 audit failure, 4 `check --strict` with afwijkingen without motivering.
Errors are one line each on stderr: ``Error: file:line: what; fix``.
"""

from __future__ import annotations

import os
import sys

import click
from maatwerk.engine import __version__

from .groups import LazyGroup

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _version() -> str:
    return f"maatwerk {__version__} (Python {sys.version.split()[0]})"


@click.group(cls=LazyGroup, context_settings=CONTEXT, commands={
    "check": ("maatwerk.cli.check_cmd", "check"),
    "codes": ("maatwerk.cli.codes_cmd", "codes"),
    "ruimte": ("maatwerk.cli.ruimte_cmd", "ruimte"),
    "ruleset": ("maatwerk.cli.ruleset_cmd", "ruleset"),
    "schema": ("maatwerk.cli.schema_cmd", "schema"),
    "record": ("maatwerk.cli.log_cmd", "record"),
    "justify": ("maatwerk.cli.log_cmd", "justify"),
    "approve": ("maatwerk.cli.log_cmd", "approve"),
    "show": ("maatwerk.cli.log_cmd", "show"),
    "list": ("maatwerk.cli.list_cmd", "list_"),
    "migrate": ("maatwerk.cli.upgrade", "migrate"),
    "audit": ("maatwerk.cli.audit_cmd", "audit"),
    "serve": ("maatwerk.cli.serve_cmd", "serve"),
    "token": ("maatwerk.cli.credentials_cmd", "token"),
    "gebruiker": ("maatwerk.cli.people_cmd", "gebruiker"),
    "wachtrij": ("maatwerk.cli.review_cmd", "wachtrij"),
    "terugsturen": ("maatwerk.cli.review_cmd", "terugsturen"),
    "meelezen": ("maatwerk.cli.review_cmd", "meelezen"),
    "opmerking": ("maatwerk.cli.review_cmd", "opmerking"),
    "import": ("maatwerk.cli.import_cmd", "import_"),
})
@click.version_option(__version__, "--version", message=_version())
def cli() -> None:
    """Toets een voorstel aan de kaders van wet en gemeente, en leg besluiten vast.

    maatwerk blokkeert nooit: het noemt elke afwijking met haar bron en wat
    afwijken vraagt (motivering, akkoord), zodat maatwerk binnen kaders zichtbaar
    en controleerbaar wordt.

    \b
    Voorbeelden:
      maatwerk check examples/voorstellen/utrecht-hbh-binnen-kaders.yaml
      maatwerk ruimte examples/situaties/utrecht-echtpaar.yaml
      maatwerk ruleset list
      maatwerk gebruiker init b.beheer
      maatwerk record voorstel.yaml --by c.jansen --role consulent
      maatwerk wachtrij --by t.devries
      maatwerk audit verify
      maatwerk serve --demo
    """


def one_line(text: str) -> str:
    """Text safe for one terminal line: control, format and line-break characters escaped.

    Messages quote what the user gave (keys, values, file names); a newline, an
    ANSI escape or a bidi override in there must not break the line or the terminal.
    """
    return text if text.isprintable() else "".join(c if c.isprintable() else _escaped(c)
                                                  for c in text)


def _escaped(c: str) -> str:
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else \
        f"\\U{code:08x}"


def _debug(exc: BaseException) -> None:
    """With MAATWERK_DEBUG=1: the traceback on stderr, with every cause behind the error."""
    if os.environ.get("MAATWERK_DEBUG"):
        import traceback
        traceback.print_exception(exc, file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    from maatwerk.engine.errors import MaatwerkError
    try:
        code = cli.main(args=argv, prog_name="maatwerk", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Error: afgebroken", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.message = one_line(str(exc.message))
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except MaatwerkError as exc:
        for problem in exc.problems:
            click.echo(f"Error: {one_line(problem.render())}", err=True)
        if exc.exit_code == 70:     # EngineFault: maatwerk's own fault, like the branch below
            _debug(exc)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except OSError as exc:      # the output could not be written (disk full, no such folder)
        from maatwerk.engine.errors import os_reason
        where = f"{exc.filename}: " if exc.filename else "uitvoer: "
        click.echo(f"Error: {one_line(where + os_reason(exc))}; controleer pad, rechten "
                   "en schijfruimte", err=True)
        sys.exit(1)
    except Exception as exc:  # a fault of maatwerk itself: exit 70, the cause with MAATWERK_DEBUG=1
        click.echo(f"Error: interne fout ({type(exc).__name__}: {one_line(str(exc))}); meld dit bij "
                   "de beheerders van maatwerk, met MAATWERK_DEBUG=1 voor details", err=True)
        _debug(exc)
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)
