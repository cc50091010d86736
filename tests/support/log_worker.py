"""A separate OS process for the concurrency and crash tests (run as a script).

    python log_worker.py record DB RULESETS VOORSTEL N GO WHO
        warm up, touch GO.WHO, wait until the file GO exists, then `maatwerk record` N times
        (every other one with a --motivering; each a voorstel with its own id, as recording
        the same voorstel again returns its besluit) and print the besluit ids as JSON.
        WHO must be a registered consulent (logdata.register_db(db, WRITERS)).
    python log_worker.py crash DB RULESETS VOORSTEL
        record one besluit through the store, print its id, and die by SIGKILL
        without closing anything.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path


def record_many(db: str, rulesets: str, voorstel: str, n: int, go: str, who: str) -> None:
    from click.testing import CliRunner
    from maatwerk.cli.main import cli
    runner = CliRunner()
    runner.invoke(cli, ["check", voorstel, "--rulesets", rulesets])      # warm up: compile once
    import yaml
    data = yaml.safe_load(Path(voorstel).read_text(encoding="utf-8"))
    paths = []
    for i in range(n):
        path = Path(f"{go}.{who}.{i}.yaml")
        path.write_text(yaml.safe_dump({**data, "id": f"V-{who}-{i}"}), encoding="utf-8")
        paths.append(str(path))
    Path(f"{go}.{who}").touch()                                          # ready
    while not Path(go).exists():
        time.sleep(0.002)
    ids = []
    for i in range(n):
        args = ["record", paths[i], "--db", db, "--rulesets", rulesets, "--by", who, "--role",
                "consulent", "--json"]
        if i % 2:
            args += ["--motivering", f"test.tarief@2=Tarief hoger wegens specialistische zorg {i}"]
        result = runner.invoke(cli, args)
        if result.exit_code != 0:
            sys.stderr.write(f"{who} #{i}: {result.output} {result.exception!r}\n")
            sys.exit(1)
        ids.append(json.loads(result.stdout)["besluit"])
    print(json.dumps(ids))


def crash(db: str, rulesets: str, voorstel: str) -> None:
    from maatwerk.engine.evaluate.check import check
    from maatwerk.engine.log import besluit as rules
    from maatwerk.engine.log.store.open import open_store
    from maatwerk.engine.rules.catalog import Catalog
    from maatwerk.engine.rules.load import read_voorstel
    v = read_voorstel(Path(voorstel))
    peildatum = v.default_peildatum()
    eff = Catalog.load(Path(rulesets), strict=False).for_voorstel(v.gemeente, v.wet, peildatum)
    store = open_store(db, create=True)
    b = store.record(rules.vastlegging(v, check(eff, v, peildatum), eff), eff.stored(), [],
                     "c.jansen", "consulent")
    sys.stdout.write(b.id + "\n")
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "record":
        record_many(rest[0], rest[1], rest[2], int(rest[3]), rest[4], rest[5])
    else:
        crash(*rest)
