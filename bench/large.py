"""Large-log figures: impact, replay, report, list and recording over N generated besluiten.

    python bench/large.py [--n 100000] [--db PATH] [--json] [--fast] [--only KEYS] [--cap-gib G]

Builds (or reuses, with --db) a SQLite log of N besluiten spread over two gemeenten,
one to three voorzieningen and two and a half years (`data.spread`), then runs each
command as the CLI runs it, in a child process, and reports its wall time and peak RSS
(`os.wait4`): report (per kader, then `--by` maand, team and consulent), impact twice (the first run derives and stores the fact columns, the
second is a cold run from them), replay --all, verify in 1 and 2 processes, list; then one
page of `list` (in process), the bytes per besluit on disk and, last, the bulk record rate
into that log. `--n 1000000 --fast` is the million-besluiten run (`fill_fast`).
`bench/run.py` calls `figures` for its 100,000-besluiten keys.
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


def fill_fast(db: str, n: int, distinct: int = 20_000, batch: int = 2_000) -> float:
    """As `fill`, for a million: `distinct` spread voorstellen are checked once each and
    recorded again and again under new ids and pseudoniemen (neither is read by a kader, so
    the recorded afwijkingen stay what a check would give: `audit replay` shows it).
    Returns besluiten recorded per second over the last tenth."""
    from maatwerk.engine.evaluate.check import check
    from maatwerk.engine.log import besluit as rules
    from maatwerk.engine.log.store.open import open_store
    from maatwerk.engine.rules.catalog import Catalog, bundled_folder
    from maatwerk.engine.rules.load import voorstel_from_data
    cat = Catalog.load(bundled_folder(), strict=False)
    made: list[tuple] = []
    for seed in range(min(n, distinct)):
        v = voorstel_from_data(data.spread(seed), "<bench>")
        day = v.default_peildatum()
        eff = cat.for_voorstel(v.gemeente, v.wet, day)
        made.append((rules.vastlegging(v, check(eff, v, day, "python"), eff), eff.stored()))
    rate = 0.0
    with open_store(db, create=True) as store:
        if not store.users():
            store.init_user("b.beheer")
            store.add_user("c.jansen", "b.beheer", ["consulent"])
        for start in range(0, n, batch):
            items = []
            for seed in range(start, min(n, start + batch)):
                payload, inhoud = made[seed % len(made)]
                voorstel = {**payload.voorstel, "id": f"VS-BENCH-{seed}",
                            "client": {**payload.voorstel["client"], "pseudoniem": f"U-{seed:07d}"}}
                items.append((payload.model_copy(update={"voorstel": voorstel}), inhoud, [],
                              "c.jansen", "consulent"))
            began = time.perf_counter()
            store.record_many(items)
            if start >= n * 9 // 10:
                now = len(items) / (time.perf_counter() - began)
                rate = now if not rate else (rate + now) / 2
    return rate


def measure(args: list[str], limit_gib: float | None = None) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MiB, CPU seconds) of one `maatwerk` command in a child
    process (its own rusage from `os.wait4`, with the processes it forked and waited for).
    With limit_gib the child's address space is capped, so a command that would take the
    machine's memory fails instead (peak RSS then reads as inf)."""
    import resource
    script = Path(sys.executable).parent / "maatwerk"

    def cap() -> None:
        if limit_gib:
            size = int(limit_gib * 2**30)
            resource.setrlimit(resource.RLIMIT_AS, (size, size))
    began = time.perf_counter()
    child = subprocess.Popen([str(script), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             preexec_fn=cap)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 3):
        if limit_gib:
            print(f"# maatwerk {' '.join(args[:2])}: exit {child.returncode} under a cap of "
                  f"{limit_gib} GiB", file=sys.stderr)
            return wall, float("inf"), usage.ru_utime + usage.ru_stime
        raise RuntimeError(f"maatwerk {' '.join(args)}: exit {child.returncode}: {child.stderr.read()[-400:]}")
    cpu = usage.ru_utime + usage.ru_stime
    print(f"#   {' '.join(args[:2])}: {cpu:.2f} s CPU", file=sys.stderr)
    return wall, usage.ru_maxrss / 1024, cpu


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


