"""Several OS processes writing at once keep one valid chain; a reported besluit survives a crash."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from logdata import WRITERS, register_db
from maatwerk.engine.log.store.open import open_store

WORKER = str(Path(__file__).resolve().parents[1] / "support" / "log_worker.py")
PROCESSES, EACH = 4, 25


def test_processes_recording_at_once_keep_one_chain(db, rulesets, write_voorstel, tmp_path):
    voorstel = str(write_voorstel("open"))
    register_db(db, WRITERS)
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, WORKER, "record", db, str(rulesets), voorstel,
                               str(EACH), str(go), f"w{i}"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(PROCESSES)]
    deadline = time.monotonic() + 120     # every worker warmed up, then all start together
    while not all(Path(f"{go}.w{i}").exists() for i in range(PROCESSES)):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs)
        time.sleep(0.01)
    go.touch()
    ids = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        ids += json.loads(out)
    assert len(ids) == PROCESSES * EACH == len(set(ids))
    with open_store(db) as store:
        assert store.verify() is None
        stored = store.besluit_ids()
        assert sorted(stored) == sorted(ids)                 # every besluit present, once
        events = list(store.events())
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        events = [e for e in events if e.besluit]                         # not the users
        assert len(events) == PROCESSES * EACH + PROCESSES * (EACH // 2)   # + motiveringen
        assert store.counts()["rulesets"] == 1
        writers = [e.door for e in events if e.soort == "besluit vastgelegd"]
        interleaved = sum(1 for a, b in zip(writers, writers[1:]) if a != b)
        assert interleaved > 0                                # the writers really overlapped


def test_a_reported_besluit_survives_a_crash(db, rulesets, write_voorstel):
    register_db(db)
    done = subprocess.run([sys.executable, WORKER, "crash", db, str(rulesets),
                           str(write_voorstel("open"))], capture_output=True, text=True, timeout=60)
    assert done.returncode == -9, done.stderr            # killed right after reporting
    reported = done.stdout.strip()
    with open_store(db) as store:
        assert store.besluit(reported).id == reported
        assert store.verify() is None
