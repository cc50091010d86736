"""`maatwerk gebruiker | wachtrij | terugsturen | meelezen | opmerking`, revisions, --datum;
end to end on both stores (the `mw` fixture registers the test users of support/logdata.py)."""

from __future__ import annotations

import re

from logdata import BEHEERDER, GOED, UREN

BEHEER = ("--by", BEHEERDER)
CONSULENT = ("--by", "c.jansen", "--role", "consulent")
TEAMLEIDER = ("--by", "t.devries", "--role", "teamleider")


def test_a_beheerder_manages_users_and_others_cannot(mw):
    r = mw("gebruiker", "add", "n.nieuw", "--rol", "consulent", "--rol", "jurist", "--naam",
           "Nina Nieuw", *BEHEER, "--json")
    assert r.code == 0, r.err
    assert r.json["gebruiker"] == "n.nieuw" and r.json["rollen"] == ["consulent", "jurist"]
    assert mw("gebruiker", "intrekken", "n.nieuw", "jurist", *BEHEER).code == 0
    assert mw("gebruiker", "rol", "n.nieuw", "teamleider", *BEHEER).code == 0
    users = {u["gebruiker"]: u["rollen"] for u in mw("gebruiker", "list", "--json").json[
        "gebruikers"]}
    assert users["n.nieuw"] == ["consulent", "teamleider"]
    r = mw("gebruiker", "rol", "c.jansen", "teamleider", "--by", "c.jansen")
    assert r.code == 1 and "c.jansen is geen beheerder" in r.err
    r = mw("gebruiker", "init", "x.tweede")
    assert r.code == 1 and "al gebruikers" in r.err
    r = mw("gebruiker", "add", "n.nieuw", *BEHEER)
    assert r.code == 1 and "bestaat al" in r.err
    r = mw("gebruiker", "rol", "n.nieuw", "wethouder", *BEHEER)
    assert r.code == 2
    text = mw("gebruiker", "list").out
    assert re.search(r"n\.nieuw\s+Nina Nieuw\s+consulent, teamleider", text), text


def test_the_impersonation_of_issue_11_is_refused_from_the_command_line(mw, write_voorstel):
    b = mw("record", write_voorstel("open"), *CONSULENT, "--json").json["besluit"]
    assert mw("justify", b, UREN, "--tekst", GOED, "--by", "p.bakker", "--role", "consulent"
              ).code == 0                       # under a colleague's name: a file cannot know
    r = mw("approve", b, UREN, "--by", "c.jansen", "--role", "teamleider")
    assert r.code == 1 and "c.jansen heeft de rol teamleider niet" in r.err
    r = mw("approve", b, UREN, "--by", "x.niemand", "--role", "teamleider")
    assert r.code == 1 and "x.niemand is geen geregistreerde gebruiker" in r.err
    assert mw("show", b, "--json").json["status"] == "open"
    assert mw("audit", "verify").code == 0


def test_queue_return_read_along_and_remark(mw, write_voorstel):
    b = mw("record", write_voorstel("open"), *CONSULENT, "--json").json["besluit"]
    mw("justify", b, UREN, "--tekst", GOED, *CONSULENT)
    queue = mw("wachtrij", "--by", "t.devries", "--json").json
    assert [(w["besluit"], w["kader"], w["voorziening"], w["motivering"], w["dagen"])
            for w in queue["wachtrij"]] == [(b, UREN, 1, GOED, 0)]
    assert "wacht op uw akkoord" in mw("wachtrij", "--by", "t.devries").out
    assert mw("wachtrij", "--by", "c.jansen", "--json").json["aantal"] == 0
    assert mw("meelezen", b, UREN, "--collega", "p.bakker", *CONSULENT).code == 0
    r = mw("opmerking", b, UREN, "--tekst", "Noem ook de herbeoordeling in juni", "--by",
           "p.bakker", "--role", "consulent", "--json")
    assert r.code == 0 and r.json["status"] == "open", r.err     # a remark is no akkoord
    r = mw("opmerking", b, UREN, "--tekst", "Ik lees ook graag even mee hier", "--by", "m.bakker",
           "--role", "jurist")
    assert r.code == 1 and "niet gevraagd mee te lezen" in r.err
    assert mw("terugsturen", b, UREN, "--reden", "Onderbouw waarom minder uren niet volstaan",
              *TEAMLEIDER).code == 0
    assert mw("wachtrij", "--by", "t.devries", "--json").json["aantal"] == 0
    r = mw("approve", b, UREN, *TEAMLEIDER)
    assert r.code == 1 and "teruggestuurd" in r.err
    shown = mw("show", b).out
    for part in ("Meelezen gevraagd aan p.bakker door c.jansen", "Opmerking (geen akkoord) door "
                 "p.bakker", "Noem ook de herbeoordeling in juni", "Teruggestuurd door t.devries",
                 "Reden: Onderbouw waarom minder uren niet volstaan",
                 "Ontbreekt: nieuwe motivering (teruggestuurd), akkoord van teamleider",
                 "teruggestuurd", "opmerking", "meelezen gevraagd"):
        assert part in shown, part
    stand = mw("show", b, "--json").json["afwijkingen"][1]
    assert [x["door"] for x in stand["opmerkingen"]] == ["p.bakker"]
    assert stand["teruggestuurd"][0]["reden"].startswith("Onderbouw")


