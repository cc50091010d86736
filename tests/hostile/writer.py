"""A writer to kill: records into the log without end, reporting what is committed.

    python writer.py DB RULESETS VOORSTEL START

Each round opens the log as a command does (migrating a fresh one), then one of:
`record` of one besluit with two motiveringen in its transaction, a bulk
`record_many` of three besluiten (all or none), or a `justify` and an `approve`
on a besluit of an earlier round. Only after the call returned (committed) it
prints one line and flushes:

    R <id> ...        besluiten recorded (one, or the three of a bulk)
    J <id> <seq>      a motivering added, as event <seq>
    A <id> <seq>      an akkoord given, as event <seq>

Bulk rounds carry team "bulk-N", so a check can see that a bulk is all or none.
The caller kills this process with SIGKILL at a random moment.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))

from logdata import GOED, TARIEF, UREN  # noqa: E402


def main(db: str, rulesets: str, voorstel: str, start: int) -> None:
    from maatwerk.engine.evaluate.check import check
    from maatwerk.engine.log import besluit as rules
    from maatwerk.engine.log.store.open import opened
    from maatwerk.engine.rules.catalog import Catalog
    from maatwerk.engine.rules.load import read_voorstel

    v = read_voorstel(Path(voorstel))
    day = v.default_peildatum()
    eff = Catalog.load(Path(rulesets), strict=False).for_voorstel(v.gemeente, v.wet, day)
    toets = check(eff, v, day, engine="python")
    stored = eff.stored()

    def item(n: int, team: str | None = None, k: int | None = None) -> tuple:
        motiveringen = [rules.motivering(toets.public()["afwijkingen"], TARIEF, i,
                                         f"{GOED} (ronde {n}, voorziening {i})") for i in (1, 2)]
        payload = rules.vastlegging(v, toets, eff, backend="python", team=team)
        payload = payload.model_copy(update={"voorstel": {**payload.voorstel, "id": f"V-{n}" if k is None else f"V-{n}-{k}"}})
        return (payload, stored, motiveringen, f"w{n % 5}", "consulent")

    earlier: list[str] = []
    n = start
    while True:
        n += 1
        with opened(db, create=True) as store:
            if n % 4 == 0 and earlier:
                target = earlier[n % len(earlier)]
                b = store.justify(target, UREN, 1, f"{GOED}; herzien in ronde {n}", None,
                                  "p.auteur", "consulent")
                say(f"J {target} {b.events[-1].seq}")
                b = store.approve(target, UREN, 1, "t.leider", "teamleider")
                say(f"A {target} {b.events[-1].seq}")
            elif n % 3 == 0:
                done = store.record_many([item(n, f"bulk-{n}", k) for k in range(3)])
                say("R " + " ".join(b.id for b in done))
                earlier += [b.id for b in done]
            else:
                b = store.record(*item(n))
                say(f"R {b.id}")
                earlier.append(b.id)


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
