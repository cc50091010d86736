"""Soak: hostile input, many writers, SIGKILLs and tampering, counted. Prints one summary line.

    python bench/soak.py [--quick] [--json] [--geen-pg] [--fouten DIR]

The long run of tests/hostile, on the same code (tests/hostile/fuzzcore.py, mutate.py,
tamper.py, writer.py and tests/store/log_worker.py), counting instead of stopping:

1. input: at least 10,000 hostile files (mutated example voorstellen and bundled
   rulesets, arbitrary YAML trees) through `maatwerk check` and `maatwerk ruleset
   validate` in process, mutated voorstellen that load on both engines, a sample
   and the giant inputs through the real console script;
2. load: 8 processes x 500 besluiten into one SQLite file and into PostgreSQL;
3. crashes: a writer killed with SIGKILL at random moments, 40 times per store;
4. tampering: every tamper kind at every event (SQLite) and every kind (PostgreSQL).

`--quick` does the same with small numbers (about 2 minutes on 2 cores). PostgreSQL
is the private throw-away server of tests/store/pgserver.py (or MAATWERK_TEST_PG);
without one, its parts are skipped and the summary says so. Failing inputs are
written to `--fouten` (default: a temporary folder) to reproduce. Exit 0 when there
were no tracebacks, no contract violations, no lost or partial besluiten, and
every tamper was found; 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "hostile"), str(ROOT / "tests" / "store")]
os.environ["MAATWERK_FUZZ"] = "full"
os.environ.setdefault("MAATWERK_CACHE", "off")

SIZES = {"full": {"voorstel": 6500, "ruleset": 2500, "tree": 1200, "process": 60,
                  "writers": (8, 500), "kills": 40},
         "quick": {"voorstel": 400, "ruleset": 120, "tree": 120, "process": 8,
                   "writers": (8, 60), "kills": 6}}


class Tally:
    def __init__(self, folder: Path):
        self.folder = folder
        self.n: dict[str, int] = {}
        self.notes: list[str] = []

    def add(self, key: str, by: int = 1) -> None:
        self.n[key] = self.n.get(key, 0) + by

    def keep(self, key: str, raw: bytes, why: str) -> None:
        """Count a failure and keep its input (the first 20 of each kind) to reproduce."""
        self.add(key)
        if self.n[key] <= 20:
            path = self.folder / f"{key}-{self.n[key]}.yaml"
            path.write_bytes(raw)
            path.with_suffix(".txt").write_text(why, encoding="utf-8")
            self.notes.append(f"{key}: {path} ({why.strip().splitlines()[-1][:160]})")


# --- 1. hostile input ------------------------------------------------------------------------
def fuzz(t: Tally, sizes: dict, work: Path) -> None:
    import fuzzcore
    import mutate
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    def one(kind: str, raw: bytes, run) -> None:
        t.add("inputs")
        try:
            outcome = run(raw, work)
            t.add("geladen" if outcome.loaded else "geweigerd")
        except fuzzcore.Defect as exc:
            t.keep("contractfout", raw, f"{kind}: {exc}")
        except Exception:
            t.keep("traceback", raw, f"{kind}:\n{traceback.format_exc()}")

    plans = [("voorstel", mutate.voorstellen(), fuzzcore.run_voorstel),
             ("ruleset", mutate.rulesets(), fuzzcore.run_ruleset),
             ("tree", mutate.yaml_trees(), None)]
    for kind, strategy, run in plans:
        @settings(max_examples=sizes[kind], database=None, deadline=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(raw=strategy, flip=st.booleans())
        def go(raw, flip):
            one(kind, raw, run or (fuzzcore.run_ruleset if flip else fuzzcore.run_voorstel))
        go()

    rng = random.Random(20261128)
    samples = [(name, "voorstel", raw) for name, raw in mutate.giants()]
    samples += [(name, "ruleset", raw) for name, raw in mutate.giants()[:3]]
    for i in range(sizes["process"]):
        kind = "voorstel" if i % 2 else "ruleset"
        strategy = mutate.voorstellen() if i % 2 else mutate.rulesets()
        samples.append((f"proces-{i}", kind, mutate.example(strategy, rng.getrandbits(64))))
    for name, kind, raw in samples:
        path = work / ("voorstel.yaml" if kind == "voorstel" else "2026-01-01.yaml")
        path.write_bytes(raw)
        argv = ["check", path.name] if kind == "voorstel" else \
            ["ruleset", "validate", path.name, "--rulesets", str(fuzzcore.bases_folder(str(work)))]
        t.add("inputs")
        t.add("via proces")
        try:
            code, _, err, took = fuzzcore.run_subprocess(argv, work, memory_mb=1024, timeout=120)
        except Exception:
            t.keep("traceback", raw, f"{name} (proces):\n{traceback.format_exc()}")
            continue
        if "Traceback" in err or "interne fout" in err or code not in (0, 1) or took > 60:
            t.keep("traceback" if "Traceback" in err or code == 70 else "contractfout", raw,
                   f"{name} (proces): exit {code}, {took:.1f} s\n{err[-3000:]}")


# --- 2. many writers --------------------------------------------------------------------------
def load(t: Tally, dbs: list[str], rulesets: Path, work: Path, writers: int, each: int) -> None:
    from maatwerk.engine.log.store.open import open_store
    from test_log_load import run_writers
    for db in dbs:
        folder = Path(tempfile.mkdtemp(dir=work))
        started = time.perf_counter()
        try:
            ids = run_writers(db, rulesets, folder, writers, each)
        except Exception:
            t.add("schrijvers gefaald")
            t.notes.append(f"schrijvers op {_name(db)}: {traceback.format_exc()[-600:]}")
            continue
        took = time.perf_counter() - started
        with open_store(db) as store:
            stored = store.besluit_ids()
            intact = store.verify() is None
        t.add("besluiten gemeld", len(ids))
        t.add("besluiten kwijt", len(set(ids) - set(stored)))
        t.add("besluiten dubbel of extra", len(stored) - len(set(stored)) + len(set(stored) - set(ids)))
        t.add("keten gebroken", 0 if intact else 1)
        t.notes.append(f"{writers} x {each} op {_name(db)}: {len(ids) / took:.0f} besluiten/s")


# --- 3. SIGKILL -------------------------------------------------------------------------------
def crashes(t: Tally, dbs: list[str], rulesets: Path, work: Path, kills: int) -> None:
    import yaml
    from logdata import voorstel_data
    from test_crash import check_after_kill, kill_at_random
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    for db in dbs:
        voorstel = Path(tempfile.mkdtemp(dir=work)) / "open.yaml"
        voorstel.write_text(yaml.safe_dump(voorstel_data("open")), encoding="utf-8")
        reported: list[str] = []
        for i in range(kills):
            delay = rng.uniform(0.05, 0.5) if i == 0 else rng.uniform(0.3, 3.0)
            t.add("kills")
            try:
                reported += kill_at_random(db, rulesets, voorstel, 1000 * i, delay)
                check_after_kill(db, reported)
            except AssertionError as exc:
                t.add("na kill kwijt of half")
                t.notes.append(f"kill {i + 1} op {_name(db)} (seed {seed}, {delay:.2f} s): {exc}")
        t.add("gemeld voor een kill", sum(len(x.split()) - 1 for x in reported if x[0] == "R"))


# --- 4. tampering -----------------------------------------------------------------------------
def tampering(t: Tally, dbs: list[str], rulesets: Path, work: Path, fresh) -> None:
    import fuzzcore
    import tamper
    from maatwerk.engine.log.store.open import open_store
    for db in dbs:
        sqlite = not db.startswith("postgresql")
        if sqlite:
            template = Path(db)
            with open_store(str(template), create=True) as store:
                tamper.fill(store, rulesets)
        cases = [(k, at) for k in tamper.KINDS for at in tamper.positions(k, 20)] if sqlite else \
            [(k, tamper.positions(k, 20)[len(tamper.positions(k, 20)) // 2]) for k in tamper.KINDS]
        for kind, at in cases:
            if sqlite:
                target = str(work / f"tamper-{kind}-{at}.db")
                shutil.copy(template, target)
            else:
                target = fresh()
                with open_store(target, create=True) as store:
                    tamper.fill(store, rulesets)
            head = json.loads(fuzzcore.cli(["audit", "verify", "--db", target, "--json"])[1])["kop"]
            conn = tamper.raw(target)
            try:
                expected = tamper.tamper(conn, "sqlite" if sqlite else "postgresql", kind, at)
            finally:
                conn.close()
            t.add("tampers geprobeerd")
            why = tamper.judge(fuzzcore.cli, target, head, expected)
            if why:
                t.notes.append(f"tamper {kind}@{at} op {_name(db)} niet gevonden: {why}")
            else:
                t.add("tampers gevonden")


def _name(db: str) -> str:
    return "postgresql" if db.startswith("postgresql") else "sqlite"


def _rulesets(work: Path) -> Path:
    from logdata import RULESET
    folder = work / "rulesets"
    (folder / "logtest").mkdir(parents=True)
    (folder / "logtest" / "2026-01-01.yaml").write_text(RULESET, encoding="utf-8")
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small numbers (about 2 minutes)")
    parser.add_argument("--json", action="store_true", help="the figures as one JSON object")
    parser.add_argument("--geen-pg", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--fouten", type=Path, help="folder for failing inputs")
    args = parser.parse_args()
    sizes = SIZES["quick" if args.quick else "full"]
    work = Path(tempfile.mkdtemp(prefix="maatwerk-soak-"))
    failures = args.fouten or work / "fouten"
    failures.mkdir(parents=True, exist_ok=True)
    t = Tally(failures)
    started = time.perf_counter()
    server = None
    if not args.geen_pg:
        import pgserver
        try:
            server = pgserver.server()
        except pgserver.NoServer as exc:
            t.notes.append(f"PostgreSQL overgeslagen: {exc}")
    fresh = (lambda: server.fresh_schema()[1]) if server else None
    try:
        (work / "fuzz").mkdir()
        fuzz(t, sizes, work / "fuzz")
        rulesets = _rulesets(work)
        for phase, run in (("load", load), ("crash", crashes), ("tamper", tampering)):
            dbs = [str(work / f"{phase}.db")] + ([fresh()] if fresh else [])
            if phase == "load":
                run(t, dbs, rulesets, work, *sizes["writers"])
            elif phase == "crash":
                run(t, dbs, rulesets, work, sizes["kills"])
            else:
                run(t, dbs, rulesets, work, fresh)
    finally:
        if server:
            server.stop()
    n = t.n
    took = time.perf_counter() - started
    bad = (n.get("traceback", 0) + n.get("contractfout", 0) + n.get("besluiten kwijt", 0)
           + n.get("besluiten dubbel of extra", 0) + n.get("keten gebroken", 0)
           + n.get("schrijvers gefaald", 0) + n.get("na kill kwijt of half", 0)
           + n.get("tampers geprobeerd", 0) - n.get("tampers gevonden", 0))
    if args.json:
        print(json.dumps({**n, "seconden": round(took), "ok": not bad}, ensure_ascii=False))
    for note in t.notes:
        print(f"  {note}", file=sys.stderr)
    lost = n.get("besluiten kwijt", 0) + n.get("na kill kwijt of half", 0)
    print(f"soak{' --quick' if args.quick else ''}: {n.get('inputs', 0)} inputs tried "
          f"({n.get('geladen', 0)} loaded, {n.get('via proces', 0)} via a real process), "
          f"{n.get('traceback', 0)} tracebacks, {n.get('contractfout', 0)} contract violations; "
          f"{n.get('besluiten gemeld', 0) + n.get('gemeld voor een kill', 0)} besluiten "
          f"reported, {lost} lost; {n.get('kills', 0)} SIGKILLs; tampers found "
          f"{n.get('tampers gevonden', 0)}/{n.get('tampers geprobeerd', 0)}; "
          f"{'PostgreSQL and SQLite' if server else 'SQLite only'}; {took:.0f} s; "
          f"{'OK' if not bad else 'FOUT'}")
    if not bad:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
