"""Export: the log as JSON lines for archiving, with chosen content masked (AVG).

Without masks every line is the event as stored (it verifies against the chain).
With masks (see `masks.py` for what they name and reach) a masked value becomes
"***", and so does everything derived from it: the values and messages of the
afwijkingen whose kader reads it, the peildatum when it comes from masked dates, a
motivering text also where the voorstel holds it. Every line lists what was masked.

A masked line keeps nothing computed over the original content: the event's `hash`
and `prev`, the besluit id (derived from the chain and the payload) and an akkoord's
reference to its motivering are replaced by an HMAC-SHA256 under a key. With the
gemeente's own key (`--sleutel-bestand`) the gemeente can link a masked line to its
original event; without one the key is random and forgotten after the export. Either
way, trying candidate values against the line proves nothing without the key.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
from typing import Any, Callable

from ..log.events import AKKOORD, MEELEZEN, MOTIVERING, OPMERKING, TERUG, VASTGELEGD
from ..log.identity import GEBRUIKER, INGETROKKEN, TOEGEKEND
from .masks import Masks, kader_sources, reaches

MASK = "***"
DERIVED = ("waargenomen", "grens", "melding", "uitleg")
REVIEW = (MOTIVERING, AKKOORD, TERUG, MEELEZEN, OPMERKING)
TEXTS = {MOTIVERING: "tekst", TERUG: "reden", OPMERKING: "tekst"}
PEOPLE = {GEBRUIKER: ("gebruiker", "naam"), TOEGEKEND: ("gebruiker",), INGETROKKEN: ("gebruiker",),
          MEELEZEN: ("collega",)}


class Exporter:
    """Turns stored events (rows with the payload parsed) into export lines."""

    def __init__(self, masks: Masks, key: bytes, ruleset: Callable[[str], list | None]):
        self.masks, self.key, self.ruleset = masks, key, ruleset
        self._sources: dict[str, Any] = {}

    def mac(self, value: str, kind: str = "hash") -> str:
        return hmac.new(self.key, f"{kind}:{value}".encode("utf-8"), hashlib.sha256).hexdigest()

    def line(self, row: dict) -> dict:
        out = copy.deepcopy(row)
        if not self.masks:
            return {**out, "gemaskeerd": []}
        done = ["besluit", "hash", "prev"]
        out["hash"], out["prev"] = self.mac(row["hash"]), self.mac(row["prev"])
        out["besluit"] = self._besluit_id(row["besluit"])
        if self.masks.door:
            self._people(out, done)
        payload = out.get("payload")
        if isinstance(payload, dict):
            if row.get("soort") == VASTGELEGD:
                self._besluit(payload, done)
            elif row.get("soort") in REVIEW:
                self._review(row["soort"], payload, done)
        out["gemaskeerd"] = sorted(set(done))
        return out

    def _besluit_id(self, besluit: Any) -> Any:
        return "B-" + self.mac(besluit, "besluit")[:12] if isinstance(besluit, str) and besluit else besluit

    def _people(self, out: dict, done: list[str]) -> None:
        """`door` masks every user name: the author, the service acting for them, and the
        people named inside events (a new user and their display name, a role's holder, the
        colleague asked to read along)."""
        for key in ("door", "dienst"):
            if out.get(key):
                out[key] = MASK
                done.append(key)
        payload = out.get("payload")
        for key in PEOPLE.get(out.get("soort"), ()):
            if isinstance(payload, dict) and payload.get(key):
                payload[key] = MASK
                done.append(key)

    def _review(self, soort: str, payload: dict, done: list[str]) -> None:
        """A motivering, an akkoord, a return, a read-along request or a remark: texts about the
        afwijking are masked with `motivering.tekst`, a reference to a motivering is keyed."""
        text = TEXTS.get(soort)
        if text and payload.get(text) is not None and self.masks.tekst(payload.get("kader")):
            payload[text] = MASK
            done.append(f"{'motivering' if soort == MOTIVERING else soort}.{text}")
        if isinstance(payload.get("motivering"), str):
            payload["motivering"] = self.mac(payload["motivering"])
            done.append("motivering")

    def _besluit(self, payload: dict, done: list[str]) -> None:
        voorstel = payload.get("voorstel")
        if not isinstance(voorstel, dict):
            return
        for path in self.masks.voorstel:
            _mask(voorstel, list(path), done, "voorstel")
        for i, m in enumerate(voorstel.get("motiveringen") or [], 1):
            if isinstance(m, dict) and self.masks.tekst(m.get("kader")) and "tekst" in m:
                m["tekst"] = MASK
                done.append(f"voorstel.motiveringen.{i}.tekst")
        if payload.get("vervangt"):
            payload["vervangt"] = self._besluit_id(payload["vervangt"])
            done.append("vervangt")
        if self.masks.touches("peildatum", "procedure") and "peildatum" in payload:
            payload["peildatum"] = MASK
            done.append("peildatum")
        sources = self._sources_of(payload)
        for i, afwijking in enumerate(payload.get("afwijkingen") or [], 1):
            if isinstance(afwijking, dict) and reaches(self.masks, afwijking, sources):
                for name in DERIVED:
                    if afwijking.get(name) is not None:
                        afwijking[name] = MASK
                done.append(f"afwijkingen.{i}")

    def _sources_of(self, payload: dict):
        sha = (payload.get("ruleset") or {}).get("sha256")
        if sha not in self._sources:
            self._sources[sha] = kader_sources(self.ruleset(sha) if isinstance(sha, str) else None)
        return self._sources[sha]


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
            _step(node, k, rest, done, f"{trail}.{k}")


def _step(container: Any, k: Any, rest: list[str], done: list[str], trail: str) -> None:
    if rest:
        _mask(container[k], rest, done, trail)
    elif container[k] is not None:
        container[k] = MASK
        done.append(trail)
