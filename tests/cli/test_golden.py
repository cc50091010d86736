"""Golden files: the CLI's output, byte for byte, and the same bytes every run.

Regenerate with MAATWERK_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
VOORSTEL = "tests/data/voorstellen/wmo-procedure-te-laat.yaml"

EXAMPLES = sorted(p.name for p in (ROOT / "examples" / "voorstellen").glob("*.yaml"))
SITUATIES = sorted(p.name for p in (ROOT / "examples" / "situaties").glob("*.yaml"))
CASES = {
    "check-wmo.txt": ["check", VOORSTEL, "--ruleset", "wmo2015@2026.1"],
    "check-wmo.json": ["check", VOORSTEL, "--ruleset", "wmo2015@2026.1", "--json"],
    "check-wmo-explain.txt": ["check", VOORSTEL, "--ruleset", "wmo2015@2026.1", "--explain"],
    "check-wmo-explain.json": ["check", VOORSTEL, "--ruleset", "wmo2015@2026.1", "--explain", "--json"],
    "check-wmo-python.json": ["check", VOORSTEL, "--ruleset", "wmo2015@2026.1", "--json",
                              "--engine", "python"],
    "ruleset-show-wmo2015.txt": ["ruleset", "show", "wmo2015@2026.1"],
    "ruleset-list.txt": ["ruleset", "list"],
    "ruleset-diff-someren.txt": ["ruleset", "diff", "gm0847-wmo@2024.1", "gm0847-wmo@2024.2"],
    "ruleset-diff-utrecht.json": ["ruleset", "diff", "gm0344-wmo@2015.1", "gm0344-wmo@2016.1", "--json"],
    **{f"example-{name[:-5]}.json": ["check", f"examples/voorstellen/{name}", "--json"]
       for name in EXAMPLES},
    **{f"example-{name[:-5]}.txt": ["check", f"examples/voorstellen/{name}", "--explain"]
       for name in EXAMPLES},
    **{f"ruimte-{name[:-5]}.txt": ["ruimte", f"examples/situaties/{name}"] for name in SITUATIES},
    **{f"ruimte-{name[:-5]}.json": ["ruimte", f"examples/situaties/{name}", "--json"]
       for name in SITUATIES},
}


def run(args: list[str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAATWERK_")}
    return subprocess.run(["maatwerk", *args], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=60)


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_golden_file(name):
    result = run(CASES[name])
    assert result.returncode == 0, result.stderr
    path = GOLDEN / name
    if os.environ.get("MAATWERK_UPDATE_GOLDEN") or not path.exists():
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8")


def test_same_bytes_every_run():
    first, second = run(CASES["check-wmo-explain.json"]), run(CASES["check-wmo-explain.json"])
    assert first.stdout == second.stdout and first.stdout


def test_both_engines_give_the_same_json():
    assert (GOLDEN / "check-wmo.json").read_text() == (GOLDEN / "check-wmo-python.json").read_text()


def test_strict_exits_4_when_a_motivering_is_missing():
    result = run(["check", VOORSTEL, "--ruleset", "wmo2015@2026.1", "--strict", "--json"])
    assert result.returncode == 4
    assert result.stdout == (GOLDEN / "check-wmo.json").read_text()
