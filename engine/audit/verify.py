"""Audit runs over a store: verify the chain, replay besluiten, impact of a ruleset.

This module sits at the I/O edge (it reads the log through a Store); the
comparisons themselves are pure (`replay`, `impact`, `report`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterator

from ..errors import AuditFailure, MaatwerkError, StorageError
from ..log.chain import verify_raw
from ..log.events import GENESIS, MOTIVERING, VASTGELEGD
from . import bulk, parallel
from .impact import evaluate as impact_of
from .impact import per_kader
from .replay import Rulesets, replay

CHUNK = 250


def _guard(what: str, location: str):
    """Report a failure of the log's storage (a database error, a corrupt file or row) as an
    audit failure (exit 3). Anything else is a fault of maatwerk and goes up as it is."""
    class _Guard:
        def __enter__(self):
            return self

        def __exit__(self, kind, exc, tb):
            if not isinstance(exc, StorageError):
                return False
            raise AuditFailure(f"het log kan niet gelezen worden tijdens {what}: "
                               f"{exc.first.what}"[:400], location, None,
                               "herstel het log uit de back-up en draai verify opnieuw") from exc
    return _Guard()


def verify_log(store, kop: str | None = None, db: str | None = None, workers: int = 1,
               threads: bool = False) -> dict:
    """Walk the chain; exit-3 failure at the first broken event, else counts and the head.
    With the log's address and workers > 1, a large log is checked by sequence ranges in
    that many processes (`parallel`; threads when asked, to compare), with the same verdict."""
    if db is not None and workers > 1:
        with _guard("verify", store.location):
            n = store.counts()["gebeurtenissen"]
        if n >= parallel.MIN_EVENTS:
            with _guard("verify", store.location):
                breuk, checked, last = parallel.verify_ranges(db, n, workers, threads)
            return _verdict(store, kop, breuk, checked, last)
    seen = {"n": 0, "last": (0, GENESIS)}
    checked: dict[str, bool] = {}

    def rows() -> Iterator[tuple]:
        for row in store.raw_rows():
            seen["n"] += 1
            seen["last"] = (row[0], row[8].decode("ascii", "replace")
                            if isinstance(row[8], bytes) else row[8])
            yield row

    def ruleset_ok(sha: str) -> bool:
        if sha not in checked:
            checked[sha] = store.ruleset_hash(sha) == sha
        return checked[sha]

    with _guard("verify", store.location):
        breuk = verify_raw(rows(), ruleset_ok)
    return _verdict(store, kop, breuk, seen["n"], seen["last"])


def _verdict(store, kop: str | None, breuk, n: int, last: tuple) -> dict:
    with _guard("verify", store.location):
        counts = store.counts()
    if breuk is not None:
        store.drop_fact_blocks()    # stored facts of a broken chain are not to be trusted
        where = f"gebeurtenis #{breuk.seq}" + (f" (besluit {breuk.besluit})" if breuk.besluit else "")
        raise AuditFailure(f"keten gebroken bij {where}: {breuk.reden}", store.location, None,
                           "vergelijk met de back-up; alles vanaf deze gebeurtenis is onbetrouwbaar")
    head = f"{last[0]}:{last[1] if last[1] is not None else GENESIS}"
    if kop:
        _check_head(store, kop, n)
    return {"intact": True, "gebeurtenissen": n, "besluiten": counts["besluiten"],
            "rulesets": counts["rulesets"], "kop": head}


def read_besluiten(store) -> list:
    """Every besluit, folded (for report); a damaged log is an audit failure."""
    with _guard("report", store.location):
        return list(store.besluiten())


def _check_head(store, kop: str, length: int) -> None:
    seq_text, _, digest = kop.partition(":")
    digest = digest.rstrip("…").lower()
    if not seq_text.isdigit() or not re.fullmatch(r"[0-9a-f]{16,64}", digest):
        raise AuditFailure(f"--kop '{kop[:80]}' heeft niet de vorm SEQ:HASH met minstens 16 "
                           "hexcijfers", store.location, None,
                           "gebruik de volledige kop die een eerdere verify drukte")
    seq = int(seq_text)
    row = next((r for r in store.rows(after=seq - 1) if r.get("seq") == seq), None) \
        if seq <= length else None
    if row is None or not str(row.get("hash", "")).startswith(digest):
        raise AuditFailure(f"de eerder genoteerde kop #{seq} ontbreekt of wijkt af: het log is "
                           "ingekort of herschreven", store.location, None,
                           "vergelijk met de back-up van het log")


def columnar(store, engine: str) -> bool:
    """Whether a whole-log run takes the columnar backend: asked for, or `auto` on a large log."""
    if engine == "columnar":
        return True
    return engine == "auto" and store.counts()["besluiten"] >= bulk.MIN_ROWS


def backend(engine: str) -> str:
    """The per-besluit backend for a run that does not go columnar."""
    return "python" if engine in ("auto", "columnar") else engine


def replay_log(store, besluit: str | None, engine: str, processes: int, db: str) -> dict:
    """Replay one besluit or all; outcomes that differ (or carry a note) are listed."""
    with _guard("replay", store.location):
        if besluit is None and columnar(store, engine):
            rulesets = Rulesets(store.ruleset)
            forked = None if processes < 2 or not db else \
                parallel.replay_forked(db, store, rulesets, processes)
            n, kept = forked or bulk.replay_stream(store, rulesets)
            return _summary([u.public() for u in kept], n)
        engine = backend(engine)
        if besluit is not None:
            store.besluit(besluit)  # unknown id: a clear NotFoundError
            items = list(store.payloads(VASTGELEGD, [besluit]))
            return _summary(_replay_chunk((Rulesets(store.ruleset), engine, True), items), 1,
                            keep_all=True)
        items = list(store.payloads(VASTGELEGD))
        rulesets = Rulesets(store.ruleset)
        for sha in {p["ruleset"]["sha256"] for _, p in items}:
            rulesets.get(sha)  # read every pinned ruleset once, before forking
    job = (rulesets, engine, False)
    if processes > 1 and len(items) > CHUNK:
        outcomes = _forked(_replay_chunk, job, items, processes)
    else:
        outcomes = _replay_chunk(job, items)
    return _summary(outcomes, len(items))


def _replay_chunk(job: tuple, items: list) -> list[dict]:
    rulesets, engine, keep_all = job
    out = []
    for besluit, payload in items:
        result = replay(besluit, payload, rulesets, engine)
        if keep_all or not result.gelijk or result.opmerking:
            out.append(result.public())
    return out


def _summary(outcomes: list[dict], n: int, keep_all: bool = False) -> dict:
    different = sum(1 for o in outcomes if not o["gelijk"])
    return {"besluiten": n, "gelijk": n - different, "verschillend": different,
            "uitkomsten": outcomes if keep_all else [o for o in outcomes if not o["gelijk"] or o["opmerking"]]}


def in_range(peildatum: str, since: dt.date | None, until: dt.date | None) -> bool:
    day = dt.date.fromisoformat(peildatum)
    return (since is None or day >= since) and (until is None or day <= until)


def impact_log(store, catalog, ref: str, since: dt.date | None, until: dt.date | None,
               engine: str, processes: int = 1, draft=None, db: str = "") -> dict:
    """Replay the besluiten in range against ruleset `ref` and report the differences;
    draft (from `draft.with_parameter`) changes that ruleset first, without writing it.
    On the columnar path with `db` (the log's path or DSN, for the workers to open) and
    processes > 1, the stored fact blocks are split over forked processes."""
    target = catalog.by_ref(ref)
    draft = draft or _same
    if columnar(store, engine):
        return _impact_columnar(store, catalog, target, (since, until), draft, (processes, db))
    engine = backend(engine)
    with _guard("impact", store.location):
        motivated: dict[str, set] = {}
        for besluit, m in store.payloads(MOTIVERING):
            motivated.setdefault(besluit, set()).add((m["kader"], m.get("voorziening")))
        chosen, skipped = [], 0
        for besluit, payload in store.payloads(VASTGELEGD):
            if not in_range(payload["peildatum"], since, until):
                continue
            if applies(target.ruleset, payload["voorstel"]):
                chosen.append((besluit, payload, motivated.get(besluit, set())))
            else:
                skipped += 1
    job = (catalog, target, engine, draft)
    if processes > 1 and len(chosen) > CHUNK:
        results = _forked(_impact_chunk, job, chosen, processes)
    else:
        results = _impact_chunk(job, chosen)
    return impact_summary(target.ruleset.ref, len(chosen), skipped, [r for r in results if r.wijzigingen])


def _same(eff):
    return eff


def _impact_columnar(store, catalog, target, period: tuple, draft, fork: tuple[int, str]) -> dict:
    effectives: dict[Any, Any] = {}
    since, until = period
    processes, db = fork

    def chosen(payload: dict) -> bool:
        return in_range(payload["peildatum"], since, until) and applies(target.ruleset, payload["voorstel"])

    by_day: dict[str, Any] = {}

    def eff_for(payload: dict):
        day = payload["peildatum"]
        if day not in by_day:
            by_day[day] = effective_on(catalog, target, dt.date.fromisoformat(day), effectives)
        return by_day[day]
    with _guard("impact", store.location):
        if processes > 1 and db:
            run = parallel.impact_forked(db, store, chosen, eff_for, impact_paths(catalog, target),
                                         draft, processes)
        else:
            run = bulk.impact_stream(store, chosen, eff_for, impact_paths(catalog, target), draft)
    with bulk.quiet_gc():
        return impact_summary(target.ruleset.ref, run["besluiten"], run["overgeslagen"], run["geraakt"])


def impact_paths(catalog, target) -> tuple[set[str], set[str]]:
    """The fields the target ruleset reads on any base version it can meet."""
    days = {target.ruleset.geldig_vanaf}
    if target.ruleset.extends:
        days |= {f.ruleset.geldig_vanaf for f in catalog.family(target.ruleset.extends)}
    cache: dict[Any, Any] = {}
    effs = []
    for day in sorted(days):
        try:
            effs.append(effective_on(catalog, target, day, cache))
        except MaatwerkError:
            continue
    return bulk.paths_of(effs)


def impact_summary(ref: str, besluiten: int, skipped: int, touched: list) -> dict:
    """The impact report: counts per kader and the besluiten that change."""
    return {"ruleset": ref, "besluiten": besluiten, "geraakt": len(touched),
            "overgeslagen": skipped, "per_kader": per_kader(touched),
            "per_besluit": [{"besluit": r.besluit, "peildatum": r.peildatum,
                             "wijzigingen": [w.public() for w in r.wijzigingen]} for r in touched]}


def _impact_chunk(job: tuple, items: list) -> list:
    catalog, target, engine, draft = job
    effectives: dict[Any, Any] = {}
    out = []
    for besluit, payload, motivated in items:
        eff = draft(effective_on(catalog, target, dt.date.fromisoformat(payload["peildatum"]), effectives))
        out.append(impact_of(eff, besluit, payload["voorstel"], payload["peildatum"],
                             payload["afwijkingen"], motivated, engine))
    return out


_JOB: tuple = ()


def _run_forked(span: tuple[int, int]) -> list:
    fn, job, items = _JOB
    return fn(job, items[span[0]:span[1]])


def _forked(fn, job: tuple, items: list, processes: int) -> list:
    """fn(job, chunk) over chunks in forked processes. The job and the items are
    inherited by the fork, not pickled; only the results travel back."""
    import multiprocessing
    global _JOB
    _JOB = (fn, job, items)
    size = max(CHUNK, len(items) // (processes * 4) + 1)
    spans = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            return [r for part in pool.map(_run_forked, spans) for r in part]
    finally:
        _JOB = ()


def applies(ruleset, voorstel: dict) -> bool:
    """A ruleset speaks to besluiten of its own law, and a gemeente's only to its own."""
    if voorstel.get("wet") != ruleset.wet:
        return False
    return ruleset.autoriteit.code == "rijk" or voorstel.get("gemeente") == ruleset.autoriteit.code


def effective_on(catalog, target, day: dt.date, cache: dict):
    """The target ruleset with the base in force on the day (resolved once per base version)."""
    base = target.ruleset.extends
    in_force = [f.ruleset.ref for f in catalog.family(base) if catalog.in_force(f, day)] if base else []
    key = in_force[0] if in_force else None
    if key not in cache:
        cache[key] = catalog.effective(target, day)
    return cache[key]
