"""`maatwerk record | justify | approve | show | list` end to end, on both stores."""

from __future__ import annotations

import json
import re

import pytest
from logdata import BEHOEFTEN, GOED, TARIEF, UREN

CONSULENT = ("--by", "c.jansen", "--role", "consulent")
TEAMLEIDER = ("--by", "t.devries", "--role", "teamleider")
JURIST = ("--by", "m.bakker", "--role", "jurist")


def test_round_trip_from_open_to_afwijking_gemotiveerd(mw, write_voorstel):
    path = write_voorstel("open")
    rec = mw("record", path, *CONSULENT, "--json")
    assert rec.code == 0, rec.err
    b = rec.json["besluit"]
    assert re.fullmatch(r"B-[0-9a-f]{12}", b) and rec.json["status"] == "open"

    shown = mw("show", b, "--json").json
    assert shown["status"] == "open"
    assert [(a["kader"], a["voorziening"], a["vereist"]["akkoord"]) for a in shown["afwijkingen"]] \
        == [(BEHOEFTEN, None, "jurist"), (UREN, 1, "teamleider"), (TARIEF, 1, None),
            (TARIEF, 2, None)]
    assert shown["ruleset"]["id"] == "logtest" and len(shown["ruleset"]["sha256"]) == 64
    assert {a["bron_status"] for a in shown["afwijkingen"]} == {"vastgesteld"}
    assert "Herkomst: vastgesteld door gemeente" in mw("show", b).out

    # motivering for a kader that did not fire: refused, naming the ones that did
    r = mw("justify", b, "wmo.pgb.plafond", "--tekst", GOED, *CONSULENT)
    assert r.code == 1 and "wijkt niet af" in r.err and f"{UREN} (voorziening 1)" in r.err
    assert r.err.startswith("Error: ") and "Traceback" not in r.err
    # placeholder text: refused
    r = mw("justify", b, UREN, "--tekst", "n.v.t.", *CONSULENT)
    assert r.code == 1 and "plaatshouder" in r.err
    # a legal ground of the other law: refused
    r = mw("justify", b, UREN, "--tekst", GOED, "--grond", "jeugdwet-2.3", *CONSULENT)
    assert r.code == 1 and "past niet bij een besluit onder wmo2015" in r.err
    # a ground the kader does not name as its afwijkbevoegdheid (K31): refused, naming it
    r = mw("justify", b, TARIEF, "--voorziening", "1", "--tekst", GOED, "--grond",
           "hardheidsclausule", *CONSULENT)
    assert r.code == 1 and "geen bevoegdheid om van test.tarief" in r.err and "Awb art. 4:84" in r.err
    assert shown["afwijkingen"][2]["vereist"]["bevoegdheid"] == ["awb-4:84"]
    assert "Afwijken mag op grond van: Awb art. 4:84" in mw("show", b).out
    # akkoord before the motivering: refused
    r = mw("approve", b, UREN, *TEAMLEIDER)
    assert r.code == 1 and "nog geen motivering" in r.err

    for kader, extra in ((UREN, ()), (BEHOEFTEN, ("--grond", "hardheidsclausule")),
                         (TARIEF, ("--voorziening", "1")), (f"{TARIEF}@2", ())):
        r = mw("justify", b, kader, *extra, "--tekst", GOED, *CONSULENT, "--json")
        assert r.code == 0, r.err
    assert r.json["status"] == "open"

    r = mw("approve", b, UREN, "--by", "c.jansen", "--role", "teamleider")
    assert r.code == 1 and "c.jansen heeft de rol teamleider niet" in r.err   # not his role
    r = mw("approve", b, UREN, "--by", "g.mandaat", "--role", "gemandateerde")
    assert r.code == 1 and "vraagt de rol teamleider" in r.err          # wrong role
    r = mw("approve", b, TARIEF, "--voorziening", "1", *TEAMLEIDER)
    assert r.code == 1 and "vraagt geen akkoord" in r.err              # none needed
    assert mw("approve", b, UREN, *TEAMLEIDER).code == 0
    assert mw("show", b, "--json").json["status"] == "open"            # jurist still missing
    r = mw("approve", b, BEHOEFTEN, *JURIST, "--json")
    assert r.code == 0 and r.json["status"] == "afwijking gemotiveerd" and r.json["open"] == []

    final = mw("show", b, "--json").json
    assert final["status"] == "afwijking gemotiveerd"
    assert [h["soort"] for h in final["geschiedenis"]] == (
        ["besluit vastgelegd"] + ["motivering toegevoegd"] * 4 + ["akkoord gegeven"] * 2)
    behoeften = final["afwijkingen"][0]
    assert behoeften["motivering"]["grond"] == "hardheidsclausule"
    assert behoeften["akkoord"]["door"] == "m.bakker" and behoeften["ontbreekt"] == []
    listed = mw("list", "--json").lines
    assert [(x["besluit"], x["status"]) for x in listed[:-1]] == [(b, "afwijking gemotiveerd")]
    assert listed[-1] == {"aantal": 1, "volgende": None}


