"""The besluiten index: columns derived from the chain, kept beside it for lists and reports.

Two tables, written in the same transaction as the events they derive from (so they
are never ahead of or behind the chain that committed):

- ``besluit_index``: one row per besluit, keyed by the seq of its ``besluit vastgelegd``
  event: registration time and local day, who recorded it, team, gemeente, wet, pinned
  ruleset, the derived status and the number of afwijkingen;
- ``afwijking_index``: one row per afwijking (besluit seq, position): kader, herkomst,
  whether it is complete, the grond of its latest motivering, whether an akkoord is
  required, the hours from besluit to the akkoord that counts, and (migration 8) the
  besluit's group names for the report (`GROUPS`).

They are not part of the chain: nothing in them is hashed, and every row can be rebuilt
from the besluit's events (`Head`, `afwijking_rows`), which is what the migration that
added them does for an existing log (`backfill`, in resumable batches). `list` pages on
them (keyset on seq) and `audit report` aggregates on them, so neither reads the whole log.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Sequence

from ...model import dutch
from .. import besluit as rules

BESLUIT_COLUMNS = ("seq", "besluit", "tijdstip", "dag", "door", "door_sleutel", "team",
                   "gemeente", "wet", "ruleset", "status", "afwijkingen")
# the report's group names of the besluit (migration 8), so every `--by` reads afwijking_index
# alone, in the order of its index on that group
GROUPS = ("maand", "team", "consulent")
AFWIJKING_COLUMNS = ("bseq", "nr", "kader", "eerste", "herkomst", "gemotiveerd", "motivering",
                     "grond", "vereist", "akkoord_uren") + GROUPS
COMPLETE = AFWIJKING_COLUMNS.index("gemotiveerd")     # nothing missing: motivering, akkoord
V6 = len(AFWIJKING_COLUMNS) - len(GROUPS)              # the columns of migration 6


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")


INSERT_BESLUIT = _insert_sql("besluit_index", BESLUIT_COLUMNS)
INSERT_AFWIJKING = _insert_sql("afwijking_index", AFWIJKING_COLUMNS)


def tables(big_int: str, ordered: str = "TEXT") -> tuple[str, ...]:
    """The tables. ``big_int``: the dialect's 64-bit key type that is also its row key;
    ``ordered``: text that compares byte for byte (times and days compare as text)."""
    return (
        f"""CREATE TABLE IF NOT EXISTS besluit_index (
    seq {big_int} PRIMARY KEY, besluit TEXT NOT NULL, tijdstip {ordered} NOT NULL,
    dag {ordered} NOT NULL, door TEXT NOT NULL, door_sleutel TEXT NOT NULL, team TEXT,
    gemeente TEXT, wet TEXT, ruleset TEXT NOT NULL, status TEXT NOT NULL,
    afwijkingen INTEGER NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS afwijking_index (
    bseq BIGINT NOT NULL, nr INTEGER NOT NULL, kader TEXT NOT NULL, eerste INTEGER NOT NULL,
    herkomst TEXT NOT NULL, gemotiveerd INTEGER NOT NULL, motivering INTEGER NOT NULL,
    grond TEXT, vereist INTEGER NOT NULL, akkoord_uren DOUBLE PRECISION,
    PRIMARY KEY (bseq, nr))""",
    )


# Built once the backfill has filled the tables (one sort instead of a random insert per row).
INDEXES = (
    # the report per kader reads these in order, without a sort; few distinct keys, so
    # recording appends at a few places instead of at random ones
    "CREATE INDEX IF NOT EXISTS afwijking_index_kader ON afwijking_index (kader, herkomst, "
    "grond, motivering, gemotiveerd, vereist, eerste)",
    "CREATE INDEX IF NOT EXISTS afwijking_index_akkoord ON afwijking_index (kader, "
    "akkoord_uren) WHERE akkoord_uren IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS besluit_index_ruleset ON besluit_index (ruleset)",
)
# Migration 8: the group names, filled from besluit_index, each with the indexes `kader` has.
GROUP_COLUMNS = (*(f"ALTER TABLE afwijking_index ADD COLUMN {g} TEXT" for g in GROUPS),
                 "UPDATE afwijking_index SET maand = substr(b.tijdstip, 1, 7), "
                 "team = COALESCE(NULLIF(b.team, ''), '(geen team)'), consulent = b.door "
                 "FROM besluit_index b WHERE b.seq = afwijking_index.bseq",
                 *(f"CREATE INDEX afwijking_index_{g} ON afwijking_index ({g}, herkomst, grond, "
                   "motivering, gemotiveerd, vereist, eerste)" for g in GROUPS),
                 *(f"CREATE INDEX afwijking_index_{g}_akkoord ON afwijking_index ({g}, "
                   "akkoord_uren) WHERE akkoord_uren IS NOT NULL" for g in GROUPS))


def sleutel(door: str) -> str:
    """The key two spellings of one person share (`besluit.dezelfde`)."""
    return door.strip().casefold()


def _uren(akkoord: str, besluit: str) -> float:
    moment = dt.datetime.strptime
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return (moment(akkoord, fmt) - moment(besluit, fmt)).total_seconds() / 3600


@dataclass(frozen=True, slots=True)
class Head:
    """What the index reads of a besluit's first event and its payload."""

    seq: int
    besluit: str
    tijdstip: str
    door: str
    team: str | None
    gemeente: str | None
    wet: str | None
    ruleset: str

    @classmethod
    def of(cls, b: rules.Besluit) -> "Head":
        first, v = b.vastgelegd, b.inhoud.voorstel
        return cls(first.seq, b.id, first.tijdstip, first.door, b.inhoud.team, v.get("gemeente"),
                   v.get("wet"), b.inhoud.ruleset.sha256)


def afwijking_rows(h: Head, standen: Sequence[rules.Stand]) -> list[tuple]:
    """One row per afwijking; ``eerste`` marks the first of its kader in this besluit (so a
    sum counts besluiten per kader without COUNT DISTINCT)."""
    groups = (h.tijdstip[:7], h.team or "(geen team)", h.door)
    out, kaders = [], set()
    for nr, stand in enumerate(standen):
        last = stand.laatste
        akkoord = stand.geldig() if stand.vereist and last is not None else None
        eerste = stand.key[0] not in kaders
        kaders.add(stand.key[0])
        # without a motivering something is always missing (a new besluit: most rows)
        complete = last is not None and not stand.ontbreekt
        out.append((h.seq, nr, stand.key[0], int(eerste),
                    stand.afwijking.get("bron_status") or "onbekend", int(complete),
                    int(last is not None), last.payload.get("grond") if last is not None else None,
                    int(bool(stand.vereist)),
                    _uren(akkoord.tijdstip, h.tijdstip) if akkoord is not None else None,
                    *groups))
    return out


def besluit_row(h: Head, afwijkingen: list[tuple]) -> tuple:
    """The besluit's row; its status from its afwijking rows (`afwijking_rows`)."""
    return (h.seq, h.besluit, h.tijdstip, dag(h.tijdstip), h.door, sleutel(h.door), h.team,
            h.gemeente, h.wet, h.ruleset, rules.status(bool(r[COMPLETE]) for r in afwijkingen),
            len(afwijkingen))


@functools.lru_cache(maxsize=1024)
def dag(tijdstip: str) -> str:
    """The day in Europe/Amsterdam of a registration time (the report's --van and --tot)."""
    return dutch.local(tijdstip).date().isoformat()


INDEX_VERSION = 6     # the schema migration that added the index


class IndexMixin:
    """Keeps the index in step with the chain: part of `Store`, inside its write transactions."""

    def indexed(self) -> bool:
        """Whether this log has the index (a log opened without migrating may predate it)."""
        with self._read() as cur:
            return self._version(cur) >= INDEX_VERSION

    def _index_new(self, cur, besluiten: Sequence[rules.Besluit]) -> None:
        """Rows for newly recorded besluiten."""
        insert(cur, self.sql, [(Head.of(b), b.standen) for b in besluiten])

    def _index_changed(self, cur, b: rules.Besluit) -> None:
        """A besluit got an event: its status and afwijkingen as they are now."""
        seq = b.vastgelegd.seq
        rows = afwijking_rows(Head.of(b), b.standen)
        cur.execute(self.sql("UPDATE besluit_index SET status = ? WHERE seq = ?"),
                    (rules.status(bool(r[COMPLETE]) for r in rows), seq))
        cur.execute(self.sql("DELETE FROM afwijking_index WHERE bseq = ?"), (seq,))
        if rows:
            cur.executemany(self.sql(INSERT_AFWIJKING), rows)


def insert(cur, sql, besluiten: Sequence[tuple[Head, Sequence[rules.Stand]]],
           width: int | None = None) -> None:
    """The rows of these besluiten (each its head and its afwijkingen as they stand);
    ``width``: only the first columns of afwijking_index (the backfill of migration 6 fills
    the table as that migration made it)."""
    per_besluit = [afwijking_rows(h, standen) for h, standen in besluiten]
    cur.executemany(sql(INSERT_BESLUIT), [besluit_row(h, rows) for (h, _), rows in
                                          zip(besluiten, per_besluit)])
    rows = [r[:width] for block in per_besluit for r in block]
    if rows:
        cur.executemany(sql(_insert_sql("afwijking_index", AFWIJKING_COLUMNS[:width])), rows)
