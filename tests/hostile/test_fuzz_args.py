"""Fuzzing the arguments of the log commands: any text for ids, names, texts and times.

`record`, `justify`, `approve`, `show`, `list` and `audit` get arbitrary values
(hostile strings, megabytes, control characters, SQL, edge dates) in every
argument. Each run exits 0, 1 or 2 with one printable `Error:` line when it is
not 0, never a traceback; a refused request writes nothing; whatever was accepted
keeps the chain intact and readable by `show`. SQLite, in process.
"""

from __future__ import annotations

import json

import fuzzcore
import mutate
import pytest
import yaml
from fuzzprofile import FUZZ
from hypothesis import given, settings
from hypothesis import strategies as st
from logdata import GOED, TARIEF, UREN, voorstel_data, register_db
from maatwerk.engine.log.store.open import open_store

TEXT = st.one_of(
    st.text(max_size=40), st.sampled_from(mutate.HOSTILE_TEXT + mutate.HOSTILE_SCALARS),
    st.sampled_from(["c.jansen", "C.Jansen", "t.devries", "x" * 5000, GOED, GOED * 80, "",
                     "B-ffffffffffff", UREN, f"{UREN}@1", f"{TARIEF}@2", f"{TARIEF}@99",
                     "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "2026-03-02",
                     "2026-03-02T09:00:00Z", "-1", "0", "51", "awb-4:84", "--help", "-"]))
ROLES = ["consulent", "teamleider", "gemandateerde", "jurist", "beheerder", "auditor"]
PEOPLE = ["c.jansen", "t.devries", "m.bakker", "C.JANSEN", "p.smit"]


def mostly(draw, good: list, hostile=TEXT, p: int = 7):
    """A plausible value 7 times in 10 (so the rules are reached), else anything."""
    return draw(st.sampled_from(good)) if draw(st.integers(0, 9)) < p else draw(hostile)


@pytest.fixture(scope="module")
def world(tmp_path_factory, rulesets):
    folder = tmp_path_factory.mktemp("args")
    voorstel = folder / "open.yaml"
    voorstel.write_text(yaml.safe_dump(voorstel_data("open")), encoding="utf-8")
    db = str(folder / "log.db")
    register_db(db)
    code, out, err = fuzzcore.cli(["record", str(voorstel), "--db", db, "--rulesets", str(rulesets),
                                   "--by", "c.jansen", "--role", "consulent", "--json"])
    assert code == 0, err
    return {"db": db, "rulesets": str(rulesets), "voorstel": str(voorstel),
            "besluit": json.loads(out)["besluit"]}


def _events(db: str) -> int:
    with open_store(db) as store:
        return store.counts()["gebeurtenissen"]


@st.composite
def commands(draw, w):
    besluit = mostly(draw, [w["besluit"]])
    kader = mostly(draw, [UREN, TARIEF, f"{TARIEF}@2", f"{UREN}@1", "test.onderzoek.behoeften"])
    who = ["--by", mostly(draw, PEOPLE), "--role", mostly(draw, ROLES, p=8)]
    when = ["--datum", draw(TEXT)] if draw(st.integers(0, 3)) == 0 else []
    pick = draw(st.sampled_from(["record", "justify", "approve", "show", "list", "replay", "verify"]))
    if pick == "record":
        extra = ["--motivering", f"{mostly(draw, [TARIEF + '@1', UREN])}={mostly(draw, [GOED])}"] \
            if draw(st.booleans()) else []
        team = ["--team", mostly(draw, ["wijkteam-noord", "Team 3"])] if draw(st.booleans()) else []
        return ["record", w["voorstel"], "--rulesets", w["rulesets"], *who, *extra, *team, *when]
    if pick == "justify":
        grond = ["--grond", draw(TEXT)] if draw(st.booleans()) else []
        vz = ["--voorziening", draw(TEXT)] if draw(st.booleans()) else []
        tekst = mostly(draw, [GOED, GOED + " en herzien", GOED * 2], p=6)
        return ["justify", besluit, kader, "--tekst", tekst, *grond, *vz, *who, *when]
    if pick == "approve":
        return ["approve", besluit, kader, *who, *when]
    if pick == "show":
        return ["show", besluit] + (["--json"] if draw(st.booleans()) else [])
    if pick == "list":
        return ["list", "--since", draw(TEXT)] if draw(st.booleans()) else ["list"]
    if pick == "replay":
        return ["audit", "replay", besluit]
    return ["audit", "verify", "--kop", draw(TEXT)]


@settings(max_examples=150 if FUZZ == "ci" else 1500, deadline=None, database=None)
@given(data=st.data())
def test_any_argument_gives_an_answer_not_a_traceback(world, data):
    argv = data.draw(commands(world), label="argv")
    argv = [a for a in argv if a is not None]
    db = world["db"]
    before = _events(db)
    code, out, err = fuzzcore.cli([*argv, "--db", db] if argv[0] != "audit" else
                                  [*argv[:2], "--db", db, *argv[2:]])
    assert code in (0, 1, 2, 3), (code, err)
    assert "Traceback" not in err and "interne fout" not in err, err
    if code:
        errors = [line for line in err.splitlines() if line.startswith("Error: ")]
        assert len(errors) >= 1 and all(line.isprintable() for line in errors), err
        assert len(err) < 20_000, "a message may not echo megabytes"
        assert _events(db) == before, "a refused request wrote to the log"
        if code == 3:
            assert argv[:2] == ["audit", "verify"] and "--kop" in argv, err
    with open_store(db) as store:
        assert store.verify() is None
        for b in store.besluiten():
            assert b.status in ("open", "afwijking gemotiveerd", "binnen kaders")
