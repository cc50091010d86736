"""Large-log figures: impact, replay, report, list and recording over N generated besluiten.

    python bench/large.py [--n 100000] [--db PATH] [--json]

Builds (or reuses, with --db) a SQLite log of N besluiten spread over two gemeenten,
one to three voorzieningen and two and a half years (`data.spread`), then runs each
command as the CLI runs it, in a child process, and reports its wall time and peak RSS
(`os.wait4`); then one page of `list` (in process), the bytes per besluit on disk and,
last, the bulk record rate into that log. `bench/run.py` calls `figures` for its
100,000-besluiten keys.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import data  # noqa: E402

REF = "gm0344-wmo@2015.1"


def fill(db: str, n: int, batch: int = 500) -> float:
    """Check and record n spread besluiten; the motivering of every third one's first
    afwijking. Returns besluiten recorded per second over the last tenth of the log."""
    from maatwerk.engine.evaluate.check import check
    from maatwerk.engine.log import besluit as rules
    from maatwerk.engine.log.store.open import open_store
    from maatwerk.engine.rules.catalog import Catalog, bundled_folder
    from maatwerk.engine.rules.load import voorstel_from_data
    cat = Catalog.load(bundled_folder(), strict=False)
    rate = 0.0
    with open_store(db, create=True) as store:
        if not store.users():                 # who may record (events in the chain)
            store.init_user("b.beheer")
            store.add_user("c.jansen", "b.beheer", ["consulent"])
        for start in range(0, n, batch):
            items = []
            for seed in range(start, min(n, start + batch)):
                v = voorstel_from_data(data.spread(seed), "<bench>")
                day = v.default_peildatum()
                eff = cat.for_voorstel(v.gemeente, v.wet, day)
                items.append((rules.vastlegging(v, check(eff, v, day, "python"), eff), eff.stored(),
                              [], "c.jansen", "consulent"))
            began = time.perf_counter()
            store.record_many(items)
            if start >= n * 9 // 10:
                rate = len(items) / (time.perf_counter() - began) if not rate else \
                    (rate + len(items) / (time.perf_counter() - began)) / 2
    return rate


def measure(args: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB) of one `maatwerk` command in a child process."""
    script = Path(sys.executable).parent / "maatwerk"
    began = time.perf_counter()
    child = subprocess.Popen([str(script), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 3):
        raise RuntimeError(f"maatwerk {' '.join(args)}: exit {child.returncode}: {child.stderr.read()[-400:]}")
    return wall, usage.ru_maxrss / 1024


def warm_impact(db: str, runs: int = 3) -> float:
    """Seconds for one draft-parameter impact answered from cached columns (median)."""
    import datetime as dt
    import statistics
    from maatwerk.engine.audit.draft import with_parameter
    from maatwerk.engine.audit.live import impact_columns
    from maatwerk.engine.rules.catalog import Catalog, bundled_folder
    cat = Catalog.load(bundled_folder(), strict=False)
    cols = impact_columns(db, cat, REF)
    walls = []
    for i in range(runs):
        draft = with_parameter("hbh_basis_uren", 100 + i, dt.date(2024, 1, 1))
        began = time.perf_counter()
        cols.impact(draft)
        walls.append(time.perf_counter() - began)
    return statistics.median(walls)


def list_page_ms(db: str, runs: int = 7) -> float:
    """Milliseconds for one page of 50 besluiten, newest first, deep in the log (median)."""
    import statistics
    from maatwerk.engine.log.query import Filter
    from maatwerk.engine.log.store.open import open_store
    walls = []
    with open_store(db, migrate=False) as store:
        _, cursor = store.page(Filter(), 5000)          # a cursor 5,000 besluiten back
        for _ in range(runs):
            began = time.perf_counter()
            store.page(Filter(status="open"), 50, cursor)
            walls.append(time.perf_counter() - began)
    return statistics.median(walls) * 1000


def bytes_per_besluit(db: str, n: int) -> float:
    """The log file's size over its besluiten, after a checkpoint folded the WAL in."""
    import sqlite3
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return Path(db).stat().st_size / n


def record_rate(db: str, n: int, more: int = 2000) -> float:
    """Besluiten per second recorded in bulk (batches of 500) into the log of n besluiten
    (the checks made beforehand, not timed). Adds `more` besluiten: run it last."""
    from maatwerk.engine.evaluate.check import check
    from maatwerk.engine.log import besluit as rules
    from maatwerk.engine.log.store.open import open_store
    from maatwerk.engine.rules.catalog import Catalog, bundled_folder
    from maatwerk.engine.rules.load import voorstel_from_data
    cat = Catalog.load(bundled_folder(), strict=False)
    items = []
    for seed in range(n + 10**7, n + 10**7 + more):
        v = voorstel_from_data(data.spread(seed), "<bench>")
        day = v.default_peildatum()
        eff = cat.for_voorstel(v.gemeente, v.wet, day)
        items.append((rules.vastlegging(v, check(eff, v, day, "python"), eff), eff.stored(), [],
                      "c.jansen", "consulent"))
    with open_store(db) as store:
        began = time.perf_counter()
        for start in range(0, more, 500):
            store.record_many(items[start:start + 500])
        return more / (time.perf_counter() - began)


def figures(db: str, n: int) -> dict:
    out: dict[str, float] = {"besluiten": n}
    # child processes first: a child's peak RSS (wait4) counts the parent's pages until exec
    out["report_s"], out["report_rss_mib"] = measure(["audit", "report", "--json", "--db", db])
    for key, args in (("impact", ["audit", "impact", "--ruleset", REF, "--json", "--db", db]),
                      ("replay", ["audit", "replay", "--all", "--json", "--db", db]),
                      ("verify", ["audit", "verify", "--db", db])):
        wall, rss = measure(args)
        out[f"{key}_s"], out[f"{key}_rss_mib"] = wall, rss
    out["impact_columnar_per_s"] = n / out["impact_s"]
    out["replay_columnar_per_s"] = n / out["replay_s"]
    out["list_page_ms"] = list_page_ms(db)
    out["bytes_per_besluit"] = bytes_per_besluit(db, n)
    out["impact_warm_s"] = warm_impact(db)
    out["record_per_s"] = record_rate(db, n)       # last: it adds besluiten to the log
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", help="reuse (or create) this log instead of a temporary one")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "large.db")
        if not Path(db).exists():
            began = time.perf_counter()
            rate = fill(db, args.n)
            print(f"# log of {args.n} besluiten in {time.perf_counter() - began:.0f} s "
                  f"(record at the end {rate:,.0f}/s)", file=sys.stderr)
        result = figures(db, args.n)
    if args.json:
        print(json.dumps({k: round(v, 3) for k, v in result.items()}))
    else:
        for k, v in result.items():
            print(f"  {k:24} {v:>14,.3f}")


if __name__ == "__main__":
    main()
