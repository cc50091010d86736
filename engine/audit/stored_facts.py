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
import itertools
import json
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from ..evaluate.columns import Facts
from ..model.fields import CATALOGUE
from ..rules.load import voorstel_from_data
from . import fact_layout as layout
from .changes import NO_VZ, Recorded
from .replay import compared_text

BLOCK = 20_000
LAYOUT = 3          # the layout of a stored block (`fact_layout`, `encode`)
VPATHS = sorted(p for p, s in CATALOGUE.items() if s.scope == "voorstel")
ZPATHS = sorted(p for p, s in CATALOGUE.items() if s.scope == "voorziening")
_PLAIN = (str, int, float, bool)
_BIG = 1 << 40


@dataclass
class FactRows:
    """One block of besluiten: their ids, the distinct selection keys of the rows (`keys`:
    peildatum, ruleset sha, the voorstel's wet and gemeente, engine version) and each row's
    key (`key_of`), the recorded afwijkingen as arrays, the fact columns, and per row the
    text of its recorded afwijkingen' compared fields (or what reads it; only replay asks)."""

    besluiten: list[str]
    keys: list[tuple]
    key_of: np.ndarray
    recorded: Recorded
    facts: Facts
    vergelijk: bytes | list[str | None] | Callable[[], bytes]

    def compared(self) -> list[tuple[str | None, str | None]]:
        """Per row what replay checks it against: the engine version it was recorded with,
        and `replay.compared_text` of its recorded afwijkingen (None: decode the payload)."""
        if callable(self.vergelijk):
            self.vergelijk = self.vergelijk()
        if isinstance(self.vergelijk, bytes):
            texts = zlib.decompress(self.vergelijk).decode("utf-8").split("\n")
            self.vergelijk = [t or None for t in texts][:len(self.besluiten)]
        engines = [k[4] for k in self.keys]
        return [(engines[k], t) for k, t in zip(self.key_of.tolist(), self.vergelijk)]

    def selector(self, key: int) -> dict:
        """The fields a run selects rows by, shaped as in the payload, for one key."""
        peildatum, sha, wet, gemeente, _ = self.keys[key]
        return {"peildatum": peildatum, "ruleset": {"sha256": sha},
                "voorstel": {"wet": wet, "gemeente": gemeente}}

    def peildata(self) -> list[str]:
        """Each row's peildatum as in the payload."""
        days = [k[0] for k in self.keys]
        return [days[k] for k in self.key_of.tolist()]


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


def encode(rows: FactRows) -> dict[str, bytes] | None:
    """The parts of a block (`fact_layout`), or None when a value would not survive the
    round trip."""
    facts, rec = rows.facts, rows.recorded
    if not all(type(w) in _PLAIN for w in facts.vocab.words):
        return None
    parts = {"rijen": layout.dumps({"besluiten": rows.besluiten, "keys": rows.keys,
                                    "kaders": rec.kaders}),
             "woorden": layout.dumps(facts.vocab.words),
             "index": layout.pack({"key_of": rows.key_of, "owner": facts.owner, "idx": facts.idx,
                                   "fallback": facts.fallback}),
             "af": layout.pack({"row": rec.row, "code": rec.code, "vz": rec.vz}),
             "af.waarden": layout.values_part(dict(zip("wg", rec.lists))),
             "vergelijk": rows.vergelijk if isinstance(rows.vergelijk, bytes) else
             zlib.compress("\n".join(t or "" for t in rows.vergelijk).encode("utf-8"), 1)}
    for scope, cols in (("v", facts.voorstel), ("z", facts.voorziening)):
        parts.update({f"{scope}|{path}": layout.column_part(col) for path, col in cols.items()})
    return parts


def decode(parts: dict[str, bytes], vergelijk: bytes | Callable[[], bytes],
           paths: tuple[set[str], set[str]] | None = None) -> FactRows:
    """A stored block as fact columns; with paths, only the columns of those fields."""
    head, index, af = json.loads(parts["rijen"]), layout.unpack(parts["index"]), layout.unpack(parts["af"])
    vpaths = VPATHS if paths is None else {"peildatum", *paths[0]}
    zpaths = ZPATHS if paths is None else paths[1]
    facts = Facts(vpaths, zpaths)
    facts.voorstel = {p: layout.column_of(p, parts[f"v|{p}"]) for p in facts.vpaths}
    facts.voorziening = {p: layout.column_of(p, parts[f"z|{p}"]) for p in facts.zpaths}
    facts.owner, facts.idx, facts.fallback = index["owner"], index["idx"], index["fallback"].copy()
    facts.vocab.words = json.loads(parts["woorden"])
    facts.vocab.codes = dict(zip(facts.vocab.words, range(len(facts.vocab.words))))
    rec = Recorded(af["row"], af["code"], af["vz"], head["kaders"], parts["af.waarden"])
    return FactRows(head["besluiten"], [tuple(k) for k in head["keys"]], index["key_of"], rec,
                    facts, vergelijk)


