"""Fuzzing `maatwerk check` and `maatwerk ruleset validate` with hostile files.

Every input goes through the CLI entry point in process (see fuzzcore): exit 0
with a result, or exit 1 with every stderr line `Error: FILE:LINE: what; fix`
(file-level problems such as "bestand is N bytes" name the file only); never a
traceback, never another exit code, never longer than fuzzcore.MAX_SECONDS.
A mutated voorstel that still loads is evaluated on durable-rules (by the CLI)
and on plain Python: identical afwijkingen with explanations. A sample runs
through the real console script with 1 GB of address space.
"""

from __future__ import annotations

import resource

import fuzzcore
import mutate
import pytest
from fuzzprofile import FUZZ, SIZES, fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

COUNTS: dict[str, int] = {}


def _count(kind: str, outcome) -> None:
    COUNTS[kind] = COUNTS.get(kind, 0) + 1
    COUNTS[f"{kind} geladen"] = COUNTS.get(f"{kind} geladen", 0) + int(outcome.loaded)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def test_mutated_voorstellen(work):
    @fuzz_settings("voorstel")
    @given(raw=mutate.voorstellen())
    def run(raw):
        _count("voorstel", fuzzcore.run_voorstel(raw, work))
    run()
    assert COUNTS["voorstel"] >= SIZES["voorstel"] * 0.9
    assert COUNTS["voorstel geladen"] > 0, "no mutated voorstel loaded: the engines were not reached"


def test_mutated_rulesets(work):
    @fuzz_settings("ruleset")
    @given(raw=mutate.rulesets())
    def run(raw):
        _count("ruleset", fuzzcore.run_ruleset(raw, work))
    run()
    assert COUNTS["ruleset"] >= SIZES["ruleset"] * 0.9
    assert COUNTS["ruleset geladen"] > 0, "no mutated ruleset validated: cross-checks not reached"


def test_arbitrary_yaml_trees(work):
    @fuzz_settings("tree")
    @given(raw=mutate.yaml_trees(), as_ruleset=st.booleans())
    def run(raw, as_ruleset):
        run_one = fuzzcore.run_ruleset if as_ruleset else fuzzcore.run_voorstel
        _count("boom", run_one(raw, work))
    run()
    assert COUNTS["boom"] >= SIZES["tree"] * 0.9


def test_memory_stayed_bounded():
    """The whole fuzz run, megabyte strings included, stays within 2 GB of peak memory."""
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak_mb < 2048, f"peak RSS {peak_mb:.0f} MB"


# --- giants: refused within bounded time and memory, also by the real command ------------------
@pytest.mark.parametrize("name,raw", mutate.giants(), ids=[n for n, _ in mutate.giants()])
@pytest.mark.parametrize("command", ["check", "validate"])
def test_giant_input_is_refused_in_bounded_time_and_memory(tmp_path, name, raw, command):
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(raw)
    argv = ["check", path.name] if command == "check" else ["ruleset", "validate", path.name]
    code, out, err, took = fuzzcore.run_subprocess(argv, tmp_path, memory_mb=1024, timeout=60)
    fuzzcore.judge_error(code, err, path.name)
    assert took < 30, f"{name}: {took:.1f} s"
    assert out == ""


# --- a sample through the real console script: no traceback ever reaches stderr ---------------
def _sample(n: int) -> list[tuple[str, bytes]]:
    import random
    rng = random.Random(20261128)
    out = []
    for kind, strategy in (("voorstel", mutate.voorstellen()), ("ruleset", mutate.rulesets())):
        for i in range(n // 2):
            seed = rng.getrandbits(64)
            out.append((kind, mutate.example(strategy, seed)))
    return out


SAMPLES = _sample(SIZES["subprocess"])


@pytest.mark.parametrize("i", range(len(SAMPLES)))
def test_sample_through_a_real_process(tmp_path, i):
    kind, raw = SAMPLES[i]
    bases = fuzzcore.bases_folder(str(tmp_path))
    path = tmp_path / ("voorstel.yaml" if kind == "voorstel" else "2026-01-01.yaml")
    path.write_bytes(raw)
    argv = ["check", path.name, "--json"] if kind == "voorstel" else \
        ["ruleset", "validate", path.name, "--rulesets", str(bases)]
    code, out, err, took = fuzzcore.run_subprocess(argv, tmp_path)
    assert "Traceback" not in err and "interne fout" not in err, err
    assert took < 30
    if code:
        fuzzcore.judge_error(code, err, path.name)
    else:
        assert err == "" and out


def test_a_fuzz_crash_would_be_seen(work):
    """The harness itself: an internal error surfaces as a defect with its cause, not as exit 1."""
    import maatwerk.cli.check_cmd as check_cmd
    original = check_cmd.prepared
    check_cmd.prepared = lambda *a: 1 / 0
    try:
        with pytest.raises(fuzzcore.Defect, match=r"exit 70(.|\n)*ZeroDivisionError"):
            fuzzcore.run_voorstel(mutate.seed_text(str(mutate.EXAMPLES[0])).encode(), work)
    finally:
        check_cmd.prepared = original
    with pytest.raises(fuzzcore.Defect, match="not 'Error"):
        fuzzcore.judge_error(1, "Error: elders.yaml:1: x; y\n", work / "voorstel.yaml")


@pytest.mark.skipif(FUZZ != "full", reason="the full profile only")
def test_full_profile_tried_at_least_ten_thousand_inputs():
    tried = sum(v for k, v in COUNTS.items() if not k.endswith("geladen"))
    assert tried >= 10_000, COUNTS