def test_record_takes_motiveringen_from_the_voorstel_and_the_command_line(mw, write_voorstel):
    path = write_voorstel("open", motiveringen=[{"kader": TARIEF, "voorziening": 2, "tekst": GOED}])
    r = mw("record", path, *CONSULENT, "--motivering", f"{TARIEF}@1={GOED}",
           "--motivering", f"{UREN}={GOED} (tekst met = teken)", "--json")
    assert r.code == 0, r.err
    shown = mw("show", r.json["besluit"], "--json").json
    by_key = {(a["kader"], a["voorziening"]): a for a in shown["afwijkingen"]}
    assert by_key[(TARIEF, 2)]["motivering"]["bron"] == "voorstel"
    assert by_key[(TARIEF, 1)]["ontbreekt"] == []
    assert by_key[(UREN, 1)]["motivering"]["tekst"].endswith("(tekst met = teken)")
    assert by_key[(UREN, 1)]["ontbreekt"] == ["akkoord van teamleider"]


def test_record_refuses_bad_motiveringen_and_records_nothing(mw, write_voorstel):
    path = write_voorstel("open", motiveringen=[{"kader": "test.bestaat.niet", "tekst": GOED}])
    r = mw("record", path, *CONSULENT)
    assert r.code == 1 and str(path) in r.err and "wijkt niet af" in r.err
    r = mw("record", write_voorstel("open", name="b"), *CONSULENT, "--motivering", f"{UREN}=todo")
    assert r.code == 1 and "plaatshouder" in r.err
    r = mw("record", write_voorstel("open", name="c"), *CONSULENT, "--motivering", "zonder-is-teken")
    assert r.code == 1 and "KADER=TEKST" in r.err
    listed = mw("list", "--json")      # SQLite: no file was even created
    assert "geen besluitenlog" in listed.err if listed.code else listed.lines[-1]["aantal"] == 0


def test_binnen_kaders_and_list_filters(mw, write_voorstel):
    binnen = mw("record", write_voorstel("binnen"), *CONSULENT, "--json").json
    assert binnen["status"] == "binnen kaders" and binnen["afwijkingen"] == 0
    open_ = mw("record", write_voorstel("open", id="V-2026-002"), *CONSULENT, "--datum",
               "2026-03-02", "--json").json
    shown = mw("show", open_["besluit"], "--json").json["vastgelegd"]
    assert shown["datum"] == "2026-03-02" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
                                                          shown["tijdstip"])
    ids = lambda *a: [x["besluit"] for x in mw("list", "--json", *a).lines[:-1]]
    assert ids() == [open_["besluit"], binnen["besluit"]]       # newest first
    assert ids("--status", "open") == [open_["besluit"]]
    assert ids("--status", "binnen kaders") == [binnen["besluit"]]
    assert ids("--since", "2026-01-01") == ids() and ids("--since", "2999-01-01") == []
    text = mw("list").out
    assert "binnen kaders" in text and "2 besluiten" in text


