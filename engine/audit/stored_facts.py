"""Stored fact columns: bulk runs read facts in blocks instead of parsing every voorstel.

Deriving the facts of one besluit costs ≈ 350 µs (JSON, schema validation, derivation);
evaluating them on columns ≈ 8 µs. So the facts of every catalogue field (not only
those one ruleset reads: the blocks serve every ruleset) are derived once per block
of consecutive besluiten and kept beside the log (`log.store.factblocks`). A run then
reads the blocks, and derives (and stores) only the besluiten recorded after the last
one.

The chain stays the source of truth. A block is used only when the hashes of the
events it was derived from are still those in the log (its ``ketens``) and when it
was written by the same deriving code (``formaat``); otherwise it
and every later block are derived again from the payloads. `audit verify` drops the
blocks of a broken chain. tests/audit/test_stored_facts.py holds the stored facts
equal to those derived from the payloads.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import itertools
import json
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from ..evaluate.columns import Column, Facts
from ..log.store.factblocks import chain_digest
from ..model.fields import CATALOGUE
from ..rules.load import voorstel_from_data

BLOCK = 20_000
LAYOUT = 1          # the layout of a stored block (`encode`)
VPATHS = sorted(p for p, s in CATALOGUE.items() if s.scope == "voorstel")
ZPATHS = sorted(p for p, s in CATALOGUE.items() if s.scope == "voorziening")
_PLAIN = (str, int, float, bool)


ROW_KEYS = ("peildatum", "sha", "wet", "gemeente", "engine")
AF_KEYS = ("row", "kader", "voorziening", "waargenomen", "grens")


@dataclass
class FactRows:
    """One block of besluiten: their ids, what a run reads of each payload as lists (`meta`:
    peildatum, ruleset sha, the voorstel's wet and gemeente, engine version), the recorded
    afwijkingen as lists (`af`: row, kader, voorziening, waargenomen, grens), their fact
    columns, and the whole recorded afwijkingen (JSON text, read only by replay)."""

    besluiten: list[str]
    meta: dict[str, list]
    af: dict[str, list]
    facts: Facts
    vol: bytes | list[list[dict]]

    def whole(self) -> list[dict]:
        """Per row what replay reads of the payload: peildatum, ruleset, engine, afwijkingen."""
        if isinstance(self.vol, bytes):
            self.vol = json.loads(zlib.decompress(self.vol))
        m = self.meta
        return [{"peildatum": p, "ruleset": {"sha256": s}, "engine_versie": e, "afwijkingen": a}
                for p, s, e, a in zip(m["peildatum"], m["sha"], m["engine"], self.vol)]

    def selector(self, row: int) -> dict:
        """The fields a run selects a row by, shaped as in the payload."""
        m = self.meta
        return {"peildatum": m["peildatum"][row], "ruleset": {"sha256": m["sha"][row]},
                "voorstel": {"wet": m["wet"][row], "gemeente": m["gemeente"][row]}}


@functools.lru_cache(maxsize=1)
def formaat() -> str:
    """What the stored facts depend on: the code that derives them (the model, the columns,
    the voorstel loader), the libraries that validate a voorstel, and the layout of a block
    (`LAYOUT`: raise it when `encode` changes). A block of another format is derived again."""
    import pydantic
    engine = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{sys.version}\0{pydantic.VERSION}\0{np.__version__}".encode())
    sources = sorted((engine / "model").glob("*.py")) + [
        engine / "evaluate" / "columns.py", engine / "rules" / "load.py"]
    for source in sources:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return f"{LAYOUT}:{digest.hexdigest()}"


def encode(rows: FactRows) -> tuple[bytes, str, bytes] | None:
    """(kolommen, rijen, afwijkingen) of a block, or None when a value would not survive
    the round trip."""
    facts = rows.facts
    if not all(type(w) in _PLAIN for w in facts.vocab.words):
        return None
    arrays = {"owner": facts.owner, "idx": facts.idx, "fallback": facts.fallback}
    for scope, cols in (("v", facts.voorstel), ("z", facts.voorziening)):
        for path, col in cols.items():
            for part in ("val", "ok", "isint", "rows"):
                value = getattr(col, part)
                if value is not None:
                    arrays[f"{scope}|{path}|{part}"] = value
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    vol = rows.vol if isinstance(rows.vol, bytes) else zlib.compress(_dumps(rows.vol).encode(), 1)
    text = _dumps({"besluiten": rows.besluiten, "meta": rows.meta, "af": rows.af,
                   "woorden": facts.vocab.words})
    return buf.getvalue(), text, vol


def decode(kolommen: bytes, rijen: str, vol: bytes,
           paths: tuple[set[str], set[str]] | None = None) -> FactRows:
    """A stored block as fact columns; with paths, only the columns of those fields."""
    meta = json.loads(rijen)
    arrays = np.load(io.BytesIO(kolommen), allow_pickle=False)
    want = None if paths is None else ({"peildatum", *paths[0]}, set(paths[1]))
    facts = Facts(VPATHS if want is None else want[0], ZPATHS if want is None else want[1])
    parts: dict[tuple[str, str], dict[str, np.ndarray]] = {}
    for name in arrays.files:
        if "|" in name:
            scope, path, part = name.split("|")
            if want is None or path in want[0 if scope == "v" else 1]:
                parts.setdefault((scope, path), {})[part] = arrays[name]
    for (scope, path), got in sorted(parts.items()):
        col = Column(CATALOGUE[path].type, got["val"], got["ok"], got.get("isint"), got.get("rows"))
        (facts.voorstel if scope == "v" else facts.voorziening)[path] = col
    facts.owner, facts.idx = arrays["owner"], arrays["idx"]
    facts.fallback = arrays["fallback"].copy()
    facts.vocab.words = meta["woorden"]
    facts.vocab.codes = dict(zip(facts.vocab.words, range(len(facts.vocab.words))))
    return FactRows(meta["besluiten"], meta["meta"], meta["af"], facts, vol)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def derive(items: Iterable[tuple[str, dict]], paths=None) -> FactRows:
    """The fact columns of these (besluit, payload), every catalogue field (or only paths).
    The items are consumed one by one: no payload outlives its row."""
    facts = Facts(*(paths or (VPATHS, ZPATHS)))
    meta: dict[str, list] = {k: [] for k in ROW_KEYS}
    af: dict[str, list] = {k: [] for k in AF_KEYS}
    besluiten, vol = [], []
    for row, (besluit, payload) in enumerate(items):
        facts.add(voorstel_from_data(payload["voorstel"], f"<besluit {besluit}>"),
                  dt.date.fromisoformat(payload["peildatum"]))
        for key, value in zip(ROW_KEYS, (payload["peildatum"], payload["ruleset"]["sha256"],
                                         payload["voorstel"].get("wet"),
                                         payload["voorstel"].get("gemeente"),
                                         payload.get("engine_versie"))):
            meta[key].append(value)
        for a in payload["afwijkingen"]:
            for key, value in zip(AF_KEYS, (row, a["kader"], a.get("voorziening"),
                                            a.get("waargenomen"), a.get("grens"))):
                af[key].append(value)
        besluiten.append(besluit)
        vol.append(payload["afwijkingen"])
    facts.finish()
    return FactRows(besluiten, meta, af, facts, vol)


def prune(rows: FactRows, paths: tuple[set[str], set[str]]) -> FactRows:
    """Only the columns of these fields (what a kept run holds in memory)."""
    facts = rows.facts
    facts.voorstel = {k: v for k, v in facts.voorstel.items() if k == "peildatum" or k in paths[0]}
    facts.voorziening = {k: v for k, v in facts.voorziening.items() if k in paths[1]}
    return rows


def fact_rows(store, paths: tuple[set[str], set[str]] | None) -> Iterator[FactRows]:
    """Every besluit of the log in blocks of fact columns, in log order: the stored blocks
    whose events are unchanged, then the rest derived from the payloads (and stored). With
    paths, only the columns of those fields are kept (None: every catalogue field)."""
    if not store.has_fact_blocks():
        yield from _derived(store, 0, paths, keep=False)
        return
    tag, last = formaat(), 0
    for eerste, laatste, aantal, ketens, kolommen, rijen, vol in store.fact_blocks(tag):
        hashes = store.chain_hashes(last + 1, laatste)     # a besluit between two blocks counts
        if eerste <= last or len(hashes) != aantal or chain_digest(hashes) != ketens:
            store.drop_fact_blocks(last)
            break
        yield decode(kolommen, rijen, vol, paths)
        last = laatste
    yield from _derived(store, last, paths, keep=True)


def _derived(store, after: int, paths, keep: bool) -> Iterator[FactRows]:
    """Blocks derived from the payloads after seq `after`; stored when `keep`."""
    stream = store.vastgelegd_after(after)
    while True:
        chain: list[tuple[int, str]] = []

        def items() -> Iterator[tuple[str, dict]]:
            for seq, digest, besluit, payload in itertools.islice(stream, BLOCK):
                chain.append((seq, digest))
                yield besluit, payload
        rows = derive(items(), None if keep else paths)
        if not chain:
            return
        if keep:        # a block that cannot be stored: none after it either (no gaps)
            coded = encode(rows)
            keep = coded is not None and store.put_fact_block(
                chain[0][0], chain[-1][0], len(chain), formaat(), [h for _, h in chain], *coded)
            rows = rows if paths is None else prune(rows, paths)
            yield rows
            continue
        yield rows
