"""The events of the decision log and the hash chain that links them. Pure: no database.

Three kinds of event, only ever appended: ``besluit vastgelegd``, ``motivering
toegevoegd`` and ``akkoord gegeven``. One global chain: event ``seq`` n carries
the hash of event n-1 in ``prev`` (the first carries 64 zeros), and its own
``hash`` is the sha256 of its canonical JSON body (every field but ``hash``).
Changing, removing or reordering any stored event breaks the chain at that event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field

from . import canonical

GENESIS = "0" * 64
VASTGELEGD = "besluit vastgelegd"
MOTIVERING = "motivering toegevoegd"
AKKOORD = "akkoord gegeven"
Soort = Literal["besluit vastgelegd", "motivering toegevoegd", "akkoord gegeven"]
Rol = Literal["consulent", "teamleider", "gemandateerde", "jurist"]
Sha = str
BESLUIT_ID = r"^B-[0-9a-f]{12}$"
AUTEUR = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"
TIJDSTIP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RulesetPin(Strict):
    """The ruleset a besluit was checked against, pinned by content hash."""

    id: str
    versie: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class BesluitVastgelegd(Strict):
    """Payload of ``besluit vastgelegd``: everything needed to replay the check."""

    engine_versie: str
    backend: Literal["durable", "python"] = "durable"
    ruleset: RulesetPin
    peildatum: str
    voorstel: dict[str, Any] = Field(description="Het volledige voorstel (JSON)")
    afwijkingen: list[dict[str, Any]] = Field(description="Zoals Toets.public() ze geeft")
    team: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$",
                             description="Team van de consulent (voor audit report --by team)")


class MotiveringToegevoegd(Strict):
    """Payload of ``motivering toegevoegd``: the reason for one afwijking."""

    kader: str
    voorziening: int | None = None
    tekst: str = Field(min_length=1, max_length=4000)
    grond: str | None = None
    bron: Literal["cli", "voorstel"] = "cli"


class AkkoordGegeven(Strict):
    """Payload of ``akkoord gegeven``: sign-off of one motivering (by its event hash)."""

    kader: str
    voorziening: int | None = None
    motivering: Sha = Field(pattern=r"^[0-9a-f]{64}$", description="Hash van de motivering")


PAYLOADS: dict[str, type[Strict]] = {
    VASTGELEGD: BesluitVastgelegd, MOTIVERING: MotiveringToegevoegd, AKKOORD: AkkoordGegeven}


class NewEvent(Strict):
    """An event before it is placed in the chain."""

    soort: Soort
    besluit: str = Field(pattern=BESLUIT_ID)
    tijdstip: str = Field(pattern=TIJDSTIP, description="UTC, ISO 8601, hele seconden")
    door: str = Field(pattern=AUTEUR)
    rol: Rol
    payload: dict[str, Any]

    def typed(self) -> Strict:
        return PAYLOADS[self.soort].model_validate(self.payload)


class Event(NewEvent):
    """An event as stored: with its place in the chain and its hash."""

    seq: int = Field(ge=1)
    prev: Sha
    hash: Sha

    def body(self) -> dict:
        return self.model_dump(mode="json", exclude={"hash"})


def new_event(soort: str, besluit: str, tijdstip: str, door: str, rol: str,
              payload: Strict) -> NewEvent:
    return NewEvent(soort=soort, besluit=besluit, tijdstip=tijdstip, door=door, rol=rol,
                    payload=payload.model_dump(mode="json"))


def body_hash(body: dict) -> Sha:
    return canonical.sha256(body)


def chain(event: NewEvent, seq: int, prev: Sha) -> Event:
    """Place an event after the one with hash ``prev``."""
    body = {**event.model_dump(mode="json"), "seq": seq, "prev": prev}
    return Event(**body, hash=body_hash(body))


def besluit_id(prev: Sha, event: NewEvent, attempt: int = 0) -> str:
    """A short id derived from the chain position: unique while the chain is linear."""
    seed = {"prev": prev, "event": event.model_dump(mode="json"), "poging": attempt}
    return "B-" + canonical.sha256(seed)[:12]


@dataclass(frozen=True)
class Breuk:
    """The first event where the chain is broken, and why."""

    seq: int
    besluit: str | None
    reden: str

    def public(self) -> dict:
        return {"seq": self.seq, "besluit": self.besluit, "reden": self.reden}


def verify(rows: Iterable[dict],
           ruleset_hash: Callable[[str], str | None] | None = None) -> Breuk | None:
    """Walk the chain from the start; return the first broken event, or None.

    ``rows`` are the stored events in seq order as plain dicts (every column).
    ``ruleset_hash(sha)`` returns the recomputed hash of the stored ruleset
    content with key ``sha`` (None when absent); when given, every pinned
    ruleset must be stored with matching content.
    """
    expected_seq, prev = 1, GENESIS
    for row in rows:
        seq = row.get("seq")
        broken = _check_row(row, expected_seq, prev, ruleset_hash)
        if broken:
            return Breuk(seq if isinstance(seq, int) else expected_seq, row.get("besluit"), broken)
        expected_seq, prev = expected_seq + 1, row["hash"]
    return None


def _check_row(row: dict, expected_seq: int, prev: Sha,
               ruleset_hash: Callable[[str], str | None] | None) -> str | None:
    if row.get("seq") != expected_seq:
        return f"volgnummer {row.get('seq')} waar {expected_seq} verwacht werd (gat of dubbel)"
    if row.get("prev") != prev:
        return "prev wijst niet naar de hash van de vorige gebeurtenis"
    body = {k: v for k, v in row.items() if k != "hash"}
    if body_hash(body) != row.get("hash"):
        return "herberekende hash wijkt af van de opgeslagen hash (inhoud gewijzigd)"
    try:
        event = Event.model_validate(row)
        payload = event.typed()
    except ValueError as exc:
        return f"gebeurtenis voldoet niet aan het formaat: {str(exc).splitlines()[0]}"
    if ruleset_hash is not None and isinstance(payload, BesluitVastgelegd):
        sha = payload.ruleset.sha256
        if ruleset_hash(sha) != sha:
            return f"ruleset-inhoud {sha[:12]} ontbreekt of wijkt af van haar hash"
    return None
