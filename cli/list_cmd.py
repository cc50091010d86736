"""`maatwerk list`: the besluiten, newest first, a page at a time (or all of them, streamed).

The same filters as ``GET /api/v1/besluiten`` (status, consulent, team, gemeente,
period, the start of the id), answered by the same query layer (`Filter`, the store's
index in keyset pages). Text: one page as a table, then the command for the next page.
JSON: JSON lines, one besluit per line, and a last line ``{"aantal": N, "volgende":
CURSOR|null}``; with ``--alles`` every besluit streams out with flat memory.
"""

from __future__ import annotations

import json
import re
import shlex

import click
from maatwerk.engine.log.besluit import STATUSSEN

from .log_cmd import CTX, db_option, guarded
from .options import DATE, TIJDSTIP, json_option

PAGE = 50
BLOCK = 500        # --alles as text: a table per this many besluiten


def _begin(ctx, param, value):
    if value is not None and not re.fullmatch(r"B-[0-9a-f]{0,12}", value):
        raise click.BadParameter(f"'{value[:40]}' is geen (begin van een) besluit-id; "
                                 "bijv. B-3f2a", ctx, param)
    return value


@click.command("list", context_settings=CTX)
@click.option("--status", "wanted", type=click.Choice(STATUSSEN), help="Alleen besluiten met "
              "deze status.")
@click.option("--consulent", metavar="ID", help="Alleen besluiten vastgelegd door deze persoon.")
@click.option("--team", metavar="NAAM", help="Alleen besluiten van dit team (record --team).")
@click.option("--gemeente", metavar="CODE", help="Alleen besluiten van deze gemeente (bijv. gm0344).")
@click.option("--vanaf", "--since", "vanaf", type=TIJDSTIP, metavar="DATUM|TIJDSTIP",
              help="Alleen besluiten vastgelegd vanaf deze datum (JJJJ-MM-DD, UTC) of dit tijdstip.")
@click.option("--tot", type=DATE, help="Alleen besluiten vastgelegd op of vóór deze dag (UTC).")
@click.option("--id", "begin", metavar="B-…", callback=_begin,
              help="Alleen besluiten waarvan het id zo begint (bijv. B-3f2a).")
@click.option("--limit", type=click.IntRange(0, 100_000), default=PAGE, show_default=True,
              metavar="N", help="Hoogstens zoveel besluiten per pagina; 0 = alles (als --alles).")
@click.option("--alles", is_flag=True, help="Alle besluiten, gestreamd (geheugen blijft gelijk).")
@click.option("--cursor", metavar="CURSOR", help="Ga verder waar de vorige pagina ophield (de "
              "cursor staat onder die pagina, of als 'volgende' in de JSON).")
@db_option
@json_option
def list_(wanted, consulent, team, gemeente, vanaf, tot, begin, limit, alles, cursor, db,
          as_json):
    """Toon de vastgelegde besluiten met hun status, nieuwste eerst, per pagina.

    Onder een pagina staat het commando voor de volgende. Met --json komt er één
    besluit per regel (JSON lines) en als laatste regel {"aantal": N, "volgende":
    CURSOR} (null op de laatste pagina).

    \b
    Voorbeelden:
      maatwerk list
      maatwerk list --status open --gemeente gm0344 --limit 20
      maatwerk list --cursor bXcxOjEyMzQ
      maatwerk list --vanaf 2026-03-01 --tot 2026-03-31 --consulent c.jansen
      maatwerk list --alles --json > besluiten.jsonl
    """
    from maatwerk.engine.log.query import Filter
    from .upgrade import opened
    chosen = Filter(wanted, consulent, team, gemeente, vanaf, tot and tot.isoformat(),
                    begin=begin)
    everything = alles or limit == 0
    with opened(db) as store:
        if everything:
            found, volgende = _streamed(store, chosen, cursor), None
        else:
            found, volgende = guarded(store.location, store.page, chosen, limit, cursor)
        shown = guarded(store.location, _emit_json if as_json else _emit_text, found)
    if as_json:
        click.echo(json.dumps({"aantal": shown, "volgende": volgende}))
    elif volgende:
        click.echo(f"Volgende pagina: {_next_command(volgende)}")


def _streamed(store, chosen, cursor):
    from maatwerk.engine.log.store.listing import cursor_seq
    return store.stream(chosen, guarded(store.location, cursor_seq, cursor))


def _emit_json(found) -> int:
    from maatwerk.engine.log.public import besluit_row
    n = 0
    for b in found:
        click.echo(json.dumps(besluit_row(b), ensure_ascii=False))
        n += 1
    return n


def _emit_text(found) -> int:
    """Tables of at most BLOCK rows (widths per table), then the counts per status."""
    from maatwerk.engine.log.public import besluit_row

    from .log_render import list_table, status_counts
    counts: dict[str, int] = {}
    block: list[dict] = []
    for b in found:
        block.append(besluit_row(b))
        counts[block[-1]["status"]] = counts.get(block[-1]["status"], 0) + 1
        if len(block) == BLOCK:
            click.echo("\n".join(list_table(block)) + "\n")
            block = []
    if block:
        click.echo("\n".join(list_table(block)) + "\n")
    click.echo("\n".join(status_counts(counts)))
    return sum(counts.values())


def _next_command(cursor: str) -> str:
    """`maatwerk list` as it was called, with the cursor of the next page."""
    ctx = click.get_current_context()
    words = ["maatwerk", "list"]
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        given = ctx.get_parameter_source(param.name) == click.core.ParameterSource.COMMANDLINE
        if param.name in ("cursor", "as_json") or value in (None, False) or not given:
            continue
        words += [param.opts[0]] + ([] if param.is_flag else [str(value)])
    return shlex.join(words + ["--cursor", cursor])
