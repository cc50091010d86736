"""Every output a person reads, in Dutch and in one format (issue #14), byte for byte.

A small log is built through the real command (in process, with the store's registration
times fixed through its test hook `Store.klok`, so the same bytes every run):
then show, list, verify, replay, report (text, CSV, per team, filtered), impact (text
and CSV), ruleset test and codes are compared with golden files in tests/golden/.
Regenerate with MAATWERK_UPDATE_GOLDEN=1 and read the diff.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = ROOT / "examples" / "voorstellen"
GOED = "De cliënt heeft na een val tijdelijk meer hulp nodig bij het schoonmaken"


def run(args: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAATWERK_")}
    env["MAATWERK_DB"] = str(cwd / "log.db")
    return subprocess.run(["maatwerk", *args], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=120, input=stdin)


def ok(args: list[str], cwd: Path, stdin: str | None = None) -> str:
    done = run(args, cwd, stdin)
    assert done.returncode == 0, done.stderr
    return done.stdout


def recorded(cwd: Path, moment: str, args: list[str], stdin: str | None = None) -> str:
    """`maatwerk ARGS` in process, with the store registering its events at `moment` (the
    store sets registration times itself; `Store.klok` is its test hook), so every run
    writes the same log and the golden files stay byte for byte."""
    from click.testing import CliRunner
    from maatwerk.cli.main import cli
    from maatwerk.engine.log.store.base import Store
    with pytest.MonkeyPatch.context() as mp:
        for key in [k for k in os.environ if k.startswith("MAATWERK_")]:
            mp.delenv(key)
        mp.setenv("MAATWERK_DB", str(cwd / "log.db"))
        mp.chdir(cwd)
        mp.setattr(Store, "klok", staticmethod(lambda: moment))
        result = CliRunner().invoke(cli, args, input=stdin)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


@pytest.fixture(scope="module")
def log(tmp_path_factory) -> tuple[Path, dict]:
    from logdata import register_db
    cwd = tmp_path_factory.mktemp("dutch")
    with pytest.MonkeyPatch.context() as mp:      # the test users, registered before everything
        from maatwerk.engine.log.store.base import Store
        mp.setattr(Store, "klok", staticmethod(lambda: "2024-01-01T08:00:00Z"))
        register_db(str(cwd / "log.db"))
    ids = {}
    duur = (EXAMPLES / "someren-pgb-binnen-kaders.yaml").read_text(encoding="utf-8") \
        .replace("tarief: 20.39", "tarief: 21.50")          # above Someren's HO tarief, both versions
    for name, door, team, moment, stdin in (   # in time order: the store never goes back in time
            ("someren-pgb-begeleiding", "p.bakker", "wijkteam-zuid", "2024-06-25T12:00:00Z", None),
            ("someren-duur", "p.bakker", "wijkteam-zuid", "2024-06-25T13:00:00Z", duur),
            ("utrecht-hbh-binnen-kaders", "c.jansen", "wijkteam-noord", "2026-01-10T09:00:00Z", None),
            ("utrecht-hbh-boven-norm", "c.jansen", "wijkteam-noord", "2026-10-20T08:00:00Z", None)):
        source = "-" if stdin else str(EXAMPLES / f"{name}.yaml")
        out = recorded(cwd, moment, ["record", source, "--by", door, "--role", "consulent",
                                     "--team", team, "--json"], stdin)
        ids[name] = out.split('"besluit": "')[1].split('"')[0]
    recorded(cwd, "2026-10-20T09:00:00Z", ["justify", ids["utrecht-hbh-boven-norm"],
                                           "gm0344.hbh.norm", "--tekst", GOED, "--grond", "awb-4:84",
                                           "--by", "c.jansen", "--role", "consulent"])
    return cwd, ids

CASES = {
    "log-show.txt": lambda ids: ["show", ids["utrecht-hbh-boven-norm"]],
    "log-list.txt": lambda ids: ["list"],
    "log-verify.txt": lambda ids: ["audit", "verify"],
    "log-replay.txt": lambda ids: ["audit", "replay", ids["someren-pgb-begeleiding"]],
    "log-report.txt": lambda ids: ["audit", "report"],
    "log-report-team.txt": lambda ids: ["audit", "report", "--by", "team"],
    "log-report-gemeente.txt": lambda ids: ["audit", "report", "--gemeente", "gm0344", "--van",
                                            "2026-10-01", "--by", "consulent"],
    "log-report.csv": lambda ids: ["audit", "report", "--csv"],
    "log-impact.txt": lambda ids: ["audit", "impact", "--ruleset", "gm0847-wmo@2024.2"],
    "log-impact.csv": lambda ids: ["audit", "impact", "--ruleset", "gm0847-wmo@2024.2", "--csv"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_log_output_matches_golden_file(log, name):
    cwd, ids = log
    out = ok(CASES[name](ids), cwd)
    path = GOLDEN / name
    if os.environ.get("MAATWERK_UPDATE_GOLDEN") or not path.exists():
        path.write_text(out, encoding="utf-8", newline="")
    with path.open(encoding="utf-8", newline="") as f:
        assert out == f.read()


def test_the_issue_examples_read_as_dutch(log):
    """The sentences #14 quoted, now: units, €, counts, local times."""
    cwd, ids = log
    show = ok(CASES["log-show.txt"](ids), cwd)
    assert "waargenomen 208 uur/jaar · grens 133 uur/jaar" in show
    assert "20 oktober 2026 10:00 (+02:00)" in show and "Z)" not in show
    impact = ok(CASES["log-impact.txt"](ids), cwd)
    assert "grens € 20,39 → € 20,99" in impact and "waargenomen € 21,50" in impact
    assert ok(CASES["log-replay.txt"](ids), cwd).endswith("Replay: 1 besluit, 1 gelijk, 0 verschillend.\n")
    report = ok(CASES["log-report.txt"](ids), cwd)
    assert "Awb art. 4:84 (1×)" in report and "Hulp bij het huishouden" in report


