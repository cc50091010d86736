"""Audit on SQLite and PostgreSQL: every tamper kind found, replay identical, impact by hand."""

from __future__ import annotations

import datetime as dt

import json

import pytest
from logdata import GOED, N_USERS, RULESET, T0, TARIEF, UREN, at, raw, record, voorstel_data
from maatwerk.engine.audit.draft import with_parameter
from maatwerk.engine.audit.verify import impact_log
from maatwerk.engine.errors import AuditFailure
from maatwerk.engine.evaluate.check import check
from maatwerk.engine.log import besluit as rules
from maatwerk.engine.rules.catalog import Catalog
from maatwerk.engine.rules.load import voorstel_from_data

U = N_USERS          # the test users' events come first


@pytest.fixture
def filled(db, store, rulesets):
    """Three besluiten, two motiveringen and one akkoord: 6 events."""
    a = record(store, rulesets, tijdstip=T0)
    store.justify(a.id, UREN, 1, GOED, "awb-4:84", "c.jansen", "consulent")
    at(store, "2026-03-02T15:00:00Z").approve(a.id, UREN, 1, "t.devries", "teamleider")
    record(store, rulesets, kind="binnen", id="V-2026-002")
    b = record(store, rulesets, door="p.bakker", id="V-2026-003")
    store.justify(b.id, TARIEF, 2, GOED, None, "p.bakker", "consulent")
    return a, b


def _verify_fails(mw, reason: str, seq: int):
    result = mw("audit", "verify")
    assert result.code == 3, result.err
    assert f"keten gebroken bij gebeurtenis #{seq}" in result.err
    assert reason in result.err
    assert "Traceback" not in result.err


def test_an_intact_log_verifies_and_prints_its_head(mw, filled):
    result = mw("audit", "verify", "--json")
    assert result.code == 0, result.err
    assert result.json["gebeurtenissen"] == U + 6 and result.json["besluiten"] == 3
    assert result.json["kop"].startswith(f"{U + 6}:")


def test_edit_is_found(db, mw, filled):
    conn = raw(db)
    _drop_guards(db, conn)
    conn.execute(f"UPDATE events SET door = 'x.vals' WHERE seq = {U + 3}")
    _verify_fails(mw, "inhoud gewijzigd", U + 3)


def test_deletion_is_found(db, mw, filled):
    conn = raw(db)
    _drop_guards(db, conn)
    conn.execute(f"DELETE FROM events WHERE seq = {U + 2}")
    _verify_fails(mw, f"{U + 3} waar {U + 2} verwacht", U + 3)


