"""A masked export cannot be unmasked: every masked value is tried over its whole domain
against the exported lines (as the attack that recovered a geboortedatum in 17,259 tries
did, with the original hashes and the besluit id), and none is recovered; values derived
from a masked field are masked too; an unknown mask is a usage error (exit 2)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

import pytest
import yaml
from maatwerk.engine.log.events import besluit_id
from maatwerk.engine.model import canonical

AOW = "wmo.bijdrage.partner-aow"
CLIENT, PARTNER = "1941-06-30", "1962-03-04"     # the partner is under the AOW age: a finding
TEKST = "Partner is na een heupoperatie tot juni niet belastbaar; bijdrage tijdelijk nihil"
MARK = "@@kandidaat@@"


@pytest.fixture
def logged(root, mw, tmp_path):
    """One besluit with the partner-age afwijking, its motivering and its akkoord."""
    data = yaml.safe_load((root / "examples/voorstellen/utrecht-traplift-hbh-toiletverhoger.yaml")
                          .read_text(encoding="utf-8"))
    data["client"]["geboortedatum"] = CLIENT
    data["huishouden"]["partner"]["geboortedatum"] = PARTNER
    data["eigen_bijdrage"] = {"bedrag": 21.80, "periode": "maand"}
    path = tmp_path / "voorstel.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    bundled = ["--rulesets", str(root / "rulesets")]
    done = mw("record", path, *bundled, "--by", "c.jansen", "--role", "consulent",
              "--motivering", f"{AOW}={TEKST}", "--json")
    assert done.code == 0, done.err
    b = done.json["besluit"]
    assert mw("approve", b, AOW, "--by", "m.bakker", "--role", "jurist").code == 0
    rows = _besluit_lines(mw("audit", "export").out)
    assert [r["soort"] for r in rows] == ["besluit vastgelegd", "motivering toegevoegd",
                                          "akkoord gegeven"]
    return rows


def _besluit_lines(text: str) -> list[dict]:
    """The exported events about besluiten (the test users' own events set aside)."""
    people = {"gebruiker toegevoegd", "rol toegekend", "rol ingetrokken"}
    return [line for line in map(json.loads, text.splitlines()) if line["soort"] not in people]


def _hexes(lines: list[dict]) -> set[str]:
    return set(re.findall(r"[0-9a-f]{12,64}", json.dumps(lines)))


def _recover(original: dict, where: tuple, domain, seen: set[str], ids: set[str]):
    """The candidate whose event hash or besluit id shows up in the export, if any."""
    row = json.loads(json.dumps(original))
    node = row["payload"]
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = MARK
    body = canonical.dumps({k: v for k, v in row.items() if k not in ("hash", "gemaskeerd")})
    payload = canonical.dumps(row["payload"])
    event = type("E", (), {k: row[k] for k in ("soort", "tijdstip", "door", "rol")})
    for value in domain:
        if hashlib.sha256(body.replace(MARK, value).encode()).hexdigest() in seen:
            return value
        if besluit_id(row["prev"], event, 0, payload.replace(MARK, value)) in ids:
            return value
    return None


DAYS = [(dt.date(1900, 1, 1) + dt.timedelta(days=n)).isoformat()
        for n in range((dt.date(2026, 12, 31) - dt.date(1900, 1, 1)).days + 1)]


def test_no_masked_value_can_be_recovered_by_trying_its_domain(mw, logged, tmp_path):
    key = tmp_path / "sleutel"
    key.write_bytes(b"gemeente-sleutel-" * 4)
    texts = [TEKST, TEKST + ".", "Partner is niet belastbaar", "-"]
    for extra in ([], ["--sleutel-bestand", key]):
        out = mw("audit", "export", "--mask", "client.geboortedatum", "--mask",
                 "huishouden.partner.geboortedatum", "--mask", "motivering.tekst", *extra)
        assert out.code == 0, out.err
        lines = _besluit_lines(out.out)
        seen, ids = _hexes(lines), {line["besluit"] for line in lines}
        assert not {h for r in logged for h in (r["hash"], r["besluit"][2:])} & seen
        for where in (("voorstel", "client", "geboortedatum"),
                      ("voorstel", "huishouden", "partner", "geboortedatum"))[:0 if extra else 2]:
            assert _recover(logged[0], where, DAYS, seen, ids) is None
        assert _recover(logged[1], ("tekst",), texts, seen, ids) is None
        text = out.out
        assert CLIENT not in text and PARTNER not in text and TEKST not in text
        first = lines[0]
        aow = next(a for a in first["payload"]["afwijkingen"] if a["kader"] == AOW)
        assert {aow[k] for k in ("waargenomen", "grens", "melding")} == {"***"}
        assert first["payload"]["voorstel"]["client"]["pseudoniem"] == "U-9TR4"   # not masked
        assert lines[2]["payload"]["motivering"] == lines[1]["hash"]      # links kept inside
        assert lines[1]["prev"] == lines[0]["hash"] and lines[1]["besluit"] == first["besluit"]
    # The same attack on the unmasked lines recovers the value: the attack itself works.
    plain = _hexes(logged)
    assert _recover(logged[0], ("voorstel", "client", "geboortedatum"), DAYS, plain,
                    {logged[0]["besluit"]}) == CLIENT
    assert _recover(logged[1], ("tekst",), texts, plain, set()) == TEKST


def test_a_kader_that_does_not_read_a_masked_field_keeps_its_values(mw, logged):
    out = mw("audit", "export", "--mask", "motivering.tekst:" + AOW, "--mask", "onderzoek.*")
    first = _besluit_lines(out.out)[0]
    aow = next(a for a in first["payload"]["afwijkingen"] if a["kader"] == AOW)
    assert aow["waargenomen"] == 775 and aow["melding"] != "***"    # 64 jaar en 7 maanden
    assert _besluit_lines(out.out)[1]["payload"]["tekst"] == "***"


@pytest.mark.parametrize("mask", ["clientt.geboortedatum", "tekst", "voorzieningen.0.tarief",
                                  "motivering.tekst:"])
def test_an_unknown_mask_is_a_usage_error_naming_the_valid_paths(mw, logged, mask):
    out = mw("audit", "export", "--mask", mask)
    assert out.code == 2 and out.out == ""
    assert f"--mask '{mask}' noemt geen veld" in out.err
    assert "client.geboortedatum" in out.err and "motivering.tekst:KADER" in out.err


def test_every_computed_field_names_the_fields_it_is_read_from():  # and Parquet hides them
    """A new computed field without its sources would let a derived value slip through."""
    from maatwerk.engine.audit.masks import COMPUTED_SOURCES
    from maatwerk.engine.model.fields import COMPUTED
    assert {spec.path for spec in COMPUTED} <= set(COMPUTED_SOURCES)
    from maatwerk.engine.audit.masks import parse
    columns = parse(["client.geboortedatum", "voorzieningen.2.tarief"]).columns()
    assert {"client.leeftijd", "voorzieningen.*.tarief", "voorzieningen.*.bedrag_per_jaar"} <= set(columns)


@pytest.fixture
def reviewed(root, mw, logged, tmp_path):
    """A second besluit like `logged`'s, its motivering read along, remarked on and returned,
    and a role withdrawn: every kind of event that names a person or holds a text about the
    afwijking."""
    data = yaml.safe_load((tmp_path / "voorstel.yaml").read_text(encoding="utf-8"))
    data["id"] += "-2"
    path = tmp_path / "voorstel-2.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    done = mw("record", path, "--rulesets", root / "rulesets", "--by", "c.jansen", "--role",
              "consulent", "--motivering", f"{AOW}={TEKST}", "--json")
    assert done.code == 0, done.err
    b = done.json["besluit"]
    steps = [("meelezen", b, AOW, "--collega", "p.bakker", "--by", "c.jansen", "--role", "consulent"),
             ("opmerking", b, AOW, "--tekst", "Noem de operatiedatum", "--by", "p.bakker", "--role", "consulent"),
             ("terugsturen", b, AOW, "--reden", "Heupoperatie niet onderbouwd", "--by", "m.bakker",
              "--role", "jurist"),
             ("gebruiker", "intrekken", "a.ander", "consulent", "--by", "b.beheer")]
    for step in steps:
        done = mw(*step)
        assert done.code == 0, (step, done.err)
    return mw("audit", "export").out


