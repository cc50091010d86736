"""No input crashes the loader: any bytes give a model or one MaatwerkError with a location."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import strategies
from hypothesis import given, settings
from hypothesis import strategies as st
from maatwerk.engine import errors
from maatwerk.engine.errors import MaatwerkError
from maatwerk.engine.rules import yamlsafe
from maatwerk.engine.rules.load import read_ruleset, read_voorstel
from maatwerk.engine.rules.resolve import from_stored

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "tests/data/voorstellen/wmo-procedure-te-laat.yaml").read_text(encoding="utf-8")

yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                         st.text(max_size=20), st.dates().map(str))
yaml_trees = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=20)


def _load(tmp_path: Path, raw: bytes, reader) -> None:
    path = tmp_path / "input.yaml"
    path.write_bytes(raw)
    try:
        reader(path)
    except MaatwerkError as exc:
        assert exc.problems and all(p.file == str(path) for p in exc.problems)
        assert all(p.what for p in exc.problems)


@settings(max_examples=300)
@given(raw=st.binary(max_size=300))
def test_random_bytes_never_crash(tmp_path_factory, raw):
    tmp = tmp_path_factory.mktemp("bytes")
    _load(tmp, raw, read_voorstel)
    _load(tmp, raw, read_ruleset)


@settings(max_examples=300)
@given(cut=st.integers(0, len(SAMPLE)), junk=st.text(max_size=12), at=st.integers(0, len(SAMPLE)))
def test_mangled_voorstel_never_crashes(tmp_path_factory, cut, junk, at):
    text = SAMPLE[:at] + junk + SAMPLE[at:cut] if cut > at else SAMPLE[:cut] + junk
    _load(tmp_path_factory.mktemp("mangled"), text.encode("utf-8"), read_voorstel)


@settings(max_examples=200)
@given(tree=yaml_trees)
def test_any_yaml_tree_never_crashes(tmp_path_factory, tree):
    import yaml
    text = yaml.safe_dump(tree, allow_unicode=True)
    _load(tmp_path_factory.mktemp("tree"), text.encode("utf-8"), read_voorstel)
    _load(tmp_path_factory.mktemp("tree"), text.encode("utf-8"), read_ruleset)


@settings(max_examples=200)
@given(seed=st.integers(0, 2**32))
def test_generated_voorstellen_load(tmp_path_factory, seed):
    import yaml
    path = tmp_path_factory.mktemp("gen") / "v.yaml"
    path.write_text(yaml.safe_dump(strategies.build(seed), allow_unicode=True), encoding="utf-8")
    assert read_voorstel(path).voorzieningen


def test_lines_are_kept_for_nested_values():
    data, lines = yamlsafe.parse("a:\n  b:\n    - 1\n    - c: 2\n", "x.yaml")
    assert data == {"a": {"b": [1, {"c": 2}]}}
    assert lines[("a", "b", 1, "c")] == 4
    assert errors.line_of(lines, ("a", "b", 1, "zzz")) == 4


def test_stored_content_rebuilds_the_same_ruleset(bundled):
    for f in bundled.files:
        eff = bundled.effective(f, f.ruleset.geldig_vanaf)
        again = from_stored(eff.stored())
        assert again.sha256 == eff.sha256
        assert [k.kader.id for k in again.kaders] == [k.kader.id for k in eff.kaders]
        assert again.stored() == eff.stored()


def test_peildatum_is_never_the_clock():
    from maatwerk.engine.rules.load import voorstel_from_data
    data = strategies.build(1)
    data["procedure"] = {"melding": "2026-01-05"}
    assert voorstel_from_data(data, "x").default_peildatum() == dt.date(2026, 1, 5)
