"""Audit runs over a store: verify the chain, replay besluiten, impact of a ruleset.

This module sits at the I/O edge (it reads the log through a Store); the
comparisons themselves are pure (`replay`, `impact`, `report`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from .errors import AuditFailure, MaatwerkError
from .events import GENESIS, verify_raw
from .impact import evaluate as impact_of, per_kader
from .replay import Rulesets, replay

CHUNK = 250


def _guard(what: str, location: str):
    """Turn any failure to read the log into an audit failure (exit 3), never a traceback."""
    class _Guard:
        def __enter__(self):
            return self

        def __exit__(self, kind, exc, tb):
            if exc is None or isinstance(exc, MaatwerkError):
                return False
            raise AuditFailure(f"het log kan niet gelezen worden tijdens {what}: "
                               f"{type(exc).__name__}: {exc}"[:400], location, None,
                               "herstel het log uit de back-up en draai verify opnieuw") from None
    return _Guard()


def verify_log(store, kop: str | None = None) -> dict:
    """Walk the chain; exit-3 failure at the first broken event, else counts and the head."""
    seen = {"n": 0, "last": (0, GENESIS)}
    checked: dict[str, bool] = {}

    def rows() -> Iterator[tuple]:
        for row in store.raw_rows():
            seen["n"] += 1
            seen["last"] = (row[0], row[8])
            yield row

    def ruleset_ok(sha: str) -> bool:
        if sha not in checked:
            checked[sha] = store.ruleset_hash(sha) == sha
        return checked[sha]

    with _guard("verify", store.location):
        breuk = verify_raw(rows(), ruleset_ok)
        counts = store.counts()
    if breuk is not None:
        where = f"gebeurtenis #{breuk.seq}" + (f" (besluit {breuk.besluit})" if breuk.besluit else "")
        raise AuditFailure(f"keten gebroken bij {where}: {breuk.reden}", store.location, None,
                           "vergelijk met de back-up; alles vanaf deze gebeurtenis is onbetrouwbaar")
    head = f"{seen['last'][0]}:{seen['last'][1]}"
    if kop:
        _check_head(store, kop, seen["n"])
    return {"intact": True, "gebeurtenissen": seen["n"], "besluiten": counts["besluiten"],
            "rulesets": counts["rulesets"], "kop": head}


def _check_head(store, kop: str, length: int) -> None:
    seq_text, _, digest = kop.partition(":")
    if not seq_text.isdigit() or not digest:
        raise AuditFailure(f"--kop '{kop}' heeft niet de vorm SEQ:HASH", store.location, None,
                           "gebruik de kop die een eerdere verify drukte")
    seq = int(seq_text)
    row = next((r for r in store.rows(after=seq - 1) if r.get("seq") == seq), None) \
        if seq <= length else None
    if row is None or not str(row.get("hash", "")).startswith(digest.rstrip("…")):
        raise AuditFailure(f"de eerder genoteerde kop #{seq} ontbreekt of wijkt af: het log is "
                           "ingekort of herschreven", store.location, None,
                           "vergelijk met de back-up van het log")


def replay_log(store, besluit: str | None, engine: str, processes: int, db: str) -> dict:
    """Replay one besluit or all; outcomes that differ (or carry a note) are listed."""
    with _guard("replay", store.location):
        if besluit is not None:
            b = store.besluit(besluit)
            outcomes = [replay(b.id, b.inhoud, Rulesets(store.ruleset), engine).public()]
            return _summary(outcomes, 1, keep_all=True)
        ids = store.besluit_ids()
        if processes > 1 and len(ids) > CHUNK:
            outcomes = _parallel(db, ids, engine, processes)
        else:
            outcomes = _replay_ids(store, ids, engine)
    return _summary(outcomes, len(ids))


def _replay_ids(store, ids: list[str], engine: str) -> list[dict]:
    rulesets = Rulesets(store.ruleset)
    out = []
    for b in store.besluiten_by_id(ids):
        result = replay(b.id, b.inhoud, rulesets, engine)
        if not result.gelijk or result.opmerking:
            out.append(result.public())
    return out


def _worker(args: tuple[str, list[str], str]) -> list[dict]:
    from .store.base import open_store
    db, ids, engine = args
    with open_store(db, migrate=False) as store:
        return _replay_ids(store, ids, engine)


def _parallel(db: str, ids: list[str], engine: str, processes: int) -> list[dict]:
    import multiprocessing
    chunks = [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return [o for part in pool.map(_worker, [(db, c, engine) for c in chunks]) for o in part]


def _summary(outcomes: list[dict], n: int, keep_all: bool = False) -> dict:
    different = sum(1 for o in outcomes if not o["gelijk"])
    return {"besluiten": n, "gelijk": n - different, "verschillend": different,
            "uitkomsten": outcomes if keep_all else [o for o in outcomes if not o["gelijk"] or o["opmerking"]]}


def _in_range(peildatum: str, since: dt.date | None, until: dt.date | None) -> bool:
    day = dt.date.fromisoformat(peildatum)
    return (since is None or day >= since) and (until is None or day <= until)


def impact_log(store, catalog, ref: str, since: dt.date | None, until: dt.date | None,
               engine: str) -> dict:
    """Replay the besluiten in range against ruleset `ref` and report the differences."""
    target = catalog.by_ref(ref)
    effectives: dict[Any, Any] = {}
    results = []
    n = skipped = 0
    with _guard("impact", store.location):
        for b in store.besluiten():
            if not _in_range(b.inhoud.peildatum, since, until):
                continue
            if not _applies(target.ruleset, b.inhoud.voorstel):
                skipped += 1
                continue
            n += 1
            day = dt.date.fromisoformat(b.inhoud.peildatum)
            eff = _effective(catalog, target, day, effectives)
            motivated = {s.key for s in b.standen if s.motiveringen}
            results.append(impact_of(eff, b.id, b.inhoud.voorstel, b.inhoud.peildatum,
                                     b.inhoud.afwijkingen, motivated, engine))
    touched = [r for r in results if r.wijzigingen]
    return {"ruleset": target.ruleset.ref, "besluiten": n, "geraakt": len(touched),
            "overgeslagen": skipped,
            "per_kader": per_kader(results),
            "per_besluit": [{"besluit": r.besluit, "peildatum": r.peildatum,
                             "wijzigingen": [w.public() for w in r.wijzigingen]} for r in touched]}


def _applies(ruleset, voorstel: dict) -> bool:
    """A ruleset speaks to besluiten of its own law, and a gemeente's only to its own."""
    if voorstel.get("wet") != ruleset.wet:
        return False
    return ruleset.autoriteit.code == "rijk" or voorstel.get("gemeente") == ruleset.autoriteit.code


def _effective(catalog, target, day: dt.date, cache: dict):
    """The target ruleset with the base in force on the day (resolved once per base version)."""
    base = target.ruleset.extends
    in_force = [f.ruleset.ref for f in catalog.family(base) if f.ruleset.in_force(day)] if base else []
    key = in_force[0] if in_force else None
    if key not in cache:
        cache[key] = catalog.effective(target, day)
    return cache[key]
