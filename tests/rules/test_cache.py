"""The ruleset cache: an unchanged file loads from it; anything doubtful is ignored."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from maatwerk.engine.rules import load
from maatwerk.engine.rules.cache import FileCache, default_folder
from maatwerk.engine.rules.catalog import Catalog

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(tmp_path) -> Path:
    target = tmp_path / "rulesets"
    shutil.copytree(ROOT / "rulesets", target, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return target


def _count_parses(monkeypatch) -> list:
    calls = []
    real = load._ruleset_from_bytes

    def counting(raw, path):
        calls.append(path)
        return real(raw, path)
    monkeypatch.setattr(load, "_ruleset_from_bytes", counting)
    return calls


def test_second_load_comes_from_the_cache(folder, tmp_path, monkeypatch):
    cache = FileCache(tmp_path / "cache")
    calls = _count_parses(monkeypatch)
    first = Catalog.load(folder, strict=True, cache=cache)
    n = len(calls)
    second = Catalog.load(folder, strict=True, cache=cache)
    assert n == len(first.files) and len(calls) == n, "the second load parses nothing"
    assert [f.ruleset for f in second.files] == [f.ruleset for f in first.files]
    assert [f.lines for f in second.files] == [f.lines for f in first.files]


def test_a_changed_file_is_parsed_again(folder, tmp_path, monkeypatch):
    cache = FileCache(tmp_path / "cache")
    Catalog.load(folder, strict=True, cache=cache)
    calls = _count_parses(monkeypatch)
    path = folder / "wmo2015" / "2015-01-01.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("titel: Wet maatschappelijke ondersteuning 2015 —",
                                                             "titel: Wmo 2015 —", 1), encoding="utf-8")
    cat = Catalog.load(folder, strict=True, cache=cache)
    assert calls == [path]
    assert cat.by_ref("wmo2015@2026.1").ruleset.titel.startswith("Wmo 2015 —")


def test_unsafe_or_broken_entries_are_ignored(folder, tmp_path, monkeypatch):
    cache = FileCache(tmp_path / "cache")
    Catalog.load(folder, strict=True, cache=cache)
    entries = sorted((tmp_path / "cache").glob("*.pickle"))
    os.chmod(entries[0], 0o666)                       # writable by others: not trusted
    entries[1].write_bytes(b"not a pickle")           # torn: rebuilt
    calls = _count_parses(monkeypatch)
    Catalog.load(folder, strict=True, cache=cache)
    assert len(calls) == 2


def test_the_cache_can_be_switched_off_and_moved():
    assert default_folder({"MAATWERK_CACHE": "0", "HOME": "/h"}) is None
    assert default_folder({"MAATWERK_CACHE": "/srv/c", "HOME": "/h"}) == Path("/srv/c")
    assert default_folder({"XDG_CACHE_HOME": "/x", "HOME": "/h"}) == Path("/x/maatwerk")
    assert default_folder({"HOME": "/h"}) == Path("/h/.cache/maatwerk")
    assert not FileCache(Path("/proc/geen-cache")).usable


def test_a_change_of_code_invalidates_a_warm_cache(folder, tmp_path, monkeypatch):
    """Issue #13.4: the key once held only the version string, so a warm cache kept
    accepting a ruleset that changed validation code rejects. Now the key holds a
    fingerprint of the engine's source: a changed source file means a cold cache."""
    from maatwerk.engine.errors import RulesetError
    from maatwerk.engine.rules import cache as cache_module
    from maatwerk.engine.rules import validate
    cache = FileCache(tmp_path / "cache")
    Catalog.load(folder, strict=True, cache=cache)                      # warm

    engine_copy = tmp_path / "engine"
    shutil.copytree(cache_module.ENGINE, engine_copy, ignore=shutil.ignore_patterns("__pycache__"))
    stricter = engine_copy / "rules" / "validate.py"
    stricter.write_text(stricter.read_text() + "\n# stricter now\n")
    monkeypatch.setattr(cache_module, "ENGINE", engine_copy)
    cache_module.code_fingerprint.cache_clear()

    def refuse(*args, **kwargs):
        raise RulesetError("de nieuwe validatie weigert dit", "x.yaml", 1, "pas het aan")
    monkeypatch.setattr(validate, "check_ruleset", refuse)
    try:
        with pytest.raises(RulesetError, match="de nieuwe validatie weigert dit"):
            Catalog.load(folder, strict=True, cache=cache)
    finally:
        cache_module.code_fingerprint.cache_clear()


def test_the_suite_never_touches_the_users_own_cache():
    """tests/conftest.py points MAATWERK_CACHE at a session folder of its own."""
    home = Path(os.environ.get("HOME", "/nonexistent")) / ".cache" / "maatwerk"
    assert Path(os.environ["MAATWERK_CACHE"]).resolve() != home.resolve()
    assert "pytest" in os.environ["MAATWERK_CACHE"] or "maatwerk-test-cache" in os.environ["MAATWERK_CACHE"]
