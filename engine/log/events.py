"""The events of the decision log and the hash chain that links them. Pure: no database.

Kinds of event, only ever appended: about a besluit ``besluit vastgelegd``,
``motivering toegevoegd``, ``akkoord gegeven``, ``teruggestuurd`` (a motivering
returned with a reason), ``meelezen gevraagd`` and ``opmerking`` (collegial review);
about people (``besluit`` is empty) ``gebruiker toegevoegd``, ``rol toegekend`` and
``rol ingetrokken`` (see `identity`). One global chain: event ``seq`` n carries
the hash of event n-1 in ``prev`` (the first carries 64 zeros), and its own
``hash`` is the sha256 of its canonical JSON body (every field but ``hash``).
Changing, removing or reordering any stored event breaks the chain at that event.

``tijdstip`` is the registration time, set by the store (never by the caller).
The optional fields ``dienst`` (a service account acting for ``door``), ``datum``
(a domain date the user gave, JJJJ-MM-DD) and ``herkomst`` (``import`` for
imported history) are part of the hashed body only when set, so events written
before they existed keep their hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from json.encoder import encode_basestring as _quote  # json's own C string encoder
from typing import Any, Callable, Iterable, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..model import canonical
from . import identity
from .identity import AUTEUR, GebruikerToegevoegd, RolWijziging

GENESIS = "0" * 64
VASTGELEGD = "besluit vastgelegd"
MOTIVERING = "motivering toegevoegd"
AKKOORD = "akkoord gegeven"
TERUG = "teruggestuurd"
MEELEZEN = "meelezen gevraagd"
OPMERKING = "opmerking"
Soort = Literal["besluit vastgelegd", "motivering toegevoegd", "akkoord gegeven", "teruggestuurd",
                "meelezen gevraagd", "opmerking", "gebruiker toegevoegd", "rol toegekend",
                "rol ingetrokken"]
Rol = Literal["consulent", "teamleider", "gemandateerde", "jurist", "beheerder",
              "beleidsmedewerker", "auditor"]
Sha = str
BESLUIT_ID = r"^B-[0-9a-f]{12}$"
TIJDSTIP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"
DATUM = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
OPTIONEEL = ("dienst", "datum", "herkomst")   # in the hashed body only when set
COLUMNS = ("seq", "besluit", "soort", "tijdstip", "door", "rol", "payload", "prev", "hash") + OPTIONEEL


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
    vervangt: str | None = Field(None, pattern=BESLUIT_ID,
                                 description="Het besluit dat deze herziening vervangt")


class MotiveringToegevoegd(Strict):
    """Payload of ``motivering toegevoegd``: the reason for one afwijking."""

    kader: str
    voorziening: int | None = None
    tekst: str = Field(min_length=1, max_length=4000)
    grond: str | None = None
    bron: Literal["cli", "voorstel", "api"] = "cli"


class AkkoordGegeven(Strict):
    """Payload of ``akkoord gegeven``: sign-off of one motivering (by its event hash)."""

    kader: str
    voorziening: int | None = None
    motivering: Sha = Field(pattern=r"^[0-9a-f]{64}$", description="Hash van de motivering")


class Teruggestuurd(Strict):
    """Payload of ``teruggestuurd``: the akkoord-giver returns a motivering, with a reason."""

    kader: str
    voorziening: int | None = None
    motivering: Sha = Field(pattern=r"^[0-9a-f]{64}$")
    reden: str = Field(min_length=1, max_length=4000)


class MeelezenGevraagd(Strict):
    """Payload of ``meelezen gevraagd``: a named colleague is asked to read a motivering."""

    kader: str
    voorziening: int | None = None
    motivering: Sha = Field(pattern=r"^[0-9a-f]{64}$")
    collega: str = Field(pattern=AUTEUR)


class Opmerking(Strict):
    """Payload of ``opmerking``: a colleague's remark on a motivering (never an akkoord)."""

    kader: str
    voorziening: int | None = None
    motivering: Sha = Field(pattern=r"^[0-9a-f]{64}$")
    tekst: str = Field(min_length=1, max_length=4000)


