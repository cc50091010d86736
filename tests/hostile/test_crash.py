"""A writer killed with SIGKILL at random moments, on SQLite and PostgreSQL.

`writer.py` records without end (single besluiten with two motiveringen in the
same transaction, bulk records of three, motiveringen and akkoorden later) and
prints each thing only after it was committed. We kill it at a random moment
(during start-up and migration too), KILLS times in a row on the same log
(6 in CI, 40 with MAATWERK_FUZZ=full), and after every kill demand: the log
opens, the chain verifies (store and `maatwerk audit verify`), everything the
writer reported is there, and no besluit or bulk is partial.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import fuzzcore
import yaml
from fuzzprofile import KILLS
from logdata import WRITERS, register_db, voorstel_data
from maatwerk.engine.log.events import AKKOORD, MOTIVERING, VASTGELEGD
from maatwerk.engine.log.store.open import open_store

WRITER = str(Path(__file__).resolve().with_name("writer.py"))


def kill_at_random(db: str, rulesets: Path, voorstel: Path, start: int, delay: float) -> list[str]:
    """Run the writer for `delay` seconds, SIGKILL it; the complete lines it printed."""
    proc = subprocess.Popen([sys.executable, WRITER, db, str(rulesets), str(voorstel), str(start)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, f"the writer died by itself: {err.decode()[-2000:]}"
    text = out.decode()
    return text.splitlines() if text.endswith("\n") else text.splitlines()[:-1]  # a torn last line


def check_after_kill(db: str, reported: list[str]) -> dict:
    """The log after a kill: intact, nothing reported lost, nothing partial. Counts."""
    if not db.startswith("postgresql") and not Path(db).exists():
        assert not reported, "reported as recorded, but there is no log"
        return {"besluiten": 0}
    with open_store(db, create=True) as store:
        assert store.verify() is None
        events = list(store.events())
        stored_ids = set(store.besluit_ids())
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    by_seq = {e.seq: e for e in events}
    for line in reported:
        kind, *rest = line.split()
        if kind == "R":
            missing = set(rest) - stored_ids
            assert not missing, f"reported as recorded but lost: {missing}"
        else:
            event = by_seq.get(int(rest[1]))
            want = MOTIVERING if kind == "J" else AKKOORD
            assert event is not None and event.besluit == rest[0] and event.soort == want, line
    own = defaultdict(int)                           # the motiveringen written with the record
    teams = Counter()
    for e in events:
        if e.soort == MOTIVERING and "(ronde " in e.payload["tekst"]:
            own[e.besluit] += 1
        if e.soort == VASTGELEGD and (e.payload.get("team") or "").startswith("bulk-"):
            teams[e.payload["team"]] += 1
    assert all(own[b] == 2 for b in stored_ids), "a besluit without its own motiveringen"
    assert set(teams.values()) <= {3}, f"a bulk record is partial: {teams}"
    code, _, err = fuzzcore.cli(["audit", "verify", "--db", db])
    assert code == 0, err
    return {"besluiten": len(stored_ids), "gebeurtenissen": len(events)}


def test_sigkill_at_random_moments_loses_nothing_reported(db, rulesets, tmp_path):
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    voorstel = tmp_path / "open.yaml"
    voorstel.write_text(yaml.safe_dump(voorstel_data("open")), encoding="utf-8")
    register_db(db, ("p.auteur",) + WRITERS[:5])
    reported: list[str] = []
    for i in range(KILLS):
        delay = rng.uniform(0.05, 0.5) if i == 0 else rng.uniform(0.3, 3.0)  # first: in start-up
        lines = kill_at_random(db, rulesets, voorstel, 1000 * i, delay)
        reported += lines
        try:
            counts = check_after_kill(db, reported)
        except AssertionError as exc:
            raise AssertionError(f"seed {seed}, kill {i + 1} after {delay:.2f} s: {exc}") from None
    assert counts["besluiten"] > 0, f"seed {seed}: the writer never recorded anything"
    assert any(line.startswith("J ") for line in reported) or KILLS < 3
