"""The rules of the decision log, without any database: pure functions over events."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from maatwerk.engine.errors import InputError, RefusedError
from maatwerk.engine.log import besluit as rules
from maatwerk.engine.log.chain import verify_raw
from maatwerk.engine.log.events import (
    AKKOORD,
    GENESIS,
    MOTIVERING,
    VASTGELEGD,
    BesluitVastgelegd,
    RulesetPin,
    chain,
    new_event,
    verify,
)
from maatwerk.engine.model.canonical import dumps as canonical_dumps

BID = "B-0123456789ab"
T = "2026-03-02T09:00:00Z"
GOED = "De cliënt heeft door een recente heupoperatie tijdelijk meer hulp nodig"


def afwijking(kader: str, voorziening: int | None = None, akkoord: str | None = None) -> dict:
    return {"kader": kader, "voorziening": voorziening, "waargenomen": 1, "grens": 0,
            "melding": "m", "niveau": "wet", "grondslag": {"document": "d"},
            "vereist": {"akkoord": akkoord}}


class Log:
    """An in-memory chain for one besluit, built through the pure rules only."""

    def __init__(self, afwijkingen: list[dict]):
        payload = BesluitVastgelegd(engine_versie="0.1.0", ruleset=RulesetPin(
            id="r", versie="1", sha256="a" * 64), peildatum="2026-03-02", voorstel={},
            afwijkingen=afwijkingen)
        self.events = [chain(new_event(VASTGELEGD, BID, T, "c.jansen", "consulent", payload),
                             1, GENESIS)]

    def add(self, soort, door, rol, payload):
        last = self.events[-1]
        self.events.append(chain(new_event(soort, BID, T, door, rol, payload), last.seq + 1,
                                 last.hash))

    @property
    def besluit(self) -> rules.Besluit:
        return rules.fold(self.events)

    def motiveer(self, kader, voorziening=None, door="c.jansen", rol="consulent", tekst=GOED):
        self.add(MOTIVERING, door, rol, rules.motivering(self.besluit.inhoud.afwijkingen, kader,
                                                         voorziening, tekst, besluit=BID))

    def akkoord(self, kader, voorziening=None, door="t.devries", rol="teamleider"):
        self.add(AKKOORD, door, rol, rules.akkoord(self.besluit, kader, voorziening, door, rol))


def test_status_binnen_kaders_without_afwijkingen():
    assert Log([]).besluit.status == rules.BINNEN_KADERS


def test_motivering_only_afwijking_is_gemotiveerd_after_motivering():
    log = Log([afwijking("a.b", 1)])
    assert log.besluit.status == rules.OPEN
    log.motiveer("a.b")           # voorziening inferred: the kader fired once
    assert log.besluit.status == rules.GEMOTIVEERD


def test_akkoord_needs_other_person_and_named_role():
    log = Log([afwijking("a.b", 1, "teamleider")])
    log.motiveer("a.b", 1, door="C.Jansen")
    with pytest.raises(RefusedError, match="vier ogen"):
        log.akkoord("a.b", 1, door="c.jansen ", rol="teamleider")   # same person, other case
    with pytest.raises(RefusedError, match="vraagt de rol teamleider, niet jurist"):
        log.akkoord("a.b", 1, rol="jurist")   # no stand-in: exactly the named role
    log.akkoord("a.b", 1)
    assert log.besluit.status == rules.GEMOTIVEERD
    with pytest.raises(RefusedError, match="al een akkoord"):
        log.akkoord("a.b", 1, door="m.bakker")


def test_akkoord_refused_before_motivering_and_when_none_needed():
    log = Log([afwijking("a.b", None, "jurist"), afwijking("c.d", 2)])
    with pytest.raises(RefusedError, match="nog geen motivering"):
        log.akkoord("a.b", rol="jurist")
    log.motiveer("c.d", 2)
    with pytest.raises(RefusedError, match="vraagt geen akkoord"):
        log.akkoord("c.d", 2)


def test_new_motivering_needs_new_akkoord():
    log = Log([afwijking("a.b", None, "jurist")])
    log.motiveer("a.b")
    log.akkoord("a.b", rol="jurist")
    assert log.besluit.status == rules.GEMOTIVEERD
    log.motiveer("a.b", door="t.devries", rol="jurist", tekst=GOED + " en verhuist binnenkort")
    assert log.besluit.status == rules.OPEN
    with pytest.raises(RefusedError, match="vier ogen"):     # t.devries wrote the new one
        log.akkoord("a.b", rol="jurist")
    log.akkoord("a.b", door="c.jansen", rol="jurist")
    assert log.besluit.status == rules.GEMOTIVEERD


def test_motivering_for_kader_that_did_not_fire_names_those_that_did():
    fired = [afwijking("a.b", 1), afwijking("a.b", 2), afwijking("c.d")]
    with pytest.raises(RefusedError) as exc:
        rules.motivering(fired, "x.y", None, GOED, besluit=BID)
    assert "x.y wijkt niet af" in str(exc.value) and "a.b (voorziening 1), a.b (voorziening 2), c.d" \
        in str(exc.value)
    with pytest.raises(RefusedError, match="bij voorziening 1, voorziening 2"):
        rules.motivering(fired, "a.b", None, GOED)      # ambiguous: which voorziening?
    with pytest.raises(RefusedError, match="niet bij voorziening 3"):
        rules.motivering(fired, "a.b", 3, GOED)
    assert rules.motivering(fired, "a.b", 2, GOED).voorziening == 2


@pytest.mark.parametrize("tekst", ["", "   ", "-", "n.v.t.", "N.V.T", "nvt", "zie dossier",
                                   "Zie dossier.", "x", "todo", "TODO", "...", "…", "ok",
                                   "te kort", "partner ziek", "xxxxxxxxxxxxxxxxxxxxxxxx",
                                   "todo todo todo todo todo", "zie dossier van de cliënt"])
def test_placeholder_texts_are_refused(tekst):
    with pytest.raises(RefusedError, match="geweigerd"):
        rules.motivering([afwijking("a.b")], "a.b", None, tekst)


def test_grond_must_be_an_offered_legal_ground():
    m = rules.motivering([afwijking("a.b")], "a.b", None, GOED, grond="AWB-4:84")
    assert m.grond == "awb-4:84"
    for code in rules.GRONDEN:
        assert rules.motivering([afwijking("a.b")], "a.b", None, GOED, grond=code).grond == code
    with pytest.raises(RefusedError, match="onbekende grond 'art. 4:84'.*awb-4:84"):
        rules.motivering([afwijking("a.b")], "a.b", None, GOED, grond="art. 4:84")
    assert rules.motivering([afwijking("a.b")], "a.b", None, GOED, grond="wmo-2.3.5-lid-3",
                            wet="wmo2015").grond == "wmo-2.3.5-lid-3"
    with pytest.raises(RefusedError, match="past niet bij een besluit onder wmo2015"):
        rules.motivering([afwijking("a.b")], "a.b", None, GOED, grond="jeugdwet-2.3", wet="wmo2015")
    with pytest.raises(RefusedError, match="past niet bij een besluit onder jeugdwet"):
        rules.motivering([afwijking("a.b")], "a.b", None, GOED, grond="wmo-2.3.5-lid-3",
                         wet="jeugdwet")


def test_grond_must_be_a_power_the_kader_names():
    """K31: a kader that names its afwijkbevoegdheid accepts only those grounds (or none)."""
    named = afwijking("gm.norm") | {"vereist": {"akkoord": None, "bevoegdheid": ["awb-4:84"]}}
    assert rules.motivering([named], "gm.norm", None, GOED, grond="awb-4:84").grond == "awb-4:84"
    assert rules.motivering([named], "gm.norm", None, GOED).grond is None
    with pytest.raises(RefusedError, match="geen bevoegdheid om van gm.norm af te wijken") as err:
        rules.motivering([named], "gm.norm", None, GOED, grond="hardheidsclausule")
    assert "Awb art. 4:84" in err.value.first.hint
    # a kader that names no powers takes any offered ground, as before
    assert rules.motivering([afwijking("a.b")], "a.b", None, GOED,
                            grond="hardheidsclausule").grond == "hardheidsclausule"


def test_roles_authors_and_dates_are_validated():
    assert rules.ROLLEN == ("consulent", "teamleider", "gemandateerde", "jurist", "beheerder",
                            "beleidsmedewerker", "auditor")
    with pytest.raises(InputError, match="onbekende rol"):
        rules.check_meta("c.jansen", "wethouder")
    with pytest.raises(InputError, match="ongeldige auteur"):
        rules.check_meta("c jansen; drop", "consulent")
    for bad in ("2026-03-02 09:00", "2026-02-30", "gisteren"):
        with pytest.raises(InputError, match="ongeldige datum"):
            rules.check_datum(bad)


# --- properties ------------------------------------------------------------------------------
ROLES = st.sampled_from(rules.ROLLEN)
PEOPLE = st.sampled_from(["a", "b", "c"])
VEREIST = st.sampled_from([None, "teamleider", "gemandateerde", "jurist"])
OPS = st.lists(st.tuples(st.sampled_from(["motivering", "akkoord"]), st.integers(0, 2), PEOPLE,
                         ROLES), max_size=12)


@settings(max_examples=150, deadline=None)
@given(vereist=st.lists(VEREIST, max_size=3), ops=OPS)
def test_status_matches_a_simple_model(vereist, ops):
    """Random motiveringen and akkoorden: refusals and status follow the written rules."""
    keys = [f"k.{i}" for i in range(len(vereist))]
    log = Log([afwijking(k, None, v) for k, v in zip(keys, vereist)])
    model: dict[str, tuple[str, bool]] = {}          # key -> (author of last motivering, approved)
    for op, i, door, rol in ops:
        if i >= len(keys):
            continue
        key, need = keys[i], vereist[i]
        if op == "motivering":
            log.motiveer(key, door=door, rol=rol)
            model[key] = (door, False)
            continue
        ok = (need is not None and key in model and model[key][0] != door and rol == need
              and not model[key][1])
        if ok:
            log.akkoord(key, door=door, rol=rol)
            model[key] = (model[key][0], True)
        else:
            with pytest.raises(RefusedError):
                log.akkoord(key, door=door, rol=rol)
    complete = [k in model and (v is None or model[k][1]) for k, v in zip(keys, vereist)]
    expected = (rules.BINNEN_KADERS if not keys else
                rules.GEMOTIVEERD if all(complete) else rules.OPEN)
    assert log.besluit.status == expected
    assert verify(e.model_dump(mode="json") for e in log.events) is None


@settings(max_examples=100, deadline=None)
@given(n=st.integers(2, 8), data=st.data())
def test_verify_names_the_first_broken_event(n, data):
    log = Log([afwijking("a.b", None, "jurist")])
    for i in range(n - 1):
        log.motiveer("a.b", door=f"p{i}")
    rows = [e.model_dump(mode="json") for e in log.events]
    assert verify(rows) is None
    at = data.draw(st.integers(0, n - 1))
    how = data.draw(st.sampled_from(["tekst", "door", "hash", "prev", "delete", "swap", "seq"]))
    if how == "swap" and at == n - 1:
        at -= 1
    broken = [dict(r) for r in rows]
    if how == "tekst":
        broken[at]["payload"] = {**broken[at]["payload"], "tampered": True}
    elif how in ("door", "prev", "hash"):
        broken[at][how] = broken[at][how] + ("x" if how == "door" else "")
        broken[at][how] = broken[at][how] if how == "door" else "f" * 64
    elif how == "delete":
        del broken[at]
    elif how == "swap":
        broken[at], broken[at + 1] = broken[at + 1], broken[at]
    else:
        broken[at]["seq"] += 7
    found = verify(broken)
    raw = [(r["seq"], r["besluit"], r["soort"], r["tijdstip"], r["door"], r["rol"],
            canonical_dumps(r["payload"]), r["prev"], r["hash"]) for r in broken]
    assert verify_raw(raw, lambda sha: True) == found, "the fast path gives the same verdict"
    if how == "delete" and at == n - 1:
        assert found is None        # a truncated tail is only visible against a known head
    else:
        expected = {"delete": at + 2, "swap": at + 2, "seq": at + 8}.get(how, at + 1)
        assert found is not None and found.seq == expected, (how, at, found)
