"""Export: the log as JSON lines for archiving, with chosen fields masked (AVG).

Masks are dotted paths into the voorstel of each besluit (`client.geboortedatum`,
`onderzoek.*`, `voorzieningen.*.aanbieder.naam`) or the envelope field `door`. A
masked value becomes "***"; every line lists what was masked. Masking changes the
payload, so a masked export no longer verifies against the hashes: archive the
unmasked log for that and hand out the masked one.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Iterable

MASK = "***"
ENVELOPE = {"door"}
_PATH = re.compile(r"^[a-z_]+(\.([a-z_]+|\*|[0-9]+))*$")


def check_masks(masks: Iterable[str]) -> list[str]:
    """The masks, or a ValueError naming the first that is not a field path."""
    out = []
    for m in masks:
        if m not in ENVELOPE and not _PATH.match(m):
            raise ValueError(m)
        out.append(m)
    return out


def _mask(node: Any, parts: list[str], done: list[str], trail: str) -> None:
    head, rest = parts[0], parts[1:]
    if isinstance(node, list):
        items = range(len(node)) if head == "*" else [int(head) - 1] if head.isdigit() else []
        for i in items:
            if 0 <= i < len(node):
                _step(node, i, rest, done, f"{trail}.{i + 1}")
    elif isinstance(node, dict):
        keys = list(node) if head == "*" else [head] if head in node else []
        for k in keys:
            _step(node, k, rest, done, f"{trail}.{k}" if trail else k)


def _step(container: Any, k: Any, rest: list[str], done: list[str], trail: str) -> None:
    if rest:
        _mask(container[k], rest, done, trail)
    elif container[k] is not None:
        container[k] = MASK
        done.append(trail)


def masked(row: dict, masks: list[str]) -> dict:
    """One stored event as an export line, masked."""
    out = copy.deepcopy(row)
    done: list[str] = []
    for m in masks:
        if m in ENVELOPE:
            out[m] = MASK
            done.append(m)
        elif out.get("soort") == "besluit vastgelegd":
            _mask(out["payload"].get("voorstel", {}), m.split("."), done, "")
    out["gemaskeerd"] = sorted(set(done))
    return out
