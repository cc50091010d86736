"""One hostile input through maatwerk, judged: the code shared by tests/hostile and bench/soak.py.

`run_voorstel(raw)` writes the bytes to a file and runs `maatwerk check --json
--explain FILE` through the CLI entry point in process (`maatwerk.cli.main.main`,
exit code via SystemExit, MAATWERK_DEBUG=1 so an internal error surfaces as exit
70 with its traceback, a `Defect`); when the voorstel loads, it is also evaluated on the other
engine and both must give identical afwijkingen. `run_ruleset(raw)` does the same
for `maatwerk ruleset validate FILE --rulesets BASES`; a ruleset that validates is
then used to check the example voorstellen of its law on both engines. Each returns an `Outcome`
or raises `Defect` (wrong exit code, an error without file and line, too slow);
any other exception is a crash with its traceback.

For speed, the catalog of the bundled rulesets is loaded once and reused by
`check` (the rulesets are not what is mutated there); `run_subprocess` runs the
real command with nothing reused.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^Error: (?P<file>.+?):(?P<line>[0-9]+): \S.*; \S")
WHOLE_FILE = ("bestand is ",)            # problems of the file as a whole: no line to name
MAX_SECONDS = 20.0                       # any single input, on a loaded CI machine


class Defect(AssertionError):
    """maatwerk answered, but not as the contract says."""


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    loaded: bool = False
    afwijkingen: int = 0


@lru_cache(maxsize=None)
def bundled():
    from maatwerk.engine.rules.catalog import Catalog, bundled_folder
    return Catalog.load(bundled_folder(), strict=False)


@lru_cache(maxsize=None)
def bases_folder(tmp: str) -> Path:
    """A rulesets folder with only the statutory bases, as context for `ruleset validate`."""
    folder = Path(tmp) / "bases"
    for name in ("wmo2015", "jeugdwet"):
        shutil.copytree(ROOT / "rulesets" / name, folder / name, dirs_exist_ok=True)
    return folder


@contextlib.contextmanager
def reused_catalog():
    import maatwerk.cli.check_cmd as check_cmd
    original = check_cmd.catalog
    check_cmd.catalog = lambda folder, strict=False: bundled() if folder is None else \
        original(folder, strict)
    try:
        yield
    finally:
        check_cmd.catalog = original


def cli(argv: list[str]) -> tuple[int, str, str]:
    """`maatwerk ARGV` in process, as the console script runs it."""
    from maatwerk.cli.main import main
    out, err = io.StringIO(), io.StringIO()
    old = os.environ.get("MAATWERK_DEBUG")
    os.environ["MAATWERK_DEBUG"] = "1"
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(argv)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        if old is None:
            os.environ.pop("MAATWERK_DEBUG", None)
        else:
            os.environ["MAATWERK_DEBUG"] = old
    return code, out.getvalue(), err.getvalue()


def judge_error(code: int, err: str, path: Path, allowed=(1,)) -> None:
    """Exit 1 and every stderr line `Error: FILE:LINE: what; fix` for this file."""
    if code not in allowed:
        raise Defect(f"exit {code}, expected {allowed}: {err[:500]}")
    lines = err.splitlines()
    if not lines:
        raise Defect(f"exit {code} without a message")
    for line in lines:
        if "Traceback" in line:
            raise Defect(f"traceback on stderr: {err[:2000]}")
        if not line.isprintable():
            raise Defect(f"control or line-break characters in a message: {line[:400]!r}")
        m = LINE.match(line)
        if m and m["file"] == str(path):
            continue
        if line.startswith(f"Error: {path}: ") and any(w in line for w in WHOLE_FILE):
            continue
        raise Defect(f"not 'Error: {path}:LINE: what; fix': {line[:400]!r}")


def _timed(started: float, what: str) -> None:
    took = time.perf_counter() - started
    if took > MAX_SECONDS:
        raise Defect(f"{what} took {took:.1f} s (bound {MAX_SECONDS} s)")


def run_voorstel(raw: bytes, folder: Path, name: str = "voorstel.yaml") -> Outcome:
    path = folder / name
    path.write_bytes(raw)
    started = time.perf_counter()
    with reused_catalog():
        code, out, err = cli(["check", str(path), "--json", "--explain"])
    _timed(started, "check")
    if code != 0:
        judge_error(code, err, path)
        return Outcome(code, out, err)
    if err:
        raise Defect(f"exit 0 with stderr: {err[:500]}")
    return _compare_engines(path, out, Outcome(code, out, err, loaded=True))


def _compare_engines(path: Path, out: str, outcome: Outcome) -> Outcome:
    """The CLI ran durable-rules; plain Python must give the same afwijkingen, byte for byte."""
    import json

    from maatwerk.engine.evaluate.check import check
    from maatwerk.engine.rules.load import read_voorstel
    voorstel = read_voorstel(path)
    day = voorstel.default_peildatum()
    eff = bundled().for_voorstel(voorstel.gemeente, voorstel.wet, day)
    durable = json.loads(out)
    python = check(eff, voorstel, day, engine="python", explain=True).public(True)
    if durable != python:
        raise Defect(f"engines differ on {path.name}: durable {durable['afwijkingen']} "
                     f"python {python['afwijkingen']}")
    outcome.afwijkingen = len(durable["afwijkingen"])
    return outcome


def run_ruleset(raw: bytes, folder: Path, name: str = "2026-01-01.yaml") -> Outcome:
    path = folder / name
    path.write_bytes(raw)
    started = time.perf_counter()
    code, out, err = cli(["ruleset", "validate", str(path), "--rulesets",
                          str(bases_folder(str(folder.parent)))])
    _timed(started, "ruleset validate")
    if code != 0:
        judge_error(code, err, path)
        return Outcome(code, out, err)
    if err or not out.startswith("OK: 1 ruleset(s)"):
        raise Defect(f"exit 0 but: {out[:200]} {err[:300]}")
    return Outcome(code, out, err, loaded=True, afwijkingen=_evaluate_ruleset(path))


@lru_cache(maxsize=None)
def _examples() -> tuple:
    from maatwerk.engine.rules.load import read_voorstel
    return tuple(read_voorstel(p) for p in sorted((ROOT / "examples" / "voorstellen").glob("*.yaml")))


def _evaluate_ruleset(path: Path) -> int:
    """A mutated ruleset that validates is used: the example voorstellen of its law (and
    gemeente) are checked against it on both engines, which must agree exactly."""
    from maatwerk.engine.errors import MaatwerkError
    from maatwerk.engine.evaluate.check import check
    from maatwerk.engine.rules.catalog import Catalog
    from maatwerk.engine.rules.load import read_ruleset
    rf = read_ruleset(path)
    rs = rf.ruleset
    bases = [f for f in bundled().files if f.ruleset.extends is None and f.ruleset.ref != rs.ref]
    cat = Catalog(str(path.parent), [rf, *bases])
    found = 0
    for voorstel in _examples():
        if voorstel.wet != rs.wet or rs.extends and voorstel.gemeente != rs.autoriteit.code:
            continue
        day = voorstel.default_peildatum()
        day = day if rs.in_force(day) else rs.geldig_vanaf
        try:
            eff = cat.effective(rf, day)
        except MaatwerkError:
            continue                      # no base in force on that day: a selection error
        durable = check(eff, voorstel, day, engine="durable", explain=True).public(True)
        python = check(eff, voorstel, day, engine="python", explain=True).public(True)
        if durable != python:
            raise Defect(f"engines differ on ruleset {rs.ref}: durable {durable['afwijkingen']} "
                         f"python {python['afwijkingen']}")
        found += len(durable["afwijkingen"])
    return found


def run_subprocess(argv: list[str], cwd: Path, memory_mb: int = 1024,
                   timeout: float = 60) -> tuple[int, str, str, float]:
    """The real `maatwerk` console script, with an address-space limit and a timeout."""
    import resource

    def limit() -> None:
        cap = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    env = {k: v for k, v in os.environ.items() if not k.startswith("MAATWERK_")}
    env["MAATWERK_CACHE"] = str(cwd / ".maatwerk-cache")     # the cache on, but not the user's
    exe = shutil.which("maatwerk") or sys.executable
    cmd = [exe, *argv] if exe.endswith("maatwerk") else [exe, "-m", "maatwerk.cli.main", *argv]
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout,
                          preexec_fn=limit)
    return done.returncode, done.stdout, done.stderr, time.perf_counter() - started
