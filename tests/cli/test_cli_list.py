"""`maatwerk list` pages (#16): the command under a page fetches the next one; JSON lines end
with the cursor; --alles streams everything; a bad cursor is a user error (exit 2)."""

from __future__ import annotations

import re
import shlex

CONSULENT = ("--by", "c.jansen", "--role", "consulent")


def _record(mw, write_voorstel, n: int) -> list[str]:
    return [mw("record", write_voorstel("open", name=f"v{i}", id=f"V-2026-{i:03d}"), *CONSULENT,
               "--json").json["besluit"] for i in range(n)]


def test_the_text_page_ends_with_the_command_for_the_next_page(mw, write_voorstel):
    made = _record(mw, write_voorstel, 5)
    seen, args = [], ["list", "--limit", "2", "--status", "open"]
    while True:
        out = mw(*args).out
        seen += re.findall(r"^(B-[0-9a-f]{12}) ", out, re.M)
        last = out.rstrip().splitlines()[-1]
        if not last.startswith("Volgende pagina: "):
            break
        command = shlex.split(last.removeprefix("Volgende pagina: "))
        assert command[:2] == ["maatwerk", "list"] and "--cursor" in command
        assert command[2:6] == ["--status", "open", "--limit", "2"]
        args = command[1:]
    assert seen == made[::-1]          # newest first, each once


def test_json_lines_end_with_the_cursor_and_alles_streams_everything(mw, write_voorstel):
    made = _record(mw, write_voorstel, 3)
    lines = mw("list", "--json", "--limit", "2").lines
    assert [x["besluit"] for x in lines[:-1]] == made[:0:-1]
    assert lines[-1]["aantal"] == 2 and lines[-1]["volgende"]
    rest = mw("list", "--json", "--limit", "2", "--cursor", lines[-1]["volgende"]).lines
    assert [x["besluit"] for x in rest[:-1]] == made[:1] and rest[-1] == {"aantal": 1,
                                                                          "volgende": None}
    everything = mw("list", "--alles", "--json").lines
    assert [x["besluit"] for x in everything[:-1]] == made[::-1]
    assert mw("list", "--limit", "0", "--json").lines == everything
    assert [x["besluit"] for x in mw("list", "--json", "--id", made[1][:8]).lines[:-1]] == \
        [b for b in made[::-1] if b.startswith(made[1][:8])]


def test_a_cursor_no_page_gave_is_a_user_error(mw, write_voorstel):
    _record(mw, write_voorstel, 1)
    r = mw("list", "--cursor", "geen-cursor")
    assert r.code == 2 and "cursor" in r.err and "Traceback" not in r.err
    r = mw("list", "--id", "X-1")
    assert r.code == 2 and "besluit-id" in r.err
