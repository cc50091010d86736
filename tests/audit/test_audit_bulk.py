"""Replay of 1,000 generated besluiten is identical; the HTML report renders in Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from logdata import generated  # noqa: E402
from maatwerk.engine.audit.draft import with_parameter
from maatwerk.engine.audit.verify import impact_log, replay_log
from maatwerk.engine.log.store.open import open_store
from maatwerk.engine.rules.catalog import Catalog, bundled_folder

N = 1000
MAATWERK = str(Path(sys.executable).with_name("maatwerk")) \
    if Path(sys.executable).with_name("maatwerk").exists() else "maatwerk"


@pytest.fixture(scope="module")
def bulk_log(tmp_path_factory) -> str:
    """1,000 generated voorstellen checked against the bundled rulesets and recorded."""
    db = str(tmp_path_factory.mktemp("bulk") / "log.db")
    with open_store(db, create=True) as store:
        for seed, payload, done in generated(store, N):
            for a in payload.afwijkingen[:1] if seed % 3 == 0 else []:
                store.justify(done.id, a["kader"], a.get("voorziening"), "besproken met de client in het keukentafelgesprek", None,
                              "c.jansen", "consulent")
    return db


@pytest.mark.parametrize("engine,processes", [("python", 2), ("durable", 1), ("columnar", 1)])
def test_replay_of_every_generated_besluit_is_identical(bulk_log, engine, processes):
    with open_store(bulk_log, migrate=False) as store:
        result = replay_log(store, None, engine, processes, bulk_log)
        assert store.counts()["besluiten"] == N
    assert result["besluiten"] == N
    assert result["verschillend"] == 0, result["uitkomsten"][:3]


@pytest.mark.parametrize("ref,draft", [
    ("gm0344-wmo@2015.1", None),
    ("gm0344-wmo@2016.1", ("hbh_basis_uren", 80, "2026-01-01")),
])
def test_columnar_impact_equals_python_impact(bulk_log, ref, draft):
    """Impact on the fact columns is the per-besluit impact, wijziging for wijziging."""
    import datetime as dt
    cat = Catalog.load(bundled_folder(), strict=False)
    change = with_parameter(draft[0], draft[1], dt.date.fromisoformat(draft[2])) if draft else None
    with open_store(bulk_log, migrate=False) as store:
        python = impact_log(store, cat, ref, None, None, "python", 1, change)
        columnar = impact_log(store, cat, ref, None, None, "columnar", 1, change)
    assert columnar == python
    assert python["geraakt"] > 0 and python["besluiten"] > 100
    assert any(c["gemotiveerd_vervalt"] or c["vervalt"] for c in python["per_kader"].values())


def test_live_draft_impact_answers_from_kept_columns(bulk_log):
    """The web page's function: the same answer as `audit impact --parameter`, columns kept."""
    import datetime as dt
    from maatwerk.engine.audit.live import draft_impact, impact_columns
    cat = Catalog.load(bundled_folder(), strict=False)
    ref, day = "gm0344-wmo@2016.1", dt.date(2026, 1, 1)
    live = draft_impact(bulk_log, cat, ref, "hbh_basis_uren", "80", day, limit=None)
    with open_store(bulk_log, migrate=False) as store:
        expected = impact_log(store, cat, ref, None, None, "python", 1,
                              with_parameter("hbh_basis_uren", 80, day))
    assert {k: v for k, v in live.items() if k != "concept"} == expected
    assert live["concept"] == {"parameter": "hbh_basis_uren", "waarde": 80, "vanaf": "2026-01-01"}
    assert impact_columns(bulk_log, cat, ref) is impact_columns(bulk_log, cat, ref)
    short = draft_impact(bulk_log, cat, ref, "hbh_basis_uren", "80", day, limit=3)
    assert len(short["per_besluit"]) == 3 and short["per_kader"] == expected["per_kader"]


def test_parquet_export_holds_every_besluit_and_leaves_masked_columns_out(bulk_log, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "feiten"
    done = subprocess.run([MAATWERK, "audit", "export", "--db", bulk_log, "--parquet", str(out),
                           "--mask", "onderzoek.*", "--mask", "voorzieningen.*.volume"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    besluiten = [r for f in sorted(out.rglob("besluiten-*.parquet")) for r in pq.read_table(f).to_pylist()]
    assert len(besluiten) == N and len({r["besluit"] for r in besluiten}) == N
    assert all(f.parent.parent.name == "gemeente=gm0344" for f in out.rglob("*.parquet"))
    assert not any(k.startswith("voorstel.onderzoek.") for k in besluiten[0])
    with open_store(bulk_log, migrate=False) as store:
        first = next(iter(store.payloads("besluit vastgelegd")))
    row = next(r for r in besluiten if r["besluit"] == first[0])
    assert row["peildatum"].isoformat() == first[1]["peildatum"]
    afwijkingen = [r for f in out.rglob("afwijkingen-*.parquet") for r in pq.read_table(f).to_pylist()]
    assert sum(r["besluit"] == first[0] for r in afwijkingen) == len(first[1]["afwijkingen"])
    norm = [r for r in afwijkingen if r["kader"] == "gm0344.hbh.norm"]   # reads the volume
    assert norm and all(r["waargenomen"] == r["grens"] == '"***"' for r in norm)
    assert any(r["waargenomen"] != '"***"' for r in afwijkingen)
    again = subprocess.run([MAATWERK, "audit", "export", "--db", bulk_log, "--parquet", str(out)],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 1 and "is niet leeg" in again.stderr


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def test_html_report_renders_in_headless_chromium(bulk_log, tmp_path):
    browser = _chromium()
    if browser is None:
        if os.environ.get("MAATWERK_REQUIRE_CHROMIUM") == "1":
            pytest.fail("Chromium is vereist (MAATWERK_REQUIRE_CHROMIUM=1) maar niet gevonden")
        pytest.skip("geen Chromium op deze machine")
    html = tmp_path / "rapport.html"
    done = subprocess.run(["maatwerk", "audit", "report", "--db", bulk_log, "--html", str(html),
                           "--tijdstip", "2026-03-03T10:00:00Z"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    text = html.read_text(encoding="utf-8")
    assert "<script" not in text and "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([browser, *flags, "--dump-dom", html.as_uri()], capture_output=True,
                         text=True, timeout=120)
    assert "<svg" in dom.stdout and "Afwijkingen per kader" in dom.stdout
    assert dom.stdout.count("<rect") >= 4
    shot = tmp_path / "rapport.png"
    subprocess.run([browser, *flags, "--window-size=1200,900", f"--screenshot={shot}", html.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000
