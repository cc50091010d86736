"""The layout of a stored fact block: named parts, each its own row in ``feitkolommen``.

A bulk run reads only the parts it needs: the columns of the fields its ruleset reads
(about 25 of the 89 in the catalogue), the rows' selection keys and the recorded
afwijkingen as integer arrays. Parts (`LAYOUT` 2):

* ``rijen`` (JSON): the besluit ids, the distinct selection keys (peildatum, ruleset
  sha, wet, gemeente, engine) and the kader ids the afwijkingen name;
* ``woorden`` (JSON): the text values of the columns (their shared `Vocab`);
* ``index`` (arrays): per besluit its selection key; per voorziening its owner and idx;
  per besluit whether it falls back to the Python backend;
* ``af`` (arrays): per recorded afwijking its row, kader (index into the kader ids) and
  voorziening (`NO_VZ` for none); ``af.waarden`` (JSON): its waargenomen and grens;
* ``afwijkingen`` (zlib JSON): the recorded afwijkingen whole (replay only);
* ``v|PATH`` and ``z|PATH`` (arrays): one fact column each (`evaluate.columns.Column`).

Arrays are packed raw (`pack`): a JSON line naming each array's dtype and length, then
their bytes, each aligned to 8, so reading one is `np.frombuffer` without a copy.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from ..evaluate.columns import Column
from ..model.fields import CATALOGUE

NO_VZ = np.iinfo(np.int64).min       # the voorziening of an afwijking of the voorstel
COLUMN_PARTS = ("val", "ok", "isint", "rows")
FIXED = ("rijen", "woorden", "index", "af", "af.waarden")


def pack(arrays: dict[str, np.ndarray]) -> bytes:
    """Arrays as one byte string: a header line, then each array's bytes padded to 8."""
    head = {name: [a.dtype.str, int(a.size)] for name, a in arrays.items()}
    line = json.dumps(head, separators=(",", ":")).encode()
    line += b" " * (-(len(line) + 1) % 8) + b"\n"
    body = [line]
    for a in arrays.values():
        raw = np.ascontiguousarray(a).tobytes()
        body += [raw, b"\0" * (-len(raw) % 8)]
    return b"".join(body)


def unpack(data: bytes) -> dict[str, np.ndarray]:
    """The arrays of `pack`, as read-only views of data."""
    end = data.index(b"\n") + 1
    out, at = {}, end
    for name, (dtype, size) in json.loads(data[:end]).items():
        kind = np.dtype(dtype)
        out[name] = np.frombuffer(data, kind, size, at)
        at += -(-size * kind.itemsize // 8) * 8
    return out


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def column_part(col: Column) -> bytes:
    return pack({p: getattr(col, p) for p in COLUMN_PARTS if getattr(col, p) is not None})


def column_of(path: str, data: bytes) -> Column:
    got = unpack(data)
    return Column(CATALOGUE[path].type, got["val"], got["ok"], got.get("isint"), got.get("rows"))


def names(paths: tuple[set[str], set[str]] | None, all_paths: tuple[list[str], list[str]]) -> list[str]:
    """The parts a run reads: the fixed ones and the columns of these fields (None: all);
    ``afwijkingen`` is read only when replay asks for it."""
    vpaths, zpaths = all_paths if paths is None else ({"peildatum", *paths[0]}, paths[1])
    return [*FIXED, *(f"v|{p}" for p in sorted(vpaths)), *(f"z|{p}" for p in sorted(zpaths))]
