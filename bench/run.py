"""Benchmark: check latency, cold start, and decision-log throughput. Prints its figures.

    python bench/run.py [--quick] [--json]

Builds its own data: the bundled Utrecht ruleset on the Wmo 2015 base (43 kaders),
generated voorstellen with 3 voorzieningen (`bench/data.py`), and a SQLite log of N
besluiten in a temporary folder. `--quick` finishes in under 2 minutes on 2 cores.
`--json` prints one JSON object with exactly the figure keys (the machine goes to
stderr). Figures are medians or rates over the whole run; nothing here asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import data  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "voorstellen" / "utrecht-hbh-boven-norm.yaml"
KEYS = ("check_p50_ms", "check_p99_ms", "check_python_p50_ms", "cli_cold_s", "record_per_s",
        "verify_per_s", "replay_per_s", "impact_per_s", "impact_columnar_per_s",
        "replay_columnar_per_s", "impact_100k_s", "impact_draft_s", "peak_rss_mib",
        "report_100k_s", "list_page_ms", "record_at_100k_per_s", "bytes_per_besluit",
        "impact_100k_first_s", "impact_100k_warm_s", "verify_parallel_per_s")
SIZES = {"quick": {"checks": 400, "cold": 5, "log": 3000, "large": 5000},
         "full": {"checks": 4000, "cold": 11, "log": 20000, "large": 100_000}}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load() -> str:
    """The machine's load average (1, 5, 15 minutes): the figures depend on it."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load unknown"
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} (1/5/15 min)"


def setup():
    from maatwerk.engine.rules.catalog import Catalog, bundled_folder
    from maatwerk.engine.rules.load import voorstel_from_data
    cat = Catalog.load(bundled_folder(), strict=False)
    voorstellen = [voorstel_from_data(data.voorstel(seed), "<bench>") for seed in range(500)]
    day = voorstellen[0].default_peildatum()
    eff = cat.for_voorstel("gm0344", "wmo2015", day)
    return cat, eff, voorstellen


def time_checks(eff, voorstellen, engine: str, n: int) -> list[float]:
    from maatwerk.engine.evaluate.check import check
    for v in voorstellen[:20]:
        check(eff, v, v.default_peildatum(), engine)
    out = []
    for i in range(n):
        v = voorstellen[i % len(voorstellen)]
        start = time.perf_counter()
        check(eff, v, v.default_peildatum(), engine)
        out.append((time.perf_counter() - start) * 1000)
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cli_cold(runs: int) -> float:
    script = Path(sys.executable).parent / "maatwerk"
    command = [str(script) if script.exists() else "maatwerk", "check", str(EXAMPLE)]
    subprocess.run(command, capture_output=True, check=True)       # warm the file cache
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def fill_log(db: str, cat, n: int) -> float:
    """Check n besluiten, record them in batches of 200 (the bulk path of `maatwerk record
    a.yaml b.yaml …`) and motivate their afwijkingen; returns besluiten recorded per second."""
    from maatwerk.engine.evaluate.check import check
    from maatwerk.engine.log import besluit as rules
    from maatwerk.engine.log.store.open import open_store
    from maatwerk.engine.rules.load import voorstel_from_data
    items = []
    for seed in range(n):
        v = voorstel_from_data(data.voorstel(seed), "<bench>")
        day = v.default_peildatum()
        eff = cat.for_voorstel(v.gemeente, v.wet, day)
        items.append((rules.vastlegging(v, check(eff, v, day), eff), eff.stored(), [],
                      "c.jansen", "consulent"))
    with open_store(db, create=True) as store:
        if not store.users():                 # who may record and approve (events in the chain)
            store.init_user("b.beheer")
            store.add_user("c.jansen", "b.beheer", ["consulent"])
            store.add_user("t.devries", "b.beheer", ["teamleider", "gemandateerde", "jurist"])
        start = time.perf_counter()
        besluiten = []
        for i in range(0, n, 200):
            besluiten += store.record_many(items[i:i + 200])
        rate = n / (time.perf_counter() - start)
        motivate(store, besluiten)
    return rate