def test_insertion_is_found(db, mw, store, filled):
    rows = list(store.rows())
    conn = raw(db)
    _drop_guards(db, conn)
    forged = dict(rows[U + 2], tijdstip="2026-03-02T15:00:01Z")   # only the chain breaks
    for r in reversed(rows[U + 2:]):
        conn.execute(_sql(db, "UPDATE events SET seq = ? WHERE seq = ?"), (r["seq"] + 1, r["seq"]))
    from maatwerk.engine.log.events import body_hash
    from maatwerk.engine.log.events import hashed
    body = hashed(forged)
    cols = list(forged)
    from maatwerk.engine.model.canonical import dumps
    values = [dumps(forged[c]) if c == "payload" else forged[c] for c in cols]
    values[cols.index("hash")] = body_hash(body)
    conn.execute(_sql(db, f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"),
                 tuple(values))
    _verify_fails(mw, "", U + 4)


def test_reordering_is_found(db, mw, filled):
    conn = raw(db)
    _drop_guards(db, conn)
    conn.execute(f"UPDATE events SET seq = 100 WHERE seq = {U + 2}")
    conn.execute(f"UPDATE events SET seq = {U + 2} WHERE seq = {U + 3}")
    conn.execute(f"UPDATE events SET seq = {U + 3} WHERE seq = 100")
    _verify_fails(mw, "", U + 2)


def test_changed_ruleset_content_is_found(db, mw, filled):
    conn = raw(db)
    _drop_guards(db, conn)
    conn.execute("UPDATE rulesets SET inhoud = replace(inhoud, '30.0', '99.0')")
    _verify_fails(mw, "ruleset-inhoud", U + 1)


def test_unreadable_payload_is_found(db, mw, filled):
    conn = raw(db)
    _drop_guards(db, conn)
    conn.execute(f"UPDATE events SET payload = 'geen json {{' WHERE seq = {U + 5}")
    _verify_fails(mw, "inhoud gewijzigd", U + 5)


def test_cut_off_tail_is_found_with_the_head(db, mw, filled):
    head = mw("audit", "verify", "--json").json["kop"]
    conn = raw(db)
    _drop_guards(db, conn)
    conn.execute(f"DELETE FROM events WHERE seq = {U + 6}")
    assert mw("audit", "verify").code == 0          # a shorter chain is still a chain
    result = mw("audit", "verify", "--kop", head)
    assert result.code == 3 and "ingekort of herschreven" in result.err


def test_a_file_that_is_no_log_is_an_audit_failure(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from maatwerk.cli.main import cli
    bad = tmp_path / "kapot.db"
    bad.write_bytes(b"dit is geen sqlite-bestand" * 100)
    result = CliRunner().invoke(cli, ["audit", "verify", "--db", str(bad)])
    assert isinstance(result.exception, AuditFailure)
    assert "kan niet gelezen worden" in str(result.exception)


def test_replay_of_one_besluit_is_identical(mw, filled):
    a, _ = filled
    result = mw("audit", "replay", a.id, "--json")
    assert result.code == 0, result.err
    assert result.json["verschillend"] == 0 and result.json["uitkomsten"][0]["gelijk"]


def test_replay_mismatch_exits_3_with_a_readable_diff(db, mw, store, rulesets):
    voorstel = voorstel_from_data(voorstel_data("open"), "<t>")
    day = voorstel.default_peildatum()
    eff = Catalog.load(rulesets, strict=False).for_voorstel("gm0344", "wmo2015", day)
    payload = rules.vastlegging(voorstel, check(eff, voorstel, day), eff)
    forged = [dict(a) for a in payload.afwijkingen]
    forged[1]["grens"] = 5
    payload = payload.model_copy(update={"afwijkingen": forged})
    store.record(payload, eff.stored(), [], "c.jansen", "consulent")
    result = mw("audit", "replay", "--all")
    assert result.code == 3
    assert "grens: vastgelegd 5 → nu 4" in result.out
    assert "1 van 1 besluiten" in result.err


def test_impact_matches_a_case_counted_by_hand(db, store, tmp_path):
    folder = tmp_path / "rs"
    (folder / "t").mkdir(parents=True)
    v1 = RULESET.replace('geldig_vanaf: 2026-01-01', 'geldig_vanaf: 2026-01-01\ngeldig_tot: 2026-05-31')
    v2 = (RULESET.replace('versie: "1"', 'versie: "2"')
          .replace("geldig_vanaf: 2026-01-01", "geldig_vanaf: 2026-06-01")
          .replace("waarde: 4}", "waarde: 5}").replace("waarde: 30.0}", "waarde: 25.0}"))
    (folder / "t" / "2026-01-01.yaml").write_text(v1, encoding="utf-8")
    (folder / "t" / "2026-06-01.yaml").write_text(v2, encoding="utf-8")
    cat = Catalog.load(folder, strict=True)

    def one(volume, tarief, motivate=False):
        data = voorstel_data("binnen")
        data["voorzieningen"] = [{"productcategorie": "01", "volume": volume, "eenheid": "04",
                                  "frequentie": "2", "tarief": tarief}]
        voorstel = voorstel_from_data(data, "<t>")
        day = voorstel.default_peildatum()
        eff = cat.for_voorstel("gm0344", "wmo2015", day)
        payload = rules.vastlegging(voorstel, check(eff, voorstel, day), eff)
        b = store.record(payload, eff.stored(), [], "c.jansen", "consulent")
        if motivate:
            store.justify(b.id, UREN, 1, GOED, None, "c.jansen", "consulent")
        return b.id

    a = one(6, 35.0)                 # v1: uren 6>4, tarief 35>30 | v2: 6>5, 35>25: both bounds change
    b = one(4.5, 28.0, motivate=True)  # v1: uren 4,5>4           | v2: uren no longer; tarief 28>25 new
    one(3, 20.0)                     # nothing under either
    result = impact_log(store, cat, "logtest@2", None, None, "python")
    assert result["besluiten"] == 3 and result["geraakt"] == 2
    assert result["per_kader"] == {
        UREN: {"nieuw": 0, "vervalt": 1, "gewijzigd": 1, "gemotiveerd_vervalt": 1},
        TARIEF: {"nieuw": 1, "vervalt": 0, "gewijzigd": 1, "gemotiveerd_vervalt": 0}}
    by_id = {r["besluit"]: {(w["kader"], w["soort"]) for w in r["wijzigingen"]}
             for r in result["per_besluit"]}
    assert by_id == {a: {(UREN, "gewijzigd"), (TARIEF, "gewijzigd")},
                     b: {(UREN, "vervalt"), (TARIEF, "nieuw")}}
    changed = next(w for r in result["per_besluit"] for w in r["wijzigingen"]
                   if r["besluit"] == a and w["kader"] == UREN)
    assert changed["was"]["grens"] == 4 and changed["wordt"]["grens"] == 5
    assert impact_log(store, cat, "logtest@2", None, None, "columnar") == result
    # a draft of version 2 with the old norm: only the tarief changes remain
    draft = with_parameter("max_uren", 4, dt.date(2026, 6, 1))
    for engine in ("python", "columnar"):
        again = impact_log(store, cat, "logtest@2", None, None, engine, 1, draft)
        assert again["per_kader"] == {TARIEF: {"nieuw": 1, "vervalt": 0, "gewijzigd": 1,
                                               "gemotiveerd_vervalt": 0}}


def test_impact_draft_parameter_bad_input_is_one_dutch_line(mw, filled):
    for arg, what in (("max_uren", "heeft niet de vorm NAAM=WAARDE"),
                      ("max_urn=5", "onbekende parameter 'max_urn'"),
                      ("max_uren=veel", "'veel' is geen getal")):
        r = mw("audit", "impact", "--ruleset", "logtest@1", "--parameter", arg)
        assert r.code == 1 and what in r.err and "Traceback" not in r.err, r.err
    r = mw("audit", "impact", "--ruleset", "logtest@1", "--parameter", "max_uren=3,5", "--json")
    assert r.code == 0, r.err
    counts = r.json["per_kader"][UREN]
    assert counts["gewijzigd"] + counts["nieuw"] >= 1


def test_report_counts_motivated_share_grounds_and_time(mw, filled):
    result = mw("audit", "report", "--json")
    assert result.code == 0, result.err
    groups = {g["groep"]: g for g in result.json["groepen"]}
    assert groups[UREN]["afwijkingen"] == 2 and groups[UREN]["gemotiveerd"] == 1
    assert groups[UREN]["mediaan_uren_tot_akkoord"] == 6.0
    assert groups[UREN]["gronden"] == {"Awb art. 4:84": 1}
    assert groups[TARIEF]["afwijkingen"] == 4 and groups[TARIEF]["gemotiveerd"] == 1
    by_author = {g["groep"]: g["afwijkingen"] for g in mw("audit", "report", "--by", "consulent",
                                                          "--json").json["groepen"]}
    assert by_author == {"c.jansen": 4, "p.bakker": 4}


def test_export_masks_fields(mw, filled):
    result = mw("audit", "export", "--jsonl", "--mask", "client.pseudoniem", "--mask", "door")
    assert result.code == 0, result.err
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert len(lines) == U + 6
    first = lines[U]
    assert first["payload"]["voorstel"]["client"]["pseudoniem"] == "***"
    assert first["door"] == "***"
    # on PostgreSQL the server login is named as `dienst` too: a user name, masked with door
    assert first.get("dienst") in (None, "***")
    assert first["gemaskeerd"] == sorted(["besluit", "door", "hash", "prev", "voorstel.client.pseudoniem"]
                                         + (["dienst"] if "dienst" in first else []))
    assert "C-7f3a" not in result.out


def _drop_guards(db, conn) -> None:
    """Remove the append-only triggers, as someone with direct access to the database could."""
    if db.startswith("postgresql"):
        for t in ("events", "rulesets"):
            conn.execute(f"ALTER TABLE {t} DISABLE TRIGGER USER")
        return
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    for name in names:
        conn.execute(f"DROP TRIGGER {name}")


def _sql(db: str, text: str) -> str:
    return text.replace("?", "%s") if db.startswith("postgresql") else text
