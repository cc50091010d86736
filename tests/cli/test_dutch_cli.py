"""Every message of the command line is Dutch: each command's --help and every kind of
usage error (missing argument or option, unknown option or command, bad choice, bad
number, bad date, option without value, extra argument), click's own strings included.

The detector looks for English words that are not Dutch words; `Error:` is the project's
fixed prefix for error lines and is allowed.
"""

from __future__ import annotations

import re

import click
import pytest
from maatwerk.cli.main import cli, main

ENGLISH = re.compile(
    r"\b(the|not|and|for|to|such|does|exists?|required|default|missing|invalid|usage|options|"
    r"commands?|this|message|try|with|from|choose|values?|got|unexpected|takes|requires|"
    r"must|cannot|unknown|directory|file|path|text|integer|args|no such|did you mean|"
    r"is a|is not|one of|was given)\b", re.IGNORECASE)
ALLOWED = re.compile(r"^Error: |--[a-z-]+|MAATWERK_[A-Z_]+|[a-z0-9_.-]+\.(yaml|json|csv|html|xlsx|db)"
                     r"|`[^`]*`|'[^']*'|\"[^\"]*\"|postgresql://\S*", re.MULTILINE)


def english(text: str) -> list[str]:
    """The English words in text, outside option names, quoted values and file names."""
    return ENGLISH.findall(ALLOWED.sub(" ", text))


def commands(group: click.Group = cli, path: tuple[str, ...] = ()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        yield (*path, name), cmd
        if isinstance(cmd, click.Group):
            yield from commands(cmd, (*path, name))


ALL = [((), cli)] + list(commands())


def run(args: list[str], capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    out = capsys.readouterr()
    return exit_.value.code, out.out + out.err


def usage_errors(path: tuple[str, ...], cmd: click.Command) -> list[list[str]]:
    """Arguments that make click refuse the command, one per kind of mistake."""
    cases = [[*path, "--onbekende-optie"]]
    if isinstance(cmd, click.Group):
        return cases + [[*path, "onbekend"], [*path]]
    args = [p for p in cmd.params if isinstance(p, click.Argument)]
    filler = ["x"] * sum(max(p.nargs, 1) for p in args if p.required)
    if any(p.required for p in cmd.params):
        cases.append([*path])                                # missing argument or option
    if all(p.nargs > 0 for p in args):
        cases.append([*path, *filler, "x", "y", "z"])            # extra arguments
    for p in cmd.params:
        if not isinstance(p, click.Option) or p.is_flag or p.hidden:
            continue
        cases.append([*path, *filler, p.opts[0]])            # option without its value
        if isinstance(p.type, (click.Choice, click.types.IntParamType, click.types.FloatParamType)) \
                or p.type.name == "JJJJ-MM-DD":
            cases.append([*path, *filler, p.opts[0], "onzin"])
    return cases


@pytest.mark.parametrize("path,cmd", ALL, ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_help_is_dutch(path, cmd, capsys):
    code, text = run([*path, "--help"], capsys)
    assert code == 0 and "Gebruik: maatwerk" in text and "Voorbeeld" in text, text
    assert english(text) == [], text


@pytest.mark.parametrize("path,cmd", ALL, ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_usage_errors_are_dutch(path, cmd, capsys):
    for args in usage_errors(path, cmd):
        code, text = run(args, capsys)
        assert code in (1, 2), (args, text)
        assert text.strip() and english(text) == [], (args, text)


def test_click_phrases_are_translated(capsys):
    code, text = run(["check", "--engine", "zin"], capsys)
    assert code == 2
    assert "Error: Ongeldige waarde voor '--engine': 'zin' is geen geldige keuze; kies uit " \
           "'durable', 'python'." in text
    code, text = run(["--help"], capsys)
    assert "Toon deze hulp en stop." in text and "Show this message" not in text