def test_human_output_names_what_is_missing(mw, write_voorstel):
    out = mw("record", write_voorstel("open"), *CONSULENT).out
    b = re.search(r"B-[0-9a-f]{12}", out).group(0)
    assert "Status: open" in out and "akkoord van teamleider" in out
    mw("justify", b, UREN, "--tekst", GOED, "--grond", "awb-4:84", *CONSULENT)
    shown = mw("show", b).out
    for part in (f"Besluit {b} · status open", "Ruleset logtest 1 · sha256", "Afwijkingen (4)",
                 "vereist: motivering en akkoord van teamleider", "grond Awb art. 4:84", GOED,
                 "Ontbreekt: akkoord van teamleider", "Geschiedenis", "motivering toegevoegd"):
        assert part in shown, part


def test_errors_are_one_dutch_line(db, mw, write_voorstel, tmp_path):
    assert mw("record", write_voorstel("binnen"), *CONSULENT).code == 0
    r = mw("show", "B-ffffffffffff")
    assert r.code == 1 and r.err.count("\n") == 1 and "onbekend besluit" in r.err
    r = mw("show", "iets")
    assert r.code == 1 and "geen besluit-id" in r.err
    r = mw("record", write_voorstel("open"), "--by", "c.jansen", "--role", "wethouder")
    assert r.code == 2
    r = mw("record", write_voorstel("open"), "--by", "c jansen", "--role", "consulent")
    assert r.code == 1 and "ongeldige auteur" in r.err
    r = mw("justify", "B-ffffffffffff", UREN, "--tekst", GOED, *CONSULENT, "--datum", "gisteren")
    assert r.code == 2 and "geen datum" in r.err
    r = mw("record", write_voorstel("open"), "--role", "consulent")     # PostgreSQL: the login
    assert r.code == 1 and ("geen geregistreerde gebruiker" if db.startswith("postgresql")
                            else "--by ontbreekt") in r.err


@pytest.mark.parametrize("command", ["record", "justify", "approve", "show", "list", "wachtrij",
                                     "terugsturen", "meelezen", "opmerking", "gebruiker list",
                                     "gebruiker add", "gebruiker init", "gebruiker rol",
                                     "gebruiker intrekken", "import"])
def test_every_command_has_help_with_an_example(mw, command):
    r = mw(*command.split(), "--help")
    assert r.code == 0 and "Voorbeeld" in r.out and f"maatwerk {command.split()[0]}" in r.out
    if command not in ("show", "list", "gebruiker list", "gebruiker init"):
        assert "--by" in r.out
    if command in ("record", "justify", "approve", "terugsturen", "meelezen", "opmerking",
                   "import"):
        assert "--role" in r.out
    assert "--json" in r.out and "--db" in r.out


def test_missing_sqlite_log_and_db_from_environment(mw, tmp_path, monkeypatch, write_voorstel):
    r = mw("list", "--db", str(tmp_path / "elders.db"))
    assert r.code == 1 and "geen besluitenlog gevonden" in r.err
    monkeypatch.setenv("MAATWERK_DB", str(tmp_path / "via-env.db"))
    r = mw("record", write_voorstel("binnen"), *CONSULENT)         # a new log has no users yet
    assert r.code == 1 and "gebruiker init" in r.err
    assert (tmp_path / "via-env.db").exists()
    assert mw("gebruiker", "init", "b.beheer").code == 0


@pytest.mark.parametrize("command", ["record", "justify", "approve"])
def test_the_time_of_an_event_is_not_the_users_to_give(mw, command):
    """#13.2: --tijdstip is gone; the log sets the registration time itself."""
    r = mw(command, "x", "y", *CONSULENT, "--tijdstip", "2019-01-01T09:00:00Z")
    assert r.code == 2 and "--tijdstip" in r.err


def test_record_against_the_bundled_wmo2015_base(mw, write_voorstel):
    from maatwerk.engine.rules.catalog import bundled_folder
    r = mw("record", write_voorstel("open"), *CONSULENT, "--rulesets", str(bundled_folder()),
           "--ruleset", "wmo2015", "--json")
    assert r.code == 0, r.err
    assert r.json["ruleset"]["id"] == "wmo2015" and r.json["status"] == "open"