def test_a_repeat_is_the_same_besluit_and_a_change_a_revision(mw, write_voorstel):
    first = mw("record", write_voorstel("open"), *CONSULENT, "--json").json
    again = mw("record", write_voorstel("open"), *CONSULENT, "--json").json
    assert again["besluit"] == first["besluit"] and again["seq"] == first["seq"]
    changed = mw("record", write_voorstel("binnen"), *CONSULENT, "--json").json
    assert changed["besluit"] != first["besluit"]
    assert mw("show", changed["besluit"], "--json").json["vervangt"] == first["besluit"]
    assert f"Herziening: vervangt besluit {first['besluit']}" in mw("show", changed["besluit"]).out
    rows = mw("list", "--json").lines[:-1]
    assert [(r["besluit"], r["vervangt"]) for r in rows] == [
        (changed["besluit"], first["besluit"]), (first["besluit"], None)]
    assert f"(herziet {first['besluit']})" in mw("list").out


def test_an_akkoord_backdated_to_2019_is_impossible(mw, write_voorstel):
    """#13.2: the reproduction, from the command line."""
    b = mw("record", write_voorstel("open"), *CONSULENT, "--datum", "2026-02-20", "--json").json
    mw("justify", b["besluit"], UREN, "--tekst", GOED, *CONSULENT)
    r = mw("approve", b["besluit"], UREN, *TEAMLEIDER, "--datum", "2019-06-01")
    assert r.code == 1 and "ligt vóór het besluit" in r.err
    r = mw("approve", b["besluit"], UREN, *TEAMLEIDER, "--tijdstip", "2019-06-01T09:00:00Z")
    assert r.code == 2
    r = mw("approve", b["besluit"], UREN, *TEAMLEIDER, "--datum", "2026-02-21", "--json")
    assert r.code == 0, r.err
    events = mw("show", b["besluit"], "--json").json["geschiedenis"]
    assert events[0]["datum"] == "2026-02-20" and events[-1]["datum"] == "2026-02-21"
    assert events[-1]["tijdstip"] >= events[0]["tijdstip"] > "2026"


def test_history_is_imported_explicitly_and_marked(mw, write_voorstel):
    """#13.2: importing history is its own command; its events say so."""
    r = mw("import", write_voorstel("open"), "--datum", "2025-11-03", *CONSULENT, "--json")
    assert r.code == 0, r.err
    b = r.json["besluiten"][0]
    first = mw("show", b, "--json").json["geschiedenis"][0]
    assert (first["herkomst"], first["datum"]) == ("import", "2025-11-03")
    assert first["tijdstip"] > "2026" and "geïmporteerd" in mw("show", b).out
    r = mw("import", write_voorstel("open", id="V-2"), "--datum", "2999-01-01", *CONSULENT)
    assert r.code == 1 and "toekomst" in r.err
    assert mw("import", write_voorstel("open", id="V-3"), *CONSULENT).code == 2   # needs --datum
    assert mw("audit", "verify").code == 0