def record_rate(db: str, n: int, more: int = 2000) -> tuple[float, float]:
    """Besluiten per second recorded in bulk (batches of 500) into the log of n besluiten
    (the checks made beforehand, not timed): per wall second and per CPU second of this
    process (which the load of the machine changes less). Adds `more` besluiten: run it
    last."""
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
        began, cpu = time.perf_counter(), time.process_time()
        for start in range(0, more, 500):
            store.record_many(items[start:start + 500])
        return more / (time.perf_counter() - began), more / (time.process_time() - cpu)


COMMANDS = (   # (key, arguments): report first (a child's peak RSS counts the parent's pages
    ("report", ["audit", "report", "--json"]),          # until exec); impact twice, the first
    *((f"report_{by}", ["audit", "report", "--json", "--by", by])
      for by in ("maand", "team", "consulent")),
    ("impact_first", ["audit", "impact", "--ruleset", REF, "--json"]),   # derives the facts
    ("impact", ["audit", "impact", "--ruleset", REF, "--json"]),
    ("impact_2", ["audit", "impact", "--ruleset", REF, "--json", "--processen", "2"]),
    ("replay", ["audit", "replay", "--all", "--json"]),
    ("verify_1", ["audit", "verify", "--processen", "1"]),
    ("verify", ["audit", "verify", "--processen", "2"]),
    ("list", ["list", "--alles", "--json"]),
)


def figures(db: str, n: int, only: set[str] | None = None, limit_gib: float | None = None) -> dict:
    """Wall time and peak RSS of each command (`COMMANDS`, or the keys in `only`), as the CLI
    runs them, on the log at db of n besluiten; the impact from kept columns, a list page, the
    bytes per besluit and, last (it adds besluiten), the bulk record rate."""
    out: dict[str, float] = {"besluiten": n}
    for key, args in COMMANDS:
        if only is None or key in only:
            wall, rss, cpu = measure([*args, "--db", db], limit_gib)
            out[f"{key}_s"], out[f"{key}_rss_mib"], out[f"{key}_cpu_s"] = wall, rss, cpu
            print(f"# {key}: {wall:.2f} s, {rss:.0f} MiB", file=sys.stderr, flush=True)
    if "impact_s" in out:
        out["impact_columnar_per_s"] = n / out["impact_s"]
    for key in ("impact", "impact_2"):          # per CPU second: independent of the load
        if f"{key}_cpu_s" in out:
            out[f"{key}_per_cpu_s"] = n / out[f"{key}_cpu_s"]
    if "replay_s" in out:
        out["replay_columnar_per_s"] = n / out["replay_s"]
    wanted = lambda key: only is None or key in only  # noqa: E731
    if wanted("list_page"):
        out["list_page_ms"] = list_page_ms(db)
    if wanted("bytes"):
        out["bytes_per_besluit"] = bytes_per_besluit(db, n)
    if wanted("warm"):
        out["impact_warm_s"] = warm_impact(db)
    if wanted("record"):
        out["record_per_s"], out["record_cpu_per_s"] = record_rate(db, n)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", help="reuse (or create) this log instead of a temporary one")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--fast", action="store_true",
                        help="fill with `fill_fast` (20,000 checked voorstellen, recorded again)")
    parser.add_argument("--only", help="comma-separated keys of COMMANDS (and warm) to run")
    parser.add_argument("--cap-gib", type=float, help="cap each command's address space")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "large.db")
        if not Path(db).exists():
            began = time.perf_counter()
            rate = (fill_fast if args.fast else fill)(db, args.n)
            print(f"# log of {args.n} besluiten in {time.perf_counter() - began:.0f} s "
                  f"(record at the end {rate:,.0f}/s)", file=sys.stderr)
        print(f"# load before: {os.getloadavg()}", file=sys.stderr)
        result = figures(db, args.n, set(args.only.split(",")) if args.only else None, args.cap_gib)
        print(f"# load after: {os.getloadavg()}", file=sys.stderr)
    if args.json:
        print(json.dumps({k: round(v, 3) for k, v in result.items()}))
    else:
        for k, v in result.items():
            print(f"  {k:24} {v:>14,.3f}")


if __name__ == "__main__":
    main()
