"""The beleidsmedewerker's story of issue #15, end to end, as one gemeente folder outside
the package that extends the bundled Wmo 2015 base.

Someren raises its pgb tariff for huishoudelijke ondersteuning in a new version. Copying the
file by hand is caught (examples outside the period, an overlap naming both files);
`ruleset nieuwe-versie` writes the version and leaves the published file alone; a value no
example reads is reported by `ruleset test` and fails it until an example covers it; `diff`
names the change; `audit impact` shows a recorded besluit that falls within the new tariff;
`check` after the new date uses the new version and its value.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from maatwerk.cli.main import cli
from maatwerk.engine.errors import MaatwerkError
from maatwerk.engine.rules.catalog import bundled_folder

from tests.support.logdata import register_db

NEW_VALUE = "      - {vanaf: 2026-07-01, waarde: 21.75, bron: \"HO vanaf 1-7-2026\"}\n"
OLD_VALUE = "      - {vanaf: 2024-10-01, waarde: 20.99, bron: \"HO vanaf 1-10-2024\"}\n"
EXAMPLE = """      - naam: "21,80 in augustus 2026"
        peildatum: 2026-08-03
        wijzig: {voorzieningen.1.tarief: 21.80, voorzieningen.1.zin_tarief: 21.80}
        voorziening: 1
        afwijking: true
        grens: 21.75
"""


@pytest.fixture
def run(tmp_path, monkeypatch):
    folder = tmp_path / "someren"
    shutil.copytree(bundled_folder() / "gm0847-someren", folder / "gm0847-someren")
    monkeypatch.setenv("MAATWERK_RULESETS", str(folder))
    monkeypatch.setenv("MAATWERK_DB", str(tmp_path / "log.db"))
    monkeypatch.setenv("MAATWERK_CACHE", "0")
    register_db(str(tmp_path / "log.db"))

    def invoke(*args):
        result = CliRunner().invoke(cli, [str(a) for a in args])
        exc = result.exception
        err = "".join(f"Error: {p.render()}\n" for p in exc.problems) \
            if isinstance(exc, MaatwerkError) else ""
        if exc is not None and not isinstance(exc, (SystemExit, MaatwerkError)):
            raise exc
        code = exc.exit_code if isinstance(exc, MaatwerkError) else result.exit_code
        return code, result.stdout, err
    invoke.folder = folder / "gm0847-someren"
    return invoke


def _voorstel(tmp_path: Path, tarief: float) -> Path:
    root = Path(__file__).resolve().parents[2]
    data = yaml.safe_load((root / "examples" / "voorstellen" / "someren-pgb-binnen-kaders.yaml").read_text())
    data["peildatum"] = "2026-08-03"
    data["voorzieningen"][0].update(tarief=tarief, zin_tarief=tarief)
    path = tmp_path / f"voorstel-{tarief}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, default_flow_style=False), encoding="utf-8")
    return path


def _hand_copy(run, vanaf: str) -> Path:
    text = (run.folder / "2024-10-01.yaml").read_text(encoding="utf-8")
    text = text.replace('versie: "2024.2"', 'versie: "2026.1"').replace(
        "geldig_vanaf: 2024-10-01", f"geldig_vanaf: {vanaf}")
    path = run.folder / "kopie.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_new_tariff_from_new_version_to_check(run, tmp_path):
    published = (run.folder / "2024-10-01.yaml").read_bytes()
    before = _voorstel(tmp_path, 21.50)
    code, out, err = run("record", before, "--by", "c.jansen", "--role", "consulent", "--json")
    assert code == 0, err
    shown = json.loads(run("show", json.loads(out)["besluit"], "--json")[1])
    assert [a["grens"] for a in shown["afwijkingen"] if a["kader"] == "gm0847.pgb.ho-tarief"] == [20.99]

    # by hand, as in the issue: the examples test nothing of the new period, and an
    # overlapping copy is refused with both files named
    copy = _hand_copy(run, "2026-01-01")
    code, out, err = run("ruleset", "test", copy)
    assert code == 1 and "buiten de geldigheid van gm0847-wmo@2026.1" in out
    assert "niet getest: pgb_ho_uurtarief vanaf 2024-10-01" in out
    copy.unlink()
    copy = _hand_copy(run, "2024-10-01")
    code, _, err = run("ruleset", "validate", copy)
    assert code == 1 and "begint op dezelfde dag (2024-10-01) als gm0847-wmo@2024.2 in " \
        "gm0847-someren/2024-10-01.yaml" in err
    copy.unlink()

    # the command: a new file beside the old one, validated, the old one untouched
    code, out, err = run("ruleset", "nieuwe-versie", "gm0847-wmo@2024.2", "--vanaf", "2026-01-01")
    assert code == 0, err
    new = run.folder / "2026-01-01.yaml"
    assert new.exists() and (run.folder / "2024-10-01.yaml").read_bytes() == published
    assert "gm0847-wmo@2026.1" in out and "geldt nu t/m 2025-12-31" in out
    assert run("ruleset", "validate", new)[0] == 0
    code, out, err = run("ruleset", "test", new)
    assert code == 0, out + err

    # a new value in the middle of the period that no example reads: caught
    text = new.read_text(encoding="utf-8")
    new.write_text(text.replace(OLD_VALUE, OLD_VALUE + NEW_VALUE), encoding="utf-8")
    code, out, err = run("ruleset", "test", new)
    assert code == 1 and "niet getest: pgb_ho_uurtarief vanaf 2026-07-01" in out, out + err
    anchor = '        grens: 20.99\n      - naam: "20,99 in november"\n'
    new.write_text(new.read_text(encoding="utf-8").replace(anchor, anchor.replace(
        '      - naam: "20,99 in november"\n', EXAMPLE + '      - naam: "20,99 in november"\n')),
        encoding="utf-8")
    code, out, err = run("ruleset", "test", new)
    assert code == 0 and "niet getest" not in out, out + err

    # diff names the new value; impact shows the recorded besluit now falls within it
    code, out, err = run("ruleset", "diff", "gm0847-wmo@2024.2", "gm0847-wmo@2026.1")
    assert code == 0 and "pgb_ho_uurtarief" in out and "21,75" in out, out + err
    code, out, err = run("audit", "impact", "--ruleset", "gm0847-wmo@2026.1", "--json")
    assert code == 0, err
    impact = json.loads(out)
    assert impact["per_kader"] == {"gm0847.pgb.ho-tarief": {"nieuw": 0, "vervalt": 1, "gewijzigd": 0,
                                                            "gemotiveerd_vervalt": 0}}

    # check after the new date uses the new version and its value
    code, out, err = run("check", _voorstel(tmp_path, 21.90), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["ruleset"]["version"] == "2026.1"
    assert [a["grens"] for a in data["afwijkingen"] if a["kader"] == "gm0847.pgb.ho-tarief"] == [21.75]
    code, out, err = run("check", before, "--json")
    assert not [a for a in json.loads(out)["afwijkingen"] if a["kader"] == "gm0847.pgb.ho-tarief"]
