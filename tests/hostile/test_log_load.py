"""Many desks at once: 8 OS processes recording into one log, on SQLite and PostgreSQL.

CI profile (MAATWERK_FUZZ=ci): 8 processes x 60 besluiten per store; the full
8 x 500 runs with MAATWERK_FUZZ=full and in `bench/soak.py`. Each process runs
`maatwerk record` (the CLI, in its own process; every other one with a
--motivering) and reports the ids it was told were recorded. Afterwards: every
reported besluit is in the log exactly once, nothing else is, every besluit has
exactly the events its command wrote, the sequence has no gaps, and both the
store and `maatwerk audit verify` find the chain intact.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import fuzzcore
import yaml
from fuzzprofile import EACH, WRITERS
from logdata import WRITERS as WRITER_NAMES
from logdata import register_db, voorstel_data
from maatwerk.engine.log.events import MOTIVERING, VASTGELEGD
from maatwerk.engine.log.store.open import open_store

WORKER = str(Path(__file__).resolve().parents[1] / "support" / "log_worker.py")


def run_writers(db: str, rulesets: Path, folder: Path, writers: int, each: int) -> list[str]:
    """Start the writers, let them warm up, start them together; the ids they report."""
    voorstel = folder / "open.yaml"
    voorstel.write_text(yaml.safe_dump(voorstel_data("open")), encoding="utf-8")
    register_db(db, WRITER_NAMES[:writers])
    go = folder / "go"
    procs = [subprocess.Popen([sys.executable, WORKER, "record", db, str(rulesets), str(voorstel),
                               str(each), str(go), f"w{i}"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(writers)]
    try:
        deadline = time.monotonic() + 180
        while not all(Path(f"{go}.w{i}").exists() for i in range(writers)):
            assert time.monotonic() < deadline, "writers did not warm up in time"
            assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
            time.sleep(0.01)
        go.touch()
        ids = []
        for p in procs:
            out, err = p.communicate(timeout=900)
            assert p.returncode == 0, err
            ids += json.loads(out)
        return ids
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()


def check_log(db: str, reported: list[str], with_motivering: int) -> dict:
    """Every reported besluit once, complete, in one unbroken chain; returns the counts."""
    with open_store(db) as store:
        assert store.verify() is None
        stored = store.besluit_ids()
        assert len(stored) == len(set(stored)), "a besluit is in the log twice"
        assert sorted(stored) == sorted(reported), "lost or extra besluiten"
        events = list(store.events())
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        events = [e for e in events if e.besluit]                 # not the users
        kinds = Counter(e.soort for e in events)
        assert kinds == {VASTGELEGD: len(reported), MOTIVERING: with_motivering}
        per_besluit = Counter(e.besluit for e in events)
        assert sorted(Counter(per_besluit.values()).items()) == sorted(
            {1: len(reported) - with_motivering, 2: with_motivering}.items())
        for e, nxt in zip(events, events[1:]):       # a record's events are contiguous
            if nxt.soort == MOTIVERING:
                assert nxt.besluit == e.besluit and e.soort == VASTGELEGD
        writers = [e.door for e in events if e.soort == VASTGELEGD]
        switches = sum(1 for a, b in zip(writers, writers[1:]) if a != b)
        counts = store.counts()
    code, out, err = fuzzcore.cli(["audit", "verify", "--db", db, "--json"])
    assert code == 0, err
    assert json.loads(out)["kop"].startswith(f"{counts['gebeurtenissen']}:")
    return {**counts, "wisselingen": switches}


def test_eight_processes_record_at_once_and_nothing_is_lost(db, rulesets, tmp_path):
    started = time.perf_counter()
    ids = run_writers(db, rulesets, tmp_path, WRITERS, EACH)
    took = time.perf_counter() - started
    assert len(ids) == WRITERS * EACH == len(set(ids))
    counts = check_log(db, ids, WRITERS * (EACH // 2))
    assert counts["besluiten"] == WRITERS * EACH and counts["rulesets"] == 1
    assert counts["wisselingen"] >= WRITERS - 1, "the writers did not overlap"
    store = "postgresql" if db.startswith("postgresql") else "sqlite"
    print(f"{WRITERS} x {EACH} on {store}: {len(ids) / took:.0f} besluiten/s (start-up included)")