def test_mask_door_leaves_no_user_name_in_any_event(mw, reviewed):
    """Not the authors, and not the people named inside events: new users and their names,
    role holders, the colleague asked to read along (the known gap of #13, closed)."""
    from tests.support.logdata import BEHEERDER, USERS
    names = {BEHEERDER, *USERS}
    assert {n for n in names if n in reviewed} == names           # all named in the plain export
    out = mw("audit", "export", "--mask", "door")
    assert out.code == 0, out.err
    assert [n for n in names if n in out.out] == []
    lines = [json.loads(line) for line in out.out.splitlines()]
    assert {line["soort"] for line in lines} >= {"gebruiker toegevoegd", "rol toegekend", "rol ingetrokken",
                                                 "meelezen gevraagd", "opmerking", "teruggestuurd"}
    assert all(line["door"] == "***" and "door" in line["gemaskeerd"] for line in lines)
    assert "Heupoperatie niet onderbouwd" in out.out          # texts stay: only names were asked


def test_mask_tekst_covers_remarks_and_returns_and_keys_their_references(mw, reviewed):
    """A remark or a reason for returning is a text about the afwijking like the motivering
    itself, and a review event's reference to the motivering is a hash over its text: both
    would leak what `motivering.tekst` masks."""
    plain = [json.loads(line) for line in reviewed.splitlines()]
    out = mw("audit", "export", "--mask", "motivering.tekst")
    assert out.code == 0, out.err
    for text in (TEKST, "Noem de operatiedatum", "Heupoperatie niet onderbouwd"):
        assert text not in out.out
    masked = {line["soort"]: line for line in map(json.loads, out.out.splitlines())}
    assert masked["teruggestuurd"]["payload"]["reden"] == "***"
    assert masked["opmerking"]["payload"]["tekst"] == "***"
    assert not {line["hash"] for line in plain} & _hexes(list(masked.values()))
    refs = {masked[s]["payload"]["motivering"] for s in ("teruggestuurd", "opmerking", "meelezen gevraagd")}
    assert refs == {masked["motivering toegevoegd"]["hash"]}   # still linked inside the export