PAYLOADS: dict[str, type[BaseModel]] = {
    VASTGELEGD: BesluitVastgelegd, MOTIVERING: MotiveringToegevoegd, AKKOORD: AkkoordGegeven,
    TERUG: Teruggestuurd, MEELEZEN: MeelezenGevraagd, OPMERKING: Opmerking,
    identity.GEBRUIKER: GebruikerToegevoegd, identity.TOEGEKEND: RolWijziging,
    identity.INGETROKKEN: RolWijziging}


class NewEvent(Strict):
    """An event before it is placed in the chain (``tijdstip`` is filled in by the store)."""

    soort: Soort
    besluit: str = Field(pattern=r"^(B-[0-9a-f]{12})?$", description="leeg bij gebruikers")
    tijdstip: str = Field(pattern=TIJDSTIP, description="registratietijd, UTC, hele seconden")
    door: str = Field(pattern=AUTEUR)
    rol: Rol
    payload: dict[str, Any]
    dienst: str | None = Field(None, pattern=AUTEUR, description="dienstaccount dat handelt "
                               "namens door")
    datum: str | None = Field(None, pattern=DATUM, description="domeindatum van de gebruiker")
    herkomst: Literal["import"] | None = None

    @model_validator(mode="after")
    def _besluit_fits_kind(self):
        if (self.soort in identity.SOORTEN) != (self.besluit == ""):
            raise ValueError("besluit is leeg precies bij gebeurtenissen over gebruikers")
        return self

    def typed(self) -> BaseModel:
        return PAYLOADS[self.soort].model_validate(self.payload)


class Event(NewEvent):
    """An event as stored: with its place in the chain and its hash."""

    seq: int = Field(ge=1)
    prev: Sha
    hash: Sha

    def body(self) -> dict:
        return hashed(self.model_dump(mode="json", exclude={"hash"}))


def hashed(fields: dict) -> dict:
    """The body the hash covers: every field but ``hash``; optional fields only when set."""
    return {k: v for k, v in fields.items()
            if k != "hash" and not (k in OPTIONEEL and v is None)}


def new_event(soort: str, besluit: str, tijdstip: str, door: str, rol: str,
              payload: BaseModel, **extra) -> NewEvent:
    return NewEvent(soort=soort, besluit=besluit, tijdstip=tijdstip, door=door, rol=rol,
                    payload=payload.model_dump(mode="json"), **extra)


def body_hash(body: dict) -> Sha:
    return canonical.sha256(body)


def chain(event: NewEvent, seq: int, prev: Sha) -> Event:
    """Place an event after the one with hash ``prev``."""
    body = hashed({**event.model_dump(mode="json"), "seq": seq, "prev": prev})
    return Event(**body, hash=body_hash(body))


def besluit_id(prev: Sha, event: NewEvent, attempt: int = 0, payload_text: str | None = None) -> str:
    """A short id derived from the chain position: unique while the chain is linear.

    `payload_text` is the event's canonical payload when the caller has it already.
    """
    text = payload_text if payload_text is not None else canonical.dumps(event.payload)
    return seeded_id(prev, attempt, event.soort, event.tijdstip, event.door, event.rol,
                     hashlib.sha256(text.encode("utf-8")).hexdigest())


def seeded_id(prev: Sha, attempt: int, soort: str, tijdstip: str, door: str, rol: str,
              payload_sha: Sha) -> str:
    """`besluit_id` from the sha256 of the canonical payload (bulk recording has it)."""
    seed = "\x1f".join((prev, str(attempt), soort, tijdstip, door, rol, payload_sha))
    return "B-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Breuk:
    """The first event where the chain is broken, and why."""

    seq: int
    besluit: str | None
    reden: str

    def public(self) -> dict:
        return {"seq": self.seq, "besluit": self.besluit, "reden": self.reden}


