"""Bad input: one file per case, each with its exact message, exit 1, nothing written.

`voorstel-*.yaml` files go through `maatwerk check`, `ruleset-*.yaml` through
`maatwerk ruleset validate` (extending the bundled Wmo 2015 base). Expected
messages live in `data/invalid/expected.json`; regenerate them with
MAATWERK_UPDATE_GOLDEN=1 and read the diff before committing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "invalid"
EXPECTED = DATA / "expected.json"
CASES = sorted(p.name for p in DATA.glob("*.yaml"))


def _run(name: str, cwd: Path) -> subprocess.CompletedProcess:
    shutil.copy(DATA / name, cwd / name)
    command = ["check", name] if name.startswith("voorstel-") else ["ruleset", "validate", name]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAATWERK_")}
    return subprocess.run(["maatwerk", *command], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=60)


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8")) if EXPECTED.exists() else {}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_gives_one_clear_line(name, expected, tmp_path):
    result = _run(name, tmp_path)
    if os.environ.get("MAATWERK_UPDATE_GOLDEN"):
        expected[name] = result.stderr
        EXPECTED.write_text(json.dumps(expected, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                            encoding="utf-8")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert result.stderr == expected[name]
    assert result.stderr.startswith(f"Error: {name}") or name == "voorstel-onbekende-gemeente.yaml"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name], "nothing may be written"


def test_every_case_has_an_expectation(expected):
    assert sorted(expected) == CASES