def motivate(store, besluiten) -> None:
    """Practice: a motivering for the first afwijking of each besluit, and its akkoord."""
    reason = "Cliënt heeft na een heupoperatie tijdelijk meer hulp nodig; afgestemd met de huisarts"
    for b in besluiten:
        if not b.standen:
            continue
        kader, vz = b.standen[0].key
        store.justify(b.id, kader, vz, reason, "awb-4:84", "c.jansen", "consulent")
        role = b.standen[0].vereist
        if role:
            store.approve(b.id, kader, vz, "t.devries", role)


def log_rates(db: str, cat, n: int) -> dict:
    from maatwerk.engine.audit.verify import impact_log, replay_log, verify_log
    from maatwerk.engine.log.store.open import open_store
    with open_store(db, migrate=False) as store:
        start = time.perf_counter()
        events = verify_log(store)["gebeurtenissen"]
        verify = events / (time.perf_counter() - start)
        start = time.perf_counter()
        result = replay_log(store, None, "python", os.cpu_count() or 1, db)  # per besluit
        replay = result["besluiten"] / (time.perf_counter() - start)
        start = time.perf_counter()
        result = impact_log(store, cat, "gm0344-wmo@2015.1", None, None, "python",
                            os.cpu_count() or 1)
        impact = result["besluiten"] / (time.perf_counter() - start)
    return {"verify_per_s": verify, "replay_per_s": replay, "impact_per_s": impact}


def large_figures(n: int) -> dict:
    """The columnar figures on a spread log of n besluiten (`bench/large.py`): whole commands
    in a child process (reading the log included), the draft impact from kept columns, and the
    highest peak RSS of impact, replay, verify and report; the report's wall time, one list
    page, the bulk record rate into that log and its bytes per besluit. With n below 100,000
    (--quick) impact_100k_s is the time at n scaled linearly to 100,000; report_100k_s and
    record_at_100k_per_s are then measured at n (the report is a GROUP BY, the rate what a
    log of n gives)."""
    import large
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "large.db")
        large.fill(db, n)
        from maatwerk.engine.log.store.open import open_store
        with open_store(db, migrate=False) as store:
            events = store.counts()["gebeurtenissen"]     # before record_rate adds besluiten
        f = large.figures(db, n)
    scale = 100_000 / n
    return {"impact_columnar_per_s": f["impact_columnar_per_s"],
            "replay_columnar_per_s": f["replay_columnar_per_s"],
            "impact_100k_s": f["impact_s"] * scale, "impact_draft_s": f["impact_warm_s"],
            "impact_100k_first_s": f["impact_first_s"] * scale,
            "impact_100k_warm_s": f["impact_warm_s"] * scale,
            "verify_parallel_per_s": events / f["verify_s"],
            "peak_rss_mib": max(v for k, v in f.items() if k.endswith("_rss_mib")),
            "report_100k_s": f["report_s"], "list_page_ms": f["list_page_ms"],
            "record_at_100k_per_s": f["record_per_s"], "bytes_per_besluit": f["bytes_per_besluit"]}


def run(size: dict) -> dict:
    cat, eff, voorstellen = setup()
    durable = time_checks(eff, voorstellen, "durable", size["checks"])
    python = time_checks(eff, voorstellen, "python", size["checks"])
    figures = {"check_p50_ms": statistics.median(durable), "check_p99_ms": pct(durable, 0.99),
               "check_python_p50_ms": statistics.median(python), "cli_cold_s": cli_cold(size["cold"])}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        figures["record_per_s"] = fill_log(db, cat, size["log"])
        figures.update(log_rates(db, cat, size["log"]))
    figures.update(large_figures(size["large"]))
    return {k: round(figures[k], 3) for k in KEYS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small run, under 2 minutes")
    parser.add_argument("--json", action="store_true", help="one JSON object with the figures")
    args = parser.parse_args()
    before = load()
    figures = run(SIZES["quick" if args.quick else "full"])
    after = load()
    if args.json:
        print(f"# {machine()}; before: {before}; after: {after}", file=sys.stderr)
        print(json.dumps(figures))
        return
    ratio = figures["check_p50_ms"] / figures["check_python_p50_ms"]
    print(f"maatwerk benchmark ({'quick' if args.quick else 'full'}), {dt.date.today()}")
    print(f"machine: {machine()}")
    print(f"before:  {before}")
    print(f"after:   {after}")
    for key in KEYS:
        print(f"  {key:22} {figures[key]:>12,.3f}")
    print(f"  {'durable/python ratio':22} {ratio:>12,.2f}")


if __name__ == "__main__":
    main()
