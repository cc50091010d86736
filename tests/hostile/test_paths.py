"""Path tricks: a voorstel that is a directory, a FIFO, a device or a dangling symlink;
`--rulesets ../../etc` or `/`; a rulesets folder with symlink loops, links out of the
folder, dangling links, FIFOs and devices. Each gives exit 0 with the right
result or exit 1 with one clear line naming the path, in bounded time: cases
that could block (FIFO, /dev/zero, a walk of /) run in a real process with a timeout.
"""

from __future__ import annotations

import os
import shutil

import fuzzcore
import mutate
import pytest

EXAMPLE = mutate.ROOT / "examples" / "voorstellen" / "utrecht-hbh-boven-norm.yaml"


def _real(argv, cwd, timeout=60):
    code, out, err, took = fuzzcore.run_subprocess(argv, cwd, timeout=timeout)
    assert "Traceback" not in err and "interne fout" not in err, err
    return code, out, err, took


@pytest.mark.parametrize("kind", ["map", "fifo", "apparaat", "dode-koppeling", "lus", "ontbreekt"])
@pytest.mark.parametrize("command", ["check", "validate", "record"])
def test_a_voorstel_or_ruleset_path_that_is_no_file(tmp_path, kind, command):
    path = tmp_path / "invoer.yaml"
    if kind == "map":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "apparaat":
        path.symlink_to("/dev/zero")
    elif kind == "dode-koppeling":
        path.symlink_to(tmp_path / "bestaat-niet.yaml")
    elif kind == "lus":
        path.symlink_to(path)
    argv = {"check": ["check", path.name], "validate": ["ruleset", "validate", path.name],
            "record": ["record", path.name, "--by", "c.jansen", "--role", "consulent",
                       "--db", "log.db"]}[command]
    code, out, err, took = _real(argv, tmp_path, timeout=30)
    assert code == 1 and out == "", err
    assert err.startswith(f"Error: {path.name}: ") and err.count("\n") == 1, err
    assert took < 20
    assert not (tmp_path / "log.db").exists(), "nothing may be written"


def test_rulesets_outside_the_tree_are_data_not_a_hang(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "v.yaml")
    (tmp_path / "a" / "b").mkdir(parents=True)
    code, _, err, took = _real(["check", "../../v.yaml", "--rulesets", "../../../../../../etc"],
                               tmp_path / "a" / "b")
    assert code == 1 and "geen rulesets voor gemeente gm0344" in err and took < 30, err
    code, _, err, took = _real(["check", "v.yaml", "--rulesets", "/"], tmp_path, timeout=120)
    assert took < 60                  # a bounded walk: at most 4 levels and 5,000 folders
    assert code == 0 or code == 1 and err.startswith("Error: ") and err.count("\n") == 1, err
    code, _, err, _ = _real(["check", "v.yaml", "--rulesets", "v.yaml"], tmp_path)
    assert code == 1 and "Error: v.yaml: rulesetmap bestaat niet of is geen map" in err


@pytest.fixture
def tricky_folder(tmp_path):
    """The bundled rulesets plus a symlink loop, a symlinked file from outside, a
    dangling link, a FIFO and a link to /dev/zero."""
    folder = tmp_path / "rulesets"
    shutil.copytree(mutate.ROOT / "rulesets", folder, ignore=shutil.ignore_patterns("*.py"))
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    shutil.move(str(folder / "jeugdwet" / "2015-01-01.yaml"), elsewhere / "jeugdwet.yaml")
    (folder / "jeugdwet" / "2015-01-01.yaml").symlink_to(elsewhere / "jeugdwet.yaml")
    (folder / "gm0344-utrecht" / "lus").symlink_to(folder)
    (folder / "kapot").mkdir()
    (folder / "kapot" / "dood.yaml").symlink_to(tmp_path / "weg.yaml")
    os.mkfifo(folder / "kapot" / "pijp.yaml")
    (folder / "kapot" / "nul.yaml").symlink_to("/dev/zero")
    return folder


def test_a_rulesets_folder_with_symlinks(tricky_folder, tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "v.yaml")
    code, out, err, took = _real(["check", "v.yaml", "--rulesets", str(tricky_folder), "--json"],
                                 tmp_path)
    assert code == 0 and err == "" and '"gm0344-wmo"' in out, err    # the broken ones left out
    assert took < 30
    code, out, err, took = _real(["ruleset", "validate", "--rulesets", str(tricky_folder)], tmp_path)
    lines = err.splitlines()
    assert code == 1 and len(lines) == 3, err                        # each broken entry, once
    assert any("dood.yaml: is een symbolische koppeling naar een bestand dat niet bestaat" in x
               for x in lines)
    assert any("pijp.yaml: is geen gewoon bestand maar een pipe (FIFO)" in x for x in lines)
    assert any("nul.yaml: is geen gewoon bestand maar een apparaat" in x for x in lines)
    shutil.rmtree(tricky_folder / "kapot")
    code, out, err, _ = _real(["ruleset", "validate", "--rulesets", str(tricky_folder)], tmp_path)
    assert code == 0 and out.startswith("OK: 7 ruleset(s)"), err     # the linked jeugdwet counts


def test_an_empty_folder_is_not_valid(tmp_path):
    (tmp_path / "leeg").mkdir()
    code, out, err = fuzzcore.cli(["ruleset", "validate", "--rulesets", str(tmp_path / "leeg")])
    assert code == 1 and "geen rulesets gevonden" in err and out == ""
    code, out, err = fuzzcore.cli(["ruleset", "validate", str(tmp_path / "leeg")])
    assert code == 1 and "geen rulesets gevonden" in err
