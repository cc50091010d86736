"""The layout of a stored fact block: named parts, each its own row in ``feitkolommen``.

A bulk run reads only the parts it needs: the columns of the fields its ruleset reads
(about 25 of the 89 in the catalogue), the rows' selection keys and the recorded
afwijkingen as integer arrays. Parts (`LAYOUT` 3):

* ``rijen`` (JSON): the besluit ids, the distinct selection keys (peildatum, ruleset
  sha, wet, gemeente, engine) and the kader ids the afwijkingen name;
* ``woorden`` (JSON): the text values of the columns (their shared `Vocab`);
* ``index`` (arrays): per besluit its selection key; per voorziening its owner and idx;
  per besluit whether it falls back to the Python backend;
* ``af`` (arrays): per recorded afwijking its row, kader (index into the kader ids) and
  voorziening (`NO_VZ` for none); ``af.waarden`` (JSON): its waargenomen and grens;
* ``vergelijk`` (zlib text, a line per besluit): the canonical JSON of the fields replay
  compares of its recorded afwijkingen (`replay.compared_text`; replay only);
* ``v|PATH`` and ``z|PATH`` (arrays): one fact column each (`evaluate.columns.Column`).

Arrays are packed (`pack`): a JSON line naming each array's stored and own dtype and
length, then their bytes, each aligned to 8. A ja/nee array is stored as bits, whole
numbers in the smallest integer type that holds them (a text code, a date, a 0.0/1.0):
the block's columns take a fifth of the bytes of float64 and int64.
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
    """Arrays as one byte string: a header line, then each array's bytes padded to 8, each
    in its smallest exact form (`_compact`)."""
    head, body = {}, []
    for name, a in arrays.items():
        stored, how = _compact(np.ascontiguousarray(a))
        head[name] = [stored.dtype.str, int(stored.size), a.dtype.str, int(a.size), how]
        raw = stored.tobytes()
        body += [raw, b"\0" * (-len(raw) % 8)]
    line = json.dumps(head, separators=(",", ":")).encode()
    return b"".join([line + b" " * (-(len(line) + 1) % 8) + b"\n", *body])


def unpack(data: bytes) -> dict[str, np.ndarray]:
    """The arrays of `pack`, each in its own dtype again."""
    end = data.index(b"\n") + 1
    out, at = {}, end
    for name, (dtype, size, target, n, how) in json.loads(data[:end]).items():
        kind = np.dtype(dtype)
        stored = np.frombuffer(data, kind, size, at)
        at += -(-size * kind.itemsize // 8) * 8
        if how == "bits":
            out[name] = np.unpackbits(stored, count=n).view(bool)
        else:
            out[name] = stored.astype(target) if dtype != target else stored
    return out


_INTS = (np.int8, np.int16, np.int32)


def _compact(a: np.ndarray) -> tuple[np.ndarray, str]:
    """ja/nee as bits; whole numbers (also in a float array: a bool column's 0.0/1.0, a
    count) in the smallest integer type that holds them exactly; anything else as it is."""
    if a.dtype == bool:
        return np.packbits(a), "bits"
    if not len(a) or a.dtype.kind not in "if":
        return a, "raw"
    if a.dtype.kind == "f":
        with np.errstate(invalid="ignore"):
            whole = bool(np.all(np.abs(a) < 2**31)) and bool(np.all(a == np.trunc(a))) \
                and not bool(np.any(np.signbit(a) & (a == 0)))     # -0.0 keeps its sign
        if not whole:
            return a, "raw"
    low, high = a.min(), a.max()
    for kind in _INTS:
        info = np.iinfo(kind)
        if info.min <= low and high <= info.max:
            return a.astype(kind), "int"
    return a, "raw"


def values_part(columns: dict[str, list]) -> bytes:
    """Lists of JSON values (an afwijking's waargenomen, grens) as arrays: per value its
    kind (`_kind`) and, for a number, the number; any other value as JSON beside them."""
    arrays, other = {}, {}
    for name, values in columns.items():
        kinds = [_kind(v) for v in values]
        arrays[f"{name}.kind"] = np.array(kinds, np.int8)
        arrays[f"{name}.val"] = np.array([float(v) if k in (1, 2) else 0.0
                                          for v, k in zip(values, kinds)], float)
        other[name] = [v for v, k in zip(values, kinds) if k == 3]
    text = dumps(other)
    return len(text).to_bytes(8, "little") + text + pack(arrays)


def values_of(data: bytes) -> dict[str, np.ndarray]:
    """The lists of `values_part`, each as an array of the same Python objects."""
    size = int.from_bytes(data[:8], "little")
    other, arrays = json.loads(data[8:8 + size]), unpack(data[8 + size:])
    out = {}
    for name, rest in other.items():
        kind, val = arrays[f"{name}.kind"], arrays[f"{name}.val"]
        got = np.full(len(kind), None, object)
        ints, floats, others = kind == 1, kind == 2, kind == 3
        got[floats] = val[floats].astype(object)
        got[ints] = val[ints].astype(np.int64).astype(object)
        got[others] = np.fromiter(rest, object, len(rest))
        out[name] = got
    return out


def _kind(v: Any) -> int:
    """0: none; 1: a whole number a float holds exactly; 2: a float; 3: anything else."""
    if v is None:
        return 0
    if type(v) is int and -2**53 < v < 2**53:
        return 1
    return 2 if type(v) is float else 3


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def column_part(col: Column) -> bytes:
    return pack({p: getattr(col, p) for p in COLUMN_PARTS if getattr(col, p) is not None})


def column_of(path: str, data: bytes) -> Column:
    got = unpack(data)
    return Column(CATALOGUE[path].type, got["val"], got["ok"], got.get("isint"), got.get("rows"))


def names(paths: tuple[set[str], set[str]] | None, all_paths: tuple[list[str], list[str]]) -> list[str]:
    """The parts a run reads: the fixed ones and the columns of these fields (None: all);
    ``vergelijk`` is read only when replay asks for it."""
    vpaths, zpaths = all_paths if paths is None else ({"peildatum", *paths[0]}, paths[1])
    return [*FIXED, *(f"v|{p}" for p in sorted(vpaths)), *(f"z|{p}" for p in sorted(zpaths))]
