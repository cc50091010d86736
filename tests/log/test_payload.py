"""A payload's JSON-ready form without pydantic's dump (`payload.data`) is that dump.

Bulk recording serialises the fields a validated payload holds when they are plain JSON
and falls back to ``model_dump(mode="json")`` otherwise. Over generated payloads of every
kind, with free-form content that is plain JSON or not (dates, tuples, numbers or booleans
as keys, subclasses of str and int, nan and infinity, sets), the result equals the dump
and its canonical JSON (what the log stores and hashes) is the same text, or both fail.
"""

from __future__ import annotations

import enum

from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.engine.log import payload
from maatwerk.engine.log.events import BesluitVastgelegd, MotiveringToegevoegd, RulesetPin
from maatwerk.engine.log.identity import GebruikerToegevoegd
from maatwerk.engine.model import canonical


class Kleur(str, enum.Enum):
    ROOD = "rood"


class Getal(enum.IntEnum):
    EEN = 1


class Tekst(str):
    pass


scalars = (st.none() | st.booleans() | st.integers() | st.text(max_size=6)
           | st.floats(allow_nan=False, allow_infinity=False))
odd = st.one_of(st.dates(), st.floats(allow_nan=True, allow_infinity=True),
                st.sampled_from([Kleur.ROOD, Getal.EEN, Tekst("x"), frozenset({1})]),
                st.tuples(scalars, scalars))
values = st.recursive(
    scalars | odd,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=4) | st.integers() | st.booleans(), inner, max_size=3),
    max_leaves=10)
plain_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=10)


def _text(data) -> str | type:
    try:
        return canonical.dumps(data)
    except (TypeError, ValueError) as exc:
        return type(exc)


def _same(model) -> None:
    try:
        dumped = model.model_dump(mode="json")
    except Exception:           # noqa: BLE001 - pydantic cannot dump it: neither may we
        return
    ours = payload.data(model)
    assert ours == dumped
    assert _text(ours) == _text(dumped)


@settings(max_examples=300, deadline=None)
@given(voorstel=st.dictionaries(st.text(max_size=5), values, max_size=4),
       afwijking=values, team=st.none() | st.just("noord"))
def test_data_is_the_dump_for_any_besluit_payload(voorstel, afwijking, team):
    _same(BesluitVastgelegd(
        engine_versie="0.1", ruleset=RulesetPin(id="r", versie="1", sha256="a" * 64),
        peildatum="2026-01-01", voorstel=voorstel, afwijkingen=[{"kader": "k", "x": afwijking}],
        team=team))


@settings(max_examples=200, deadline=None)
@given(value=plain_values)
def test_plain_json_is_served_as_it_is(value):
    model = BesluitVastgelegd(
        engine_versie="0.1", ruleset=RulesetPin(id="r", versie="1", sha256="a" * 64),
        peildatum="2026-01-01", voorstel={"v": value}, afwijkingen=[])
    assert payload.plain(value)
    assert payload.data(model)["voorstel"] is model.voorstel
    _same(model)


@given(st.builds(MotiveringToegevoegd, kader=st.text(min_size=1, max_size=5),
                 voorziening=st.none() | st.integers(), tekst=st.text(min_size=1, max_size=9)))
def test_data_is_the_dump_for_small_payloads(model):
    _same(model)
    _same(GebruikerToegevoegd(gebruiker="c.jansen", naam="Jansen"))


def test_what_is_not_plain_json_is_recognised():
    for value in ({1: 2, 10: 3}, {True: 1}, [(1, 2)], float("nan"), float("inf"), Tekst("x"),
                  Kleur.ROOD, Getal.EEN, {"a": [{"b": {1}}]}):
        assert not payload.plain(value), value
