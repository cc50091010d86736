"""Recording besluiten: one or many in one transaction, idempotent, with revisions.

Part of `Store` (a mixin). The same voorstel (same ``id`` and the same content)
recorded again returns the existing besluit and writes nothing; a changed voorstel
with the same id records a new besluit whose payload names the one it replaces
(``vervangt``). A voorstel without an id is recorded every time.
"""

from __future__ import annotations

import hashlib
from typing import Sequence

from ...errors import EngineFault
from ...model import canonical
from .. import besluit as rules
from .. import payload
from ..events import (
    MOTIVERING,
    VASTGELEGD,
    BesluitVastgelegd,
    Event,
    MotiveringToegevoegd,
    NewEvent,
    seeded_id,
)
from ..identity import Actor, as_actor
from . import schema
from .append import Tail, place, template
from .rows import INSERT_EVENT

INSERT_RULESET = ("INSERT INTO rulesets (sha256, ruleset, versie, inhoud) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (sha256) DO NOTHING")


class RecordingMixin:
    """``record`` and ``record_many``."""

    def record(self, vastgelegd: BesluitVastgelegd, inhoud: list[dict],
               motiveringen: Sequence[MotiveringToegevoegd], actor: Actor | str, rol: str,
               datum: str | None = None) -> rules.Besluit:
        """Store the ruleset content (if new), the besluit and its first motiveringen.

        ``actor`` must be a registered user holding ``rol`` now. ``datum`` is the
        besluit's own date (JJJJ-MM-DD, not in the future), separate from the
        registration time the store sets. The same voorstel (same id, same content)
        recorded again returns the existing besluit; a changed voorstel with the same
        id becomes a new besluit whose payload names the one it replaces (``vervangt``).
        """
        return self.record_many([(vastgelegd, inhoud, motiveringen, actor, rol, datum)])[0]

    def record_many(self, items: Sequence[tuple], herkomst: str | None = None) -> list[rules.Besluit]:
        """Record several besluiten in one transaction: all of them, or none.

        Each item is (vastgelegd, inhoud, motiveringen, actor, rol[, datum]), as for
        `record`. One commit for the lot makes a bulk import as fast as the disk
        allows; the chain is the same as with one `record` per besluit.
        ``herkomst="import"`` marks every event as imported history (`maatwerk import`):
        ``datum`` then holds the original date; the registration time is still now.
        """
        prepared = [self._prepare(*item) for item in items]
        with self._write() as cur:
            # the rows are made in memory, their besluit ids checked against the log in one
            # query and inserted at once; should an id be taken already (48 bits: with a
            # million besluiten in the log, one new besluit in 280 million), the lot is made
            # again, each id checked as it is made
            out = self._record_all(cur, prepared, herkomst, deferred=True)
            return out if out is not None else \
                self._record_all(cur, prepared, herkomst, deferred=False)

    def _record_all(self, cur, prepared: list[tuple], herkomst: str | None,
                    deferred: bool) -> list[rules.Besluit] | None:
        """The besluiten of a `record_many`; None when a deferred id was taken (nothing written)."""
        seq, prev, moment = self._last(cur)
        tail = Tail(seq, prev, deferred)
        moment = self.registration_time(cur, moment)
        allowed: set[tuple] = set()
        stored: set[str] = set()
        out, seen, fresh = [], {}, []
        known = self._known_voorstellen(cur, [p[0] for p in prepared])
        for vastgelegd, inhoud, actor, rol, datum, motiveringen in prepared:
            if (actor, rol) not in allowed:
                self.authorize(cur, actor, rol)
                allowed.add((actor, rol))
            self._check_datum(datum, moment)
            existing, vastgelegd = self._revision(cur, vastgelegd, seen, known)
            if existing is None:
                self._store_ruleset(cur, vastgelegd, inhoud, stored)
                envelope = self._envelope(tail, actor, rol, moment, datum, herkomst)
                written = self._new_besluit(cur, tail, envelope, vastgelegd, motiveringen)
                existing = rules.fold(written, vastgelegd)
                fresh.append(existing)
                if vastgelegd.voorstel.get("id"):
                    seen[vastgelegd.voorstel["id"]] = existing
            out.append(existing)
        if deferred and self._taken(cur, sorted(tail.ids)):
            return None
        cur.executemany(self.sql(INSERT_EVENT), tail.rows)
        if fresh:
            self._index_new(cur, fresh)
        return out

    def _envelope(self, tail: Tail, actor: Actor, rol: str, moment: str, datum: str | None,
                  herkomst: str | None) -> Event:
        """A `template` with the fields of the batch's events but id and payload; each distinct
        envelope checked once against `NewEvent`, as every event was when each was validated."""
        dienst = self.envelope(actor, datum)["dienst"]
        key = (moment, actor.door, rol, dienst, datum, herkomst)
        if key not in tail.envelopes:
            tail.envelopes[key] = template(NewEvent(
                soort=VASTGELEGD, besluit="B-000000000000", tijdstip=moment, door=actor.door,
                rol=rol, payload={}, dienst=dienst, datum=datum, herkomst=herkomst))
        return tail.envelopes[key]

    def _new_besluit(self, cur, tail: Tail, envelope: Event, vastgelegd: BesluitVastgelegd,
                     motiveringen: Sequence[MotiveringToegevoegd]) -> list[Event]:
        """The events of one new besluit, placed after the tail: its payload serialised once."""
        data = payload.data(vastgelegd)
        text = canonical.dumps_acyclic(data)
        raw = text.encode("utf-8")
        ident = self._new_id(cur, tail, envelope, hashlib.sha256(raw).hexdigest())
        out = [place(tail, envelope, {"besluit": ident, "payload": data}, text, raw)]
        for m in motiveringen:
            data = payload.data(m)
            out.append(place(tail, envelope, {"soort": MOTIVERING, "besluit": ident,
                                              "payload": data}, canonical.dumps_acyclic(data)))
        return out

    def _new_id(self, cur, tail: Tail, envelope: Event, payload_sha: str) -> str:
        """The besluit id (`events.besluit_id`): the first attempt that no event holds yet;
        with ``tail.deferred`` the log's own ids are checked later, at once (`_taken`)."""
        for attempt in range(100):
            ident = seeded_id(tail.prev, attempt, VASTGELEGD, envelope.tijdstip, envelope.door,
                              envelope.rol, payload_sha)
            if ident in tail.ids:
                continue
            if not tail.deferred:
                cur.execute(self.sql("SELECT 1 FROM events WHERE besluit = ? LIMIT 1"), (ident,))
                if cur.fetchone() is not None:
                    continue
            tail.ids.add(ident)
            return ident
        raise EngineFault("geen vrij besluit-id gevonden", self.location, None,
                          "probeer het opnieuw; meld het als het blijft gebeuren")

    def _taken(self, cur, ids: list[str]) -> bool:
        """Whether the log holds an event of one of these besluit ids (one query per 500)."""
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            cur.execute(self.sql(f"SELECT 1 FROM events WHERE besluit IN "
                                 f"({', '.join('?' * len(chunk))}) LIMIT 1"), tuple(chunk))
            if cur.fetchone() is not None:
                return True
        return False

    def _revision(self, cur, vastgelegd: BesluitVastgelegd, seen: dict,
                  known: set[str] | None = None):
        """(the existing besluit, None) for a repeat; else (None, payload naming what it replaces).
        ``known``: the voorstel ids the log holds (`_known_voorstellen`); others need no lookup."""
        vid = vastgelegd.voorstel.get("id")
        if not vid:
            return None, vastgelegd
        latest = seen.get(vid) or (self._latest_for_voorstel(cur, vid)
                                   if known is None or vid in known else None)
        if latest is None:
            return None, vastgelegd
        if latest.inhoud.voorstel == vastgelegd.voorstel:
            return latest, vastgelegd
        return None, vastgelegd.model_copy(update={"vervangt": latest.id})

    def _known_voorstellen(self, cur, payloads: Sequence[BesluitVastgelegd]) -> set[str]:
        """Which of these voorstel ids the log already holds: one indexed query per 500,
        so a bulk of new voorstellen costs no lookup per besluit."""
        ids = sorted({p.voorstel["id"] for p in payloads if p.voorstel.get("id")})
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            cur.execute(self.sql(f"SELECT DISTINCT {self.voorstel_id_sql} FROM "
                                 f"{self.voorstel_from} WHERE soort = '{VASTGELEGD}' AND "
                                 f"{self.voorstel_id_sql} IN ({', '.join('?' * len(chunk))})"),
                        tuple(chunk))
            found.update(r[0] for r in cur.fetchall())
        return found

    def _latest_for_voorstel(self, cur, voorstel_id: str) -> rules.Besluit | None:
        cur.execute(self.sql(f"SELECT besluit FROM events WHERE soort = ? AND "
                             f"{self.voorstel_id_sql} = ? ORDER BY seq DESC LIMIT 1"),
                    (VASTGELEGD, voorstel_id))
        row = cur.fetchone()
        return self._fold(cur, row[0]) if row else None

    voorstel_id_sql = schema.SQLITE_VOORSTEL_ID
    # SQLite's planner prefers the (soort, tijdstip) index for a long IN list and then reads
    # every besluit (2 s at 100,000 instead of 1 ms): name the voorstel-id index
    voorstel_from = "events INDEXED BY events_voorstel"

    @staticmethod
    def _prepare(vastgelegd, inhoud, motiveringen, actor, rol, datum=None) -> tuple:
        actor = as_actor(actor)
        rules.check_meta(actor.door, rol)
        rules.check_datum(datum)
        wet = vastgelegd.voorstel.get("wet")
        checked = [rules.motivering(vastgelegd.afwijkingen, m.kader, m.voorziening, m.tekst,
                                    m.grond, m.bron, wet=wet) for m in motiveringen]
        return vastgelegd, inhoud, actor, rol, datum, checked

    def _store_ruleset(self, cur, vastgelegd: BesluitVastgelegd, inhoud: list[dict],
                       stored: set[str]) -> None:
        """Content-addressed: a ruleset's content is stored at its first use only."""
        sha = vastgelegd.ruleset.sha256
        if sha in stored:
            return
        cur.execute(self.sql("SELECT 1 FROM rulesets WHERE sha256 = ?"), (sha,))
        if cur.fetchone() is None:
            text = canonical.dumps(inhoud)
            if canonical.sha256_text(text) != sha:
                raise EngineFault("ruleset-inhoud past niet bij haar hash", self.location, None,
                                  "meld dit bij de beheerders van maatwerk")
            cur.execute(self.sql(INSERT_RULESET), (sha, vastgelegd.ruleset.id,
                                                   vastgelegd.ruleset.versie, text))
        stored.add(sha)