def validated(row: dict) -> tuple[Event, Strict] | str:
    """The stored event and its typed payload, or what it breaks of the format: every
    column of the envelope and the payload's schema for its kind. ``row["payload"]`` is
    the stored text (or bytes). Both verifiers end with this check and the store reads
    events through it, so no event is accepted by one and refused by another."""
    try:
        payload = json.loads(row["payload"])
    except (TypeError, ValueError):
        return f"{FORMAT_BREAK}: de payload is geen JSON"
    try:
        event = Event.model_validate({**row, "payload": payload})
    except ValidationError as exc:
        return f"{FORMAT_BREAK}: {_first_error(exc, '')}"
    try:
        return event, event.typed()
    except ValidationError as exc:
        return f"{FORMAT_BREAK}: {_first_error(exc, 'payload.')}"


FORMAT_BREAK = "gebeurtenis voldoet niet aan het formaat"


def _first_error(exc: ValidationError, prefix: str) -> str:
    error = exc.errors(include_url=False)[0]
    where = prefix + ".".join(str(p) for p in error["loc"])
    if error["type"] == "missing":
        return f"veld {where} ontbreekt"
    if error["type"] == "extra_forbidden":
        return f"veld {where} hoort er niet in"
    return f"veld {where} heeft een ongeldige waarde"


def verify(rows: Iterable[dict],
           ruleset_hash: Callable[[str], str | None] | None = None) -> Breuk | None:
    """The reference verifier: walk the chain from the start; the first broken event, or None.

    ``rows`` are the stored events in seq order as plain dicts of their columns, the
    payload as its stored text (a parsed payload is taken as its canonical JSON).
    ``ruleset_hash(sha)`` returns the recomputed hash of the stored ruleset content
    with key ``sha`` (None when absent); when given, every pinned ruleset must be
    stored with matching content. Mandaat: once the log has users, every event must
    be by a registered user holding the role it names at that moment, and only a
    beheerder manages users (see `identity`). `verify_raw` must give the same verdict
    on every input (tests/log/test_verifiers.py holds them to it).
    """
    expected_seq, prev, people = 1, GENESIS, identity.Gebruikers()
    for row in rows:
        seq = row.get("seq")
        broken = _check_row(row, expected_seq, prev, ruleset_hash, people)
        if broken:
            return Breuk(seq if type(seq) is int else expected_seq, besluit_text(row.get("besluit")),
                         broken)
        expected_seq, prev = expected_seq + 1, row["hash"]
    return None


def besluit_text(value: Any) -> str | None:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else \
        value if isinstance(value, str) else None


_ENVELOPE = ("besluit", "door", "prev", "rol", "soort", "tijdstip")


def _stored_digest(row: dict, text: str) -> str | None:
    """sha256 over the canonical body with the payload exactly as stored; None if unusable."""
    envelope = {k: row[k] for k in _ENVELOPE} | {"seq": row["seq"], "payload": None}
    envelope |= {k: row[k] for k in OPTIONEEL if row.get(k) is not None}
    head, tail = canonical.dumps(envelope).split('"payload":null', 1)
    try:
        return hashlib.sha256(f'{head}"payload":{text}{tail}'.encode("utf-8")).hexdigest()
    except UnicodeError:
        return None


def _check_row(row: dict, expected_seq: int, prev: Sha,
               ruleset_hash: Callable[[str], str | None] | None,
               people: identity.Gebruikers) -> str | None:
    if type(row.get("seq")) is not int or row["seq"] != expected_seq:
        return f"volgnummer {row.get('seq')} waar {expected_seq} verwacht werd (gat of dubbel)"
    if row.get("prev") != prev:
        return "prev wijst niet naar de hash van de vorige gebeurtenis"
    text = row.get("payload")
    if not isinstance(text, str):
        text = canonical.dumps(text) if isinstance(text, (dict, list)) else text
    if not all(isinstance(row.get(k), str) for k in _ENVELOPE) or not isinstance(text, str):
        return f"{FORMAT_BREAK}: een veld ontbreekt of is geen tekst"
    digest = _stored_digest(row, text)
    if digest is None:
        return f"{FORMAT_BREAK}: een veld ontbreekt of is geen tekst"
    if digest != row.get("hash"):
        return "herberekende hash wijkt af van de opgeslagen hash (inhoud gewijzigd)"
    return _after_hash(validated({**row, "payload": text}), people,
                       lambda sha: ruleset_hash is None or ruleset_hash(sha) == sha)