def test_csv_is_for_dutch_spreadsheets(log):
    cwd, _ = log
    text = ok(CASES["log-report.csv"]({}), cwd)
    assert text.startswith("\ufeffkader;titel;besluiten;afwijkend;")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    norm = next(r for r in rows if r["kader"] == "gm0344.hbh.norm")
    assert norm["besluiten"] == "2" and norm["afwijkend"] == "1" and norm["aandeel_afwijkend"] == "0,5"
    impact = ok(CASES["log-impact.csv"]({}), cwd)
    assert "20,39" in impact and "20.39" not in impact


def test_csv_rows_end_in_crlf_after_a_byte_order_mark():
    from maatwerk.cli.tabular import csv_text
    assert csv_text(["a", "b"], [[1234.5, True], [None, "x;y"]]).encode("utf-8") == \
        b'\xef\xbb\xbfa;b\r\n1234,5;ja\r\n;"x;y"\r\n'


def test_xlsx_export_keeps_numbers_as_numbers(log):
    openpyxl = pytest.importorskip("openpyxl")
    cwd, _ = log
    ok(["audit", "report", "--xlsx", "rapport.xlsx", "--wet", "wmo2015"], cwd)
    sheet = openpyxl.load_workbook(cwd / "rapport.xlsx").active
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["gm0344.hbh.norm"]["besluiten"] == 2 and rows["gm0344.hbh.norm"]["aandeel_afwijkend"] == 0.5
    bad = run(["audit", "report", "--xlsx", "geen-map/rapport.xlsx"], cwd)
    assert bad.returncode == 1 and "kan het bestand niet schrijven: bestaat niet" in bad.stderr


def test_check_reads_standard_input_and_strict_says_why(log):
    cwd, _ = log
    text = (EXAMPLES / "jeugd-pgb-zonder-motivering.yaml").read_text(encoding="utf-8")
    assert ok(["check", "-", "--json"], cwd, text) == ok(
        ["check", str(EXAMPLES / "jeugd-pgb-zonder-motivering.yaml"), "--json"], cwd)
    strict = run(["check", "-", "--strict"], cwd, text)
    assert strict.returncode == 4
    assert strict.stderr.splitlines()[-1] == ("Error: --strict: exitcode 4: 2 problemen met "
                                              "motiveringen (zie hierboven)")
    assert "Error: <standaardinvoer>: afwijking jw.pgb.plafond (voorziening 1) heeft geen " \
           "motivering in het voorstel" in strict.stderr


def test_codes_by_name(log):
    cwd, _ = log
    assert ok(["codes", "huishouden"], cwd) == (
        'iWmo productcategorie (WMO020) (productcategorie, wmo2015)\n  "01"  Hulp bij het huishouden\n'
        '  "06"  Overige ondersteuning gericht op het individu of huishouden/gezin\n')
    assert '"04"  uur' in ok(["codes", "uur"], cwd)


def test_a_code_that_does_not_exist_needs_correction_not_a_motivering(log):
    """#14: productcategorie "99" is an afwijking (a check still shows everything at once) of
    a kind no motivering settles: the message names the valid choices, justify refuses, the
    besluit stays open; the same rule for a motivering in the file."""
    cwd, _ = log
    text = (EXAMPLES / "utrecht-hbh-binnen-kaders.yaml").read_text(encoding="utf-8") \
        .replace('productcategorie: "01"', 'productcategorie: "99"')
    check = ok(["check", "-"], cwd, text)
    assert "iwmo.productcategorie  99" in check and "correctie" in check
    assert "Kies uit: 01 Hulp bij het huishouden, 02 Begeleiding," in check
    out = ok(["record", "-", "--by", "c.jansen", "--role", "consulent", "--json"], cwd, text)
    besluit = out.split('"besluit": "')[1].split('"')[0]
    refused = run(["justify", besluit, "iwmo.productcategorie", "--tekst", GOED, "--by", "c.jansen",
                   "--role", "consulent"], cwd)
    assert refused.returncode == 1
    assert "vraagt correctie van het voorstel; een motivering kan haar niet dekken" in refused.stderr
    show = ok(["show", besluit], cwd)
    assert "status open" in show and "Ontbreekt: correctie van het voorstel" in show
    motivated = text + f"motiveringen:\n  - {{kader: iwmo.productcategorie, tekst: {GOED}}}\n"
    strict = run(["check", "-", "--strict"], cwd, motivated)
    assert strict.returncode == 4 and "<standaardinvoer>:" in strict.stderr
    assert "een motivering kan haar niet dekken" in strict.stderr


def test_a_geboortedatum_after_an_explicit_peildatum_is_refused(log):
    """'The future' is the peildatum the caller gives (never a clock in the engine)."""
    cwd, _ = log
    text = (EXAMPLES / "utrecht-hbh-boven-norm.yaml").read_text(encoding="utf-8") \
        .replace("geboortedatum: 1939-11-02", "geboortedatum: 2026-10-01")
    assert run(["check", "-"], cwd, text).returncode == 0          # born before the aanvraag
    refused = run(["check", "-", "--peildatum", "2026-09-01"], cwd, text)
    assert refused.returncode == 1 and refused.stderr == (
        "Error: <standaardinvoer>:10: 'client.geboortedatum' (2026-10-01) ligt na de peildatum "
        "(2026-09-01); een geboortedatum kan niet in de toekomst liggen; corrigeer de datum\n")
