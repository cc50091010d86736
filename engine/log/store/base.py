"""The decision log behind one interface: SQLite (a file) or PostgreSQL (a server).

Every write runs in one transaction that first takes the store's global write lock
(SQLite ``BEGIN IMMEDIATE``; PostgreSQL a transaction-scoped advisory lock), then
reads the last event, checks the rules against the besluit as it stands, and appends
the new events with ``seq = last + 1`` and ``prev = last hash``. So concurrent
writers queue and the chain stays one line. The transaction commits before the
method returns: what a command reports as recorded is durable.

Who acts is an argument (`identity.Actor`, established by authentication: the CLI's
``--by`` on a personal SQLite file, the PostgreSQL login, the server's session or
API token); the store checks against the users and roles folded from the log that
the actor holds the role they act in, now. Registration times are the store's own:
the database clock, never earlier than the previous event's (`registration_time`).

The Python API (for the CLI and `maatwerk serve`):

- people (`people.PeopleMixin`): ``init_user``, ``add_user``, ``grant``, ``revoke``,
  ``users``, ``user``, ``gebruikers``;
- besluiten: ``record`` / ``record_many`` (idempotent per voorstel id and content; a
  changed voorstel with the same id records a revision that names the one it
  replaces), ``justify``, ``approve`` (the actor holds the required role now and did
  not write the motivering);
- review (`review.ReviewMixin`): ``terugsturen`` (return a motivering with a reason),
  ``meelezen`` (ask a named colleague to read it), ``opmerking`` (their remark),
  ``wachtrij`` (what waits for a user's akkoord, oldest first);
- reading: ``besluit``, ``besluiten``, ``events``, ``rows``, ``verify``, ``nu``.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Iterator, Sequence

from ...errors import EngineFault, InputError, NotFoundError, StorageError
from ...model import canonical
from .. import besluit as rules
from ..chain import verify_raw
from ..events import (
    AKKOORD,
    GENESIS,
    MOTIVERING,
    PAYLOADS,
    VASTGELEGD,
    Breuk,
    Event,
    NewEvent,
    new_event,
)
from ..identity import Actor, as_actor
from . import schema
from .append import Tail, place, template
from .credentials import Credentials
from .factblocks import FactBlocksMixin
from .index import IndexMixin
from .listing import ListingMixin
from .migration import MigrationMixin
from .tally import TallyMixin
from .lookup import Lookup
from .people import PeopleMixin
from .recording import RecordingMixin
from .review import ReviewMixin
from .rows import (
    BATCH,
    INSERT_EVENT,
    SELECT_EVENTS,
    check_besluit_id,
    row_dict,
    stored_event,
)


class Store(MigrationMixin, Credentials, FactBlocksMixin, RecordingMixin, ReviewMixin,
            PeopleMixin, Lookup, IndexMixin, ListingMixin, TallyMixin, ABC):
    """The append-only, hash-chained decision log."""

    dialect: str
    location: str
    sessie_gebruiker: str | None = None   # PostgreSQL: the login (session_user)
    klok = None   # tests only: a callable giving the time instead of the database clock

    # --- dialect hooks ---------------------------------------------------------------------
    @abstractmethod
    def _write(self):
        """Context manager: a cursor in a transaction holding the global write lock."""

    @abstractmethod
    def _read(self):
        """Context manager: a cursor in a read-only transaction (one snapshot)."""

    @abstractmethod
    def close(self) -> None: ...

    def sql(self, text: str) -> str:
        return text

    def is_dienst(self) -> bool:
        """Whether the connection is a service account that may act for named users."""
        return False

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- schema (see migration.MigrationMixin) ------------------------------------------
    @abstractmethod
    def _has_table(self, cur, name: str) -> bool: ...

    # --- writing (besluiten: see recording.RecordingMixin) -------------------------------
    def justify(self, besluit: str, kader: str, voorziening: int | None, tekst: str,
                grond: str | None, actor: Actor | str, rol: str,
                datum: str | None = None) -> rules.Besluit:
        """Add a motivering to one afwijking; the actor holds ``rol`` now."""
        def payload(current, people):
            return MOTIVERING, rules.motivering(
                current.inhoud.afwijkingen, kader, voorziening, tekst, grond, besluit=besluit,
                wet=current.inhoud.voorstel.get("wet"))
        return self.act(besluit, actor, rol, payload, datum)

    def approve(self, besluit: str, kader: str, voorziening: int | None, actor: Actor | str,
                rol: str, datum: str | None = None) -> rules.Besluit:
        """Give the akkoord an afwijking asks for.

        Refused unless the actor holds ``rol`` now (from the users folded from the
        log), ``rol`` is the role the kader names, and the actor did not write the
        motivering (four eyes); ``datum`` is not before the besluit's.
        """
        def payload(current, people):
            return AKKOORD, rules.akkoord(current, kader, voorziening, as_actor(actor).door, rol)
        return self.act(besluit, actor, rol, payload, datum)

    def act(self, besluit: str, actor: Actor | str, rol: str, make, datum: str | None = None):
        """One event on a besluit in one write transaction: authorize, fold, check, append.

        ``make(current, people)`` returns (soort, payload) or raises RefusedError.
        """
        actor = as_actor(actor)
        rules.check_meta(actor.door, rol)
        rules.check_datum(datum)
        with self._write() as cur:
            people = self.authorize(cur, actor, rol)
            current = self._fold(cur, besluit)
            soort, payload = make(current, people)
            seq, prev, last = self._last(cur)
            moment = self.registration_time(cur, last)
            self._check_datum(datum, moment, current)
            event = new_event(soort, besluit, moment, actor.door, rol, payload,
                              **self.envelope(actor, datum))
            result = rules.fold(current.events + self._append(cur, seq, prev, [event]))
            self._index_changed(cur, result)
            return result

    def _last(self, cur) -> tuple[int, str, str | None]:
        cur.execute("SELECT seq, hash, tijdstip FROM events ORDER BY seq DESC LIMIT 1")
        row = cur.fetchone()
        return (int(row[0]), row[1], row[2]) if row else (0, GENESIS, None)

    def _append(self, cur, seq: int, prev: str, events: Sequence[NewEvent]) -> list[Event]:
        """Place validated events after `prev` (`append.place`) and insert them."""
        tail = Tail(seq, prev)
        out = [place(tail, template(event), {}, canonical.dumps(event.payload)) for event in events]
        cur.executemany(self.sql(INSERT_EVENT), tail.rows)
        return out

    # --- reading ---------------------------------------------------------------------------
    def _fold(self, cur, besluit: str) -> rules.Besluit:
        check_besluit_id(besluit, self.location)
        cur.execute(self.sql(f"{SELECT_EVENTS} WHERE besluit = ? ORDER BY seq"), (besluit,))
        events = [stored_event(r, self.location) for r in cur.fetchall()]
        if not events or events[0].soort != VASTGELEGD:
            raise NotFoundError(f"onbekend besluit '{besluit}'", self.location, None,
                                "zie `maatwerk list` voor de vastgelegde besluiten, of kies de "
                                "juiste database met --db")
        return rules.fold(events)

    def besluit(self, besluit: str) -> rules.Besluit:
        with self._read() as cur:
            return self._fold(cur, besluit)

    def besluit_ids(self, since: str | None = None) -> list[str]:
        """Ids of all besluiten in order of recording, optionally from a time on."""
        query = "SELECT besluit FROM events WHERE soort = ?"
        params: tuple = (VASTGELEGD,)
        if since:
            query, params = query + " AND tijdstip >= ?", params + (since,)
        with self._read() as cur:
            cur.execute(self.sql(query + " ORDER BY seq"), params)
            return [r[0] for r in cur.fetchall()]

    def besluiten(self, since: str | None = None) -> Iterator[rules.Besluit]:
        """Every besluit (folded, with all its events) in order of recording."""
        return self.besluiten_by_id(self.besluit_ids(since))

    def besluiten_by_id(self, ids: list[str]) -> Iterator[rules.Besluit]:
        """These besluiten (folded), in the order given, read in batches."""
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            marks = ", ".join("?" * len(chunk))
            with self._read() as cur:
                cur.execute(self.sql(f"{SELECT_EVENTS} WHERE besluit IN ({marks}) ORDER BY seq"),
                            tuple(chunk))
                grouped: dict[str, list[Event]] = {i: [] for i in chunk}
                for row in cur.fetchall():
                    event = stored_event(row, self.location)
                    grouped[event.besluit].append(event)
            for ident in chunk:
                yield rules.fold(grouped[ident])

    def payloads(self, soort: str, ids: Sequence[str] | None = None) -> Iterator[tuple[str, dict]]:
        """(besluit, payload) of every event of one kind, in seq order; the payload parsed and
        checked against its kind's schema (one that fails: StorageError)."""
        if ids is not None:
            for start in range(0, len(ids), BATCH):
                chunk = list(ids[start:start + BATCH])
                marks = ", ".join("?" * len(chunk))
                with self._read() as cur:
                    cur.execute(self.sql(f"SELECT besluit, payload FROM events WHERE soort = ? AND "
                                         f"besluit IN ({marks}) ORDER BY seq"), (soort, *chunk))
                    page = cur.fetchall()
                yield from ((b, self._payload(soort, b, p)) for b, p in page)
            return
        after = 0
        while True:
            with self._read() as cur:
                cur.execute(self.sql(f"SELECT seq, besluit, payload FROM events WHERE soort = ? "
                                     f"AND seq > ? ORDER BY seq LIMIT {BATCH * 10}"), (soort, after))
                page = cur.fetchall()
            yield from ((b, self._payload(soort, b, p)) for _, b, p in page)
            if len(page) < BATCH * 10:
                return
            after = page[-1][0]

    def _payload(self, soort: str, besluit: str, text: str) -> dict:
        try:
            data = json.loads(text)
            PAYLOADS[soort].model_validate(data)
            return data
        except ValueError as exc:     # no JSON, or not the schema (pydantic's error is one)
            raise StorageError(f"opgeslagen {soort} van {besluit} is onleesbaar: "
                               f"{str(exc).splitlines()[0]}"[:400], self.location, None,
                               "draai `maatwerk audit verify` en herstel het log uit de "
                               "back-up") from exc

    def rows(self, after: int = 0) -> Iterator[dict]:
        """Every stored event as a plain dict, in seq order (keyset pages: append-only)."""
        while True:
            with self._read() as cur:
                cur.execute(self.sql(f"{SELECT_EVENTS} WHERE seq > ? ORDER BY seq LIMIT {BATCH}"),
                            (after,))
                page = [row_dict(r) for r in cur.fetchall()]
            yield from page
            if len(page) < BATCH:
                return
            after = page[-1]["seq"]

    def events(self, after: int = 0) -> Iterator[Event]:
        """Every event, validated, in seq order (a row that fails: StorageError)."""
        while True:
            with self._read() as cur:
                cur.execute(self.sql(f"{SELECT_EVENTS} WHERE seq > ? ORDER BY seq LIMIT {BATCH}"),
                            (after,))
                page = cur.fetchall()
            yield from (stored_event(r, self.location) for r in page)
            if len(page) < BATCH:
                return
            after = page[-1][0]

    def ruleset(self, sha256: str) -> list[dict] | None:
        """The stored content of a pinned ruleset (for `resolve.from_stored`)."""
        text = self._ruleset_text(sha256)
        try:
            return None if text is None else json.loads(text)
        except ValueError as exc:
            raise StorageError(f"opgeslagen ruleset {sha256[:12]} is geen JSON", self.location,
                               None, "draai `maatwerk audit verify`") from exc

    def ruleset_hash(self, sha256: str) -> str | None:
        """The hash of the stored content (None when absent or unreadable)."""
        text = self._ruleset_text(sha256)
        try:
            return None if text is None else canonical.sha256(json.loads(text))
        except ValueError:
            return None

    def _ruleset_text(self, sha256: str) -> str | None:
        with self._read() as cur:
            cur.execute(self.sql("SELECT inhoud FROM rulesets WHERE sha256 = ?"), (sha256,))
            row = cur.fetchone()
        return row[0] if row else None

    def ruleset_hashes(self) -> list[str]:
        """The content hash of every stored ruleset (a bulk replay derives their fields)."""
        with self._read() as cur:
            cur.execute("SELECT sha256 FROM rulesets ORDER BY sha256")
            return [r[0] for r in cur.fetchall()]

    def raw_rows(self, after: int = 0, batch: int = 5000, upto: int | None = None) -> Iterator[tuple]:
        """Every stored event as the raw row (payload as stored text), in seq order; with
        `upto`, only those up to that seq."""
        bound, extra = ("", ()) if upto is None else (" AND seq <= ?", (upto,))
        while True:
            with self._read() as cur:
                cur.execute(self.sql(f"{SELECT_EVENTS} WHERE seq > ?{bound} ORDER BY seq "
                                     f"LIMIT {batch}"), (after, *extra))
                page = cur.fetchall()
            yield from page
            if len(page) < batch:
                return
            after = page[-1][0]

    def verify(self) -> Breuk | None:
        """Walk the whole chain; the first broken event, or None when intact.

        Each pinned ruleset's stored content is re-hashed once, however many
        besluiten pin it.
        """
        checked: dict[str, bool] = {}

        def ruleset_ok(sha: str) -> bool:
            if sha not in checked:
                checked[sha] = self.ruleset_hash(sha) == sha
            return checked[sha]
        return verify_raw(self.raw_rows(), ruleset_ok)

    def counts(self) -> dict[str, int]:
        with self._read() as cur:
            out = {}
            for name, query in (("gebeurtenissen", "SELECT COUNT(*) FROM events"),
                                ("besluiten", "SELECT COUNT(*) FROM events WHERE soort = "
                                              "'besluit vastgelegd'"),
                                ("rulesets", "SELECT COUNT(*) FROM rulesets")):
                cur.execute(query)
                out[name] = int(cur.fetchone()[0])
            return out
