"""Misuse from the command line: SQL metacharacters, path tricks, roles and four eyes.

Every command runs in process through the real entry point (fuzzcore.cli, with
MAATWERK_DEBUG=1 so that an internal error is exit 70 with its traceback),
on SQLite and on PostgreSQL. A refused request exits 1 (2 for a usage error)
with one `Error:` line and writes nothing: the number of events is unchanged.
"""

from __future__ import annotations

import json
import re

import fuzzcore
import pytest
import yaml
from logdata import GOED, N_USERS, TARIEF, UREN, register_db, voorstel_data
from maatwerk.engine.log.store.open import open_store

SQL = "x'; DROP TABLE events; --"
INJECT_ID = "B-1' OR '1'='1"
CONSULENT = ("--by", "c.jansen", "--role", "consulent")


@pytest.fixture
def log(db, rulesets, tmp_path, monkeypatch):
    """A log with one open besluit (4 afwijkingen) and a runner for `maatwerk ARGS`."""
    monkeypatch.setenv("MAATWERK_DB", db)
    monkeypatch.setenv("MAATWERK_RULESETS", str(rulesets))
    monkeypatch.chdir(tmp_path)

    class Log:
        def voorstel(self, name: str = "open.yaml", **top) -> str:
            (tmp_path / name).write_text(yaml.safe_dump(voorstel_data("open", **top),
                                                        allow_unicode=True), encoding="utf-8")
            return name

        def run(self, *args, expect: int | None = None) -> tuple[int, str, str]:
            code, out, err = fuzzcore.cli([str(a) for a in args])
            assert "Traceback" not in err
            if expect is not None:
                assert code == expect, (args, out, err)
            if code:
                assert err.startswith("Error: ") or err.startswith("Gebruik: "), err
                assert err.count("Error: ") == 1 or code == 1, err
            return code, out, err

        def events(self) -> int:
            with open_store(db) as store:
                assert store.verify() is None
                return store.counts()["gebeurtenissen"]

    register_db(db)
    lg = Log()
    code, out, _ = lg.run("record", lg.voorstel(), *CONSULENT, "--json", expect=0)
    lg.besluit = json.loads(out)["besluit"]
    return lg


def refused(log, *args, code: int = 1, says: str = "") -> str:
    before = log.events()
    _, _, err = log.run(*args, expect=code)
    assert says in err, err
    assert log.events() == before, "a refused request wrote to the log"
    return err


# --- SQL metacharacters are data ----------------------------------------------------------------
@pytest.mark.parametrize("command", ["show", "justify", "approve", "replay"])
def test_a_besluit_id_with_sql_is_no_besluit_id(log, command):
    args = {"show": ("show", INJECT_ID),
            "justify": ("justify", INJECT_ID, UREN, "--tekst", GOED, *CONSULENT),
            "approve": ("approve", INJECT_ID, UREN, "--by", "t.devries", "--role", "teamleider"),
            "replay": ("audit", "replay", INJECT_ID)}[command]
    refused(log, *args, says="is geen besluit-id")


def test_names_with_sql_are_refused_or_kept_verbatim(log):
    refused(log, "record", log.voorstel(), "--by", SQL, "--role", "consulent",
            says="ongeldige auteur")
    refused(log, "record", log.voorstel(), *CONSULENT, "--team", SQL, says="geen geldige teamnaam")
    refused(log, "justify", log.besluit, SQL, "--tekst", GOED, *CONSULENT, says="wijkt niet af")
    refused(log, "justify", log.besluit, UREN, "--tekst", GOED, "--grond", "awb-4:84' OR 1=1",
            *CONSULENT, says="onbekende grond")
    refused(log, "list", "--since", "2026-01-01' OR '1'='1", code=2, says="geen tijdstip")
    refused(log, "audit", "export", "--jsonl", "--mask", SQL, code=2, says="noemt geen veld")
    refused(log, "audit", "impact", "--ruleset", "../../etc/passwd", says="onbekende ruleset")
    refused(log, "check", log.voorstel(), "--ruleset", SQL, says="onbekende ruleset")
    text = f"Robert'); DROP TABLE events;-- « très » 😀 — {GOED}"
    log.run("justify", log.besluit, UREN, "--tekst", text, *CONSULENT, expect=0)
    shown = json.loads(log.run("show", log.besluit, "--json", expect=0)[1])
    assert shown["afwijkingen"][1]["motivering"]["tekst"] == text
    assert log.events() == N_USERS + 2


def test_a_database_name_with_sql_is_just_a_file_name(log, tmp_path):
    odd = str(tmp_path / f"{SQL}.db")
    register_db(odd)
    code, out, _ = log.run("record", log.voorstel(), *CONSULENT, "--db", odd, "--json", expect=0)
    log.run("audit", "verify", "--db", odd, expect=0)
    log.run("show", json.loads(out)["besluit"], "--db", odd, expect=0)
    refused(log, "record", log.voorstel(), *CONSULENT, "--db", "", says="geen database")
    refused(log, "record", log.voorstel(), *CONSULENT, "--db", str(tmp_path), says="databasefout")