def derive(items: Iterable[tuple[str, dict]], paths=None) -> FactRows:
    """The fact columns of these (besluit, payload), every catalogue field (or only paths).
    The items are consumed one by one: no payload outlives its row."""
    facts = Facts(*(paths or (VPATHS, ZPATHS)))
    keys: dict[tuple, int] = {}
    key_of, besluiten, vergelijk = [], [], []
    af: dict[str, list] = {"row": [], "code": [], "vz": [], "w": [], "g": []}
    kaders: dict[str, int] = {}
    wide: list[int] = []
    for row, (besluit, payload) in enumerate(items):
        facts.add(voorstel_from_data(payload["voorstel"], f"<besluit {besluit}>"),
                  dt.date.fromisoformat(payload["peildatum"]))
        key = (payload["peildatum"], payload["ruleset"]["sha256"], payload["voorstel"].get("wet"),
               payload["voorstel"].get("gemeente"), payload.get("engine_versie"))
        key_of.append(keys.setdefault(key, len(keys)))
        for a in payload["afwijkingen"]:
            vz = a.get("voorziening")
            if vz is not None and not -_BIG < vz < _BIG:    # left to the Python backend
                wide.append(row)
                vz = 0
            af["row"].append(row)
            af["code"].append(kaders.setdefault(a["kader"], len(kaders)))
            af["vz"].append(NO_VZ if vz is None else vz)
            af["w"].append(a.get("waargenomen"))
            af["g"].append(a.get("grens"))
        besluiten.append(besluit)
        vergelijk.append(compared_text(payload["afwijkingen"]))
    facts.finish()
    facts.fallback[wide] = True
    rec = Recorded(*(np.array(af[k], np.int64) for k in ("row", "code", "vz")), list(kaders),
                   (af["w"], af["g"]))
    return FactRows(besluiten, list(keys), np.array(key_of, np.int64), rec, facts, vergelijk)


def prune(rows: FactRows, paths: tuple[set[str], set[str]]) -> FactRows:
    """Only the columns of these fields (what a kept run holds in memory)."""
    facts = rows.facts
    facts.voorstel = {k: v for k, v in facts.voorstel.items() if k == "peildatum" or k in paths[0]}
    facts.voorziening = {k: v for k, v in facts.voorziening.items() if k in paths[1]}
    return rows


def fact_rows(store, paths: tuple[set[str], set[str]] | None) -> Iterator[FactRows]:
    """Every besluit of the log in blocks of fact columns, in log order: the stored blocks
    whose events are unchanged, then the rest derived from the payloads (and stored). With
    paths, only the columns of those fields are read (None: every catalogue field)."""
    if not store.has_fact_blocks():
        yield from _derived(store, 0, paths, keep=False)
        return
    last = 0
    for eerste, laatste in stored_blocks(store):
        rows = read_block(store, eerste, paths)
        if rows is None:
            store.drop_fact_blocks(last)
            break
        yield rows
        last = laatste
    yield from rest(store, last, paths)


def stored_blocks(store) -> list[tuple[int, int]]:
    """(eerste, laatste) of every stored block still to be trusted, in log order; the
    blocks from the first that is not are dropped. A block is trusted while the event at
    its ``laatste`` has the hash it had (that hash covers every event before it) and it
    starts right after the block before it (none went missing in between)."""
    out, last = [], 0
    for eerste, laatste, vorige, kop in store.fact_blocks(formaat()):
        if vorige != last or store.event_hash(laatste) != kop:
            store.drop_fact_blocks(last)
            break
        out.append((eerste, laatste))
        last = laatste
    return out


def read_block(store, eerste: int, paths: tuple[set[str], set[str]] | None) -> FactRows | None:
    """The stored block that starts at seq `eerste` (only the columns of paths), None when
    a part of it is missing."""
    wanted = layout.names(paths, (VPATHS, ZPATHS))
    parts = store.fact_parts(eerste, wanted)
    if len(parts) != len(wanted):
        return None
    return decode(parts, functools.partial(_compared, store, eerste), paths)


def _compared(store, eerste: int) -> bytes:
    return store.fact_parts(eerste, ["vergelijk"])["vergelijk"]


def rest(store, after: int, paths) -> Iterator[FactRows]:
    """The besluiten after seq `after` in blocks derived from their payloads (and stored)."""
    return _derived(store, after, paths, keep=True)


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
            parts = encode(rows)
            keep = parts is not None and store.put_fact_block(
                chain[0][0], chain[-1][0], after, len(chain), formaat(), chain[-1][1], parts)
            after = chain[-1][0]
            yield rows if paths is None else prune(rows, paths)
            continue
        yield rows
