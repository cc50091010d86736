"""Parquet partitions of the fact columns, for engines beyond one machine.

`audit export --parquet MAP` writes, per block of the log, one file per partition
gemeente × year of the peildatum (hive style: ``gemeente=gm0344/jaar=2026/``):

* ``besluiten-NNNNN.parquet``: one row per besluit: besluit, peildatum, ruleset hash and
  every voorstel field a stored ruleset reads (column names are catalogue paths);
* ``voorzieningen-NNNNN.parquet``: one row per voorziening: besluit, idx and its fields;
* ``afwijkingen-NNNNN.parquet``: the recorded afwijkingen: besluit, kader, voorziening,
  waargenomen and grens (as JSON text: their type differs per kader).

Numbers are float64 (null when absent), dates date32, ja/nee bool, texts strings and
lists lists of strings: the values `derive.Evaluator` reads, so DuckDB, Polars, Spark or
Dask can evaluate the conditions per partition. Pure: it yields (relative path, table);
the CLI writes the files. pyarrow is imported only here.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
from typing import Any, Iterator

import numpy as np

from ..errors import InputError, MaatwerkError
from ..evaluate.columns import Column, Facts
from ..model.fields import BOOL, DATE, LIST, NUMBER
from .bulk import Block, log_blocks, paths_of, quiet_gc
from .replay import Rulesets

GEMEENTE = "voorstel.gemeente"


def _arrow():
    try:
        import pyarrow
    except ImportError:
        raise InputError("voor --parquet is pyarrow nodig", None, None,
                         "installeer het met: pip install 'maatwerk[parquet]'") from None
    return pyarrow


def partitions(store, masks: list[str] = (), reach=None) -> Iterator[tuple[str, Any]]:
    """(relative path, pyarrow table) for every partition of every block of the log; a
    column a mask names (`client.geboortedatum`, `onderzoek.*`,
    `voorzieningen.*.aanbieder.soort`) is left out. `reach(sha, afwijking)`: whether a
    mask reaches an afwijking's values (`masks.reaches`); those become "***"."""
    pa = _arrow()
    rulesets = Rulesets(store.ruleset)
    effs = []
    for sha in store.ruleset_hashes():
        try:
            effs.append(rulesets.get(sha))
        except MaatwerkError:      # a ruleset that does not rebuild: no besluit can use it here
            continue
    vpaths, zpaths = paths_of(effs)
    vpaths.add(GEMEENTE)
    hidden = {p for p in vpaths | zpaths if masked(p, masks) and p != GEMEENTE}
    vpaths, zpaths = vpaths - hidden, zpaths - hidden

    def eff_for(payload: dict):
        return rulesets.get(payload["ruleset"]["sha256"])
    with quiet_gc():
        for n, block in enumerate(log_blocks(store, (vpaths, zpaths), eff_for, motivated={})):
            yield from _block_tables(pa, block, n, reach)


def masked(path: str, masks: list[str]) -> bool:
    """Whether a column (catalogue path) falls under an export mask (a voorstel path)."""
    for mask in masks:
        pattern = ("voorziening." + mask.split(".", 2)[2] if mask.startswith("voorzieningen.*.")
                   else "voorstel." + mask)
        if fnmatch.fnmatchcase(path, pattern) or path.startswith(pattern + "."):
            return True
    return False


def _block_tables(pa, block: Block, n: int, reach=None) -> Iterator[tuple[str, Any]]:
    facts = block.facts
    gemeente = [facts.vocab.words[c] if ok else "onbekend" for c, ok in
                zip(facts.voorstel[GEMEENTE].val.tolist(), facts.voorstel[GEMEENTE].ok.tolist())]
    years = [dt.date.fromordinal(d).year for d in block.days.tolist()]
    keys = sorted(set(zip(gemeente, years)))
    key_of = np.array([keys.index(k) for k in zip(gemeente, years)], np.int64)
    ids = np.array(block.besluiten, dtype=object)
    shas = np.array([e.sha256 for e in block.effs], dtype=object)[block.eff_of]
    rec = block.recorded
    for k, (gm, year) in enumerate(keys):
        rows = np.flatnonzero(key_of == k)
        zrows = np.flatnonzero(np.isin(facts.owner, rows))
        where = f"gemeente={gm}/jaar={year}"
        besluiten = {"besluit": ids[rows].tolist(), "ruleset": shas[rows].tolist()}
        besluiten.update({p: _array(pa, c.take(rows), facts) for p, c in facts.voorstel.items()})
        yield f"{where}/besluiten-{n:05d}.parquet", pa.table(besluiten)
        zcols = {"besluit": ids[facts.owner[zrows]].tolist(), "idx": facts.idx[zrows]}
        zcols.update({p: _array(pa, c.take(zrows), facts) for p, c in facts.voorziening.items()})
        yield f"{where}/voorzieningen-{n:05d}.parquet", pa.table(zcols)
        picked = np.flatnonzero(np.isin(rec.row, rows)).tolist()
        hide = [reach is not None and reach(shas[int(rec.row[i])], {
            "kader": rec.kader[i], "voorziening": rec.voorziening[i]}) for i in picked]
        shown = lambda value, hidden: json.dumps("***" if hidden else value,  # noqa: E731
                                                 ensure_ascii=False)
        yield f"{where}/afwijkingen-{n:05d}.parquet", pa.table({
            "besluit": [block.besluiten[int(rec.row[i])] for i in picked],
            "kader": [rec.kader[i] for i in picked],
            "voorziening": pa.array([rec.voorziening[i] for i in picked], pa.int64()),
            "waargenomen": [shown(rec.waargenomen[i], h) for i, h in zip(picked, hide)],
            "grens": [shown(rec.grens[i], h) for i, h in zip(picked, hide)]})


def _array(pa, col: Column, facts: Facts):
    """One column as a pyarrow array, null where the value is absent."""
    mask = ~col.ok
    if col.type == NUMBER:
        return pa.array(col.val, pa.float64(), mask=mask)
    if col.type == BOOL:
        return pa.array(col.val > 0.5, pa.bool_(), mask=mask)
    if col.type == DATE:
        epoch = dt.date(1970, 1, 1).toordinal()
        return pa.array((col.val - epoch).astype(np.int32), pa.date32(), mask=mask)
    if col.type == LIST:
        return pa.array([None if not ok else [facts.vocab.words[c] for c in col.items(i)]
                         for i, ok in enumerate(col.ok.tolist())], pa.list_(pa.string()))
    return pa.array([facts.vocab.words[c] if ok else None
                     for c, ok in zip(col.val.tolist(), col.ok.tolist())])