def _after_hash(checked: tuple | str, people: identity.Gebruikers,
                ruleset_ok: Callable[[str], bool]) -> str | None:
    """What both verifiers check once the hash holds: format, pinned ruleset, mandaat."""
    problem = format_problem(checked, ruleset_ok)
    if problem is not None:
        return problem
    event = checked[0]
    return mandaat(people, event.soort, event.door, event.rol, event.payload)


def format_problem(checked: tuple | str, ruleset_ok: Callable[[str], bool]) -> str | None:
    """The format and pinned-ruleset part of the check after the hash (no mandaat)."""
    if isinstance(checked, str):
        return checked
    payload = checked[1]
    if isinstance(payload, BesluitVastgelegd) and not ruleset_ok(payload.ruleset.sha256):
        return f"ruleset-inhoud {payload.ruleset.sha256[:12]} ontbreekt of wijkt af van haar hash"
    return None


def mandaat(people: identity.Gebruikers, soort: str, door: str, rol: str, payload) -> str | None:
    """Fold one event into ``people``; why its author could not do it then, or None.

    ``payload`` is the parsed payload, or a callable that parses it (identity
    events only need it). Imported history is checked like any other event: its
    author is whoever imported it (so ``herkomst`` is no way around the mandaat).
    """
    if soort in identity.SOORTEN:
        problem = people.apply(soort, door, payload() if callable(payload) else payload)
        return f"gebruikersbeheer: {problem}" if problem else None
    problem = identity.mandaat_probleem(people, door, rol)
    return f"mandaat: {problem}" if problem else None


# --- the fast path over stored rows -------------------------------------------------------
# The payload column holds the canonical JSON of the payload, so the canonical body
# of an event (keys sorted: besluit, [datum, dienst,] door, [herkomst,] payload, prev,
# rol, seq, soort, tijdstip) can be assembled from the stored bytes without decoding
# them; the hash is taken over exactly those bytes. After the hash, the format, the
# pinned ruleset and the mandaat are checked as `verify` checks them (`_after_hash`).
RawRow = tuple  # (seq, besluit, soort, tijdstip, door, rol, payload, prev, hash[, dienst, datum, herkomst])
_PLAIN = bytes(range(0x20, 0x7F)).replace(b'"', b"").replace(b"\\", b"")  # need no escape


def _json_string(value: str | bytes) -> bytes:
    """A JSON string literal, as canonical JSON writes it (bytes in, bytes out)."""
    if isinstance(value, bytes):
        if not value.translate(None, _PLAIN):
            return b'"' + value + b'"'
        value = value.decode("utf-8")
    return _quote(value).encode("utf-8")


def _optional(name: bytes, value) -> bytes:
    return b"" if value is None else b',"' + name + b'":' + _json_string(value)


def raw_body(row: RawRow) -> bytes:
    seq, besluit, soort, tijdstip, door, rol, payload, prev = row[:8]
    dienst, datum, herkomst = (tuple(row[9:12]) + (None, None, None))[:3]
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return b"".join((b'{"besluit":', _json_string(besluit), _optional(b"datum", datum),
                     _optional(b"dienst", dienst), b',"door":', _json_string(door),
                     _optional(b"herkomst", herkomst), b',"payload":', payload,
                     b',"prev":', _json_string(prev), b',"rol":', _json_string(rol), b',"seq":', str(seq).encode(),
                     b',"soort":', _json_string(soort), b',"tijdstip":', _json_string(tijdstip), b"}"))