@pytest.mark.parametrize("pseudoniem", ["C-1'; DROP", "Ünïcødé", "C 1", "C-\u202e1", '"C-1"', "",
                                        "C-" + "x" * 70])
def test_a_pseudonym_with_quotes_or_unicode_is_refused_at_its_line(log, pseudoniem):
    name = log.voorstel("p.yaml", client={"pseudoniem": pseudoniem})
    err = refused(log, "record", name, *CONSULENT, says="client.pseudoniem")
    assert re.match(r"Error: p\.yaml:[0-9]+: ", err), err


def test_a_motivering_with_terminal_escapes_is_refused(log):
    for bad in ("\x1b[2J\x1b[H", "\u202e", "\x00", "\u2028"):
        refused(log, "justify", log.besluit, UREN, "--tekst", f"{GOED} {bad} ook", *CONSULENT,
                says="stuurteken")
    assert "\\x1b" in refused(log, "justify", log.besluit, f"a\x1b[31m{UREN}", "--tekst", GOED,
                              *CONSULENT, says="wijkt niet af")


# --- roles and four eyes, from every command ------------------------------------------------------
@pytest.mark.parametrize("command", ["record", "justify", "approve"])
@pytest.mark.parametrize("role", ["wethouder", "Consulent", "TEAMLEIDER", "", "consulent;"])
def test_an_unknown_role_is_a_usage_error(log, command, role):
    args = {"record": ("record", log.voorstel(), "--by", "c.jansen"),
            "justify": ("justify", log.besluit, UREN, "--tekst", GOED, "--by", "c.jansen"),
            "approve": ("approve", log.besluit, UREN, "--by", "t.devries")}[command]
    refused(log, *args, "--role", role, code=2, says="--role")


@pytest.mark.parametrize("who", ["t.devries", "T.DeVries", "T.DEVRIES", " t.devries", "t.devries ",
                                 "t.devries\t", "ｔ.devries", "t.d\u0435vries", "t.devries\u200b"])
@pytest.mark.parametrize("source", ["justify", "record", "voorstel"])
def test_the_author_never_approves_their_own_motivering(log, who, source):
    """Four eyes: the same person (a consulent who is also teamleider) under another case, or
    padded, or disguised, is refused."""
    author = ("--by", "t.devries", "--role", "consulent")
    if source == "justify":
        b = log.besluit
        log.run("justify", b, UREN, "--tekst", GOED, *author, expect=0)
    else:
        extra = {"motiveringen": [{"kader": UREN, "voorziening": 1, "tekst": GOED}]} \
            if source == "voorstel" else {}
        args = ("--motivering", f"{UREN}@1={GOED}") if source == "record" else ()
        out = log.run("record", log.voorstel(f"{source}.yaml", id=f"V-{source}", **extra),
                      *author, *args, "--json", expect=0)[1]
        b = json.loads(out)["besluit"]
    err = refused(log, "approve", b, UREN, "--by", who, "--role", "teamleider")
    assert "vier ogen" in err or "ongeldige auteur" in err
    assert json.loads(log.run("show", b, "--json", expect=0)[1])["status"] == "open"


def test_only_the_named_role_approves_and_only_once(log):
    b = log.besluit
    log.run("justify", b, UREN, "--tekst", GOED, *CONSULENT, expect=0)
    log.run("justify", b, TARIEF, "--voorziening", "1", "--tekst", GOED, *CONSULENT, expect=0)
    for who, role in (("t.devries", "consulent"), ("g.mandaat", "gemandateerde"),
                      ("m.bakker", "jurist")):
        refused(log, "approve", b, UREN, "--by", who, "--role", role,
                says="vraagt de rol teamleider")
    refused(log, "approve", b, UREN, "--by", "c.jansen", "--role", "teamleider",   # #11
            says="c.jansen heeft de rol teamleider niet")
    refused(log, "approve", b, f"{TARIEF}@1", "--by", "t.devries", "--role", "teamleider",
            says="vraagt geen akkoord")
    refused(log, "approve", b, "test.onderzoek.behoeften", "--by", "m.bakker", "--role", "jurist",
            says="nog geen motivering")
    log.run("approve", b, UREN, "--by", "t.devries", "--role", "teamleider", expect=0)
    refused(log, "approve", b, UREN, "--by", "t.leider", "--role", "teamleider", says="al een akkoord")
    # the approver writes a new motivering: it needs a new akkoord, never the approver's own
    log.run("justify", b, UREN, "--tekst", GOED + " en nu herzien", "--by", "t.devries", "--role",
            "teamleider", expect=0)
    refused(log, "approve", b, UREN, "--by", "T.DeVries", "--role", "teamleider", says="vier ogen")
    log.run("approve", b, UREN, "--by", "t.leider", "--role", "teamleider", expect=0)
