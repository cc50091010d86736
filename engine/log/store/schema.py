"""Versioned schema migrations for both stores.

`schema_version` records every migration applied. A store opens by applying the
migrations it lacks, in order, inside its write transaction (under the same lock
that guards appends), so concurrent first uses do not race. A database with a
newer schema than this maatwerk knows is refused instead of guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import InputError

SQLITE = "sqlite"
POSTGRES = "postgresql"


@dataclass(frozen=True)
class Migration:
    version: int
    beschrijving: str
    common: tuple[str, ...] = ()
    sqlite: tuple[str, ...] = ()
    postgresql: tuple[str, ...] = ()

    def statements(self, dialect: str) -> tuple[str, ...]:
        return self.common + getattr(self, dialect)


BOOTSTRAP = {
    SQLITE: "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
            "beschrijving TEXT NOT NULL, toegepast TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
    POSTGRES: "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
              "beschrijving TEXT NOT NULL, toegepast TIMESTAMPTZ NOT NULL DEFAULT now())",
}

_EVENTS = """CREATE TABLE events (
    seq BIGINT PRIMARY KEY CHECK (seq >= 1),
    besluit TEXT NOT NULL,
    soort TEXT NOT NULL CHECK (soort IN
        ('besluit vastgelegd', 'motivering toegevoegd', 'akkoord gegeven')),
    tijdstip TEXT NOT NULL,
    door TEXT NOT NULL,
    rol TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev TEXT NOT NULL CHECK (length(prev) = 64),
    hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
)"""

_RULESETS = """CREATE TABLE rulesets (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    ruleset TEXT NOT NULL,
    versie TEXT NOT NULL,
    inhoud TEXT NOT NULL
)"""

_CREDENTIALS = (   # beside the chain: a password changes, a token is revoked, a session ends
    "CREATE TABLE wachtwoorden (gebruiker TEXT PRIMARY KEY, hash TEXT NOT NULL, "
    "gewijzigd TEXT NOT NULL)",
    "CREATE TABLE tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64), "
    "dienst TEXT NOT NULL, voor TEXT NOT NULL, omschrijving TEXT NOT NULL, aangemaakt TEXT NOT NULL, "
    "verloopt TEXT, ingetrokken TEXT)",
    "CREATE TABLE sessies (hash TEXT PRIMARY KEY CHECK (length(hash) = 64), gebruiker TEXT NOT NULL, "
    "csrf TEXT NOT NULL, aangemaakt TEXT NOT NULL, gezien TEXT NOT NULL, verloopt TEXT NOT NULL)",
)

_APPEND_ONLY_MSG = "het besluitenlog is append-only: wijzigen en verwijderen kan niet"


def _sqlite_guard(table: str, action: str) -> str:
    return (f"CREATE TRIGGER {table}_geen_{action.lower()} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY_MSG}'); END")


_PG_GUARD_FN = f"""CREATE OR REPLACE FUNCTION maatwerk_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{_APPEND_ONLY_MSG}'; END $$"""


def _pg_guard(table: str) -> tuple[str, str]:
    return (f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION maatwerk_append_only()",
            f"CREATE TRIGGER {table}_geen_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION maatwerk_append_only()")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "gebeurtenissen (hashketen) en rulesets op inhoudshash",
              common=(_EVENTS, _RULESETS, "CREATE INDEX events_besluit ON events (besluit, seq)")),
    Migration(2, "append-only bewaking, één vastlegging per besluit, index op tijdstip",
              common=("CREATE UNIQUE INDEX events_een_vastlegging ON events (besluit) "
                      "WHERE soort = 'besluit vastgelegd'",
                      "CREATE INDEX events_soort_tijdstip ON events (soort, tijdstip)"),
              sqlite=tuple(_sqlite_guard(t, a) for t in ("events", "rulesets")
                           for a in ("UPDATE", "DELETE")),
              postgresql=(_PG_GUARD_FN, *_pg_guard("events"), *_pg_guard("rulesets"))),
    Migration(3, "inloggegevens buiten de keten: wachtwoorden (argon2), API-tokens (sha256), "
                 "sessies (sha256)", common=_CREDENTIALS),
)
LATEST = MIGRATIONS[-1].version


def current(cur) -> int:
    cur.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version")
    return int(cur.fetchone()[0])


def apply(cur, dialect: str, location: str, upto: int = LATEST) -> list[int]:
    """Apply the missing migrations up to ``upto``; the caller holds the write lock."""
    cur.execute(BOOTSTRAP[dialect])
    have = current(cur)
    if have > LATEST:
        raise InputError(f"de database heeft schemaversie {have}; deze maatwerk kent versie "
                         f"{LATEST}", location, None, "werk maatwerk bij")
    done = []
    for m in MIGRATIONS:
        if have < m.version <= upto:
            for statement in m.statements(dialect):
                cur.execute(statement)
            cur.execute(_param(dialect, "INSERT INTO schema_version (version, beschrijving) "
                                        "VALUES (?, ?)"), (m.version, m.beschrijving))
            done.append(m.version)
    return done


def _param(dialect: str, sql: str) -> str:
    return sql.replace("?", "%s") if dialect == POSTGRES else sql
