"""The ruleset cache: an unchanged file loads from it; anything doubtful is ignored."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from maatwerk.engine import load
from maatwerk.engine.cache import FileCache, default_folder
from maatwerk.engine.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent


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
