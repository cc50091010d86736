"""Versioned schema migrations for both stores.

`schema_version` records every migration applied. A store opens by applying the
migrations it lacks, in order, inside its write transaction (under the same lock
that guards appends), so concurrent first uses do not race. A database with a
newer schema than this maatwerk knows is refused instead of guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ...errors import InputError
from . import backfill, index
from .rows import POSTGRES, SQLITE, param



@dataclass(frozen=True)
class Migration:
    version: int
    beschrijving: str
    common: tuple[str, ...] = ()
    sqlite: tuple[str, ...] = ()
    postgresql: tuple[str, ...] = ()
    backfill: Callable | None = None
    """(cur, dialect, location, version, batches, counted) -> complete: fills what the statements
    made, ``batches`` at a time (see `backfill.run`); the migration counts as applied only
    once it is complete"""
    finish: tuple[str, ...] = ()        # after a complete backfill (its indexes)

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


def _pg_grant(role: str, privileges: str, tables: str, what: str) -> str:
    """GRANT privileges on tables to one of maatwerk's roles, when that role exists (a login
    that may not grant leaves a notice, not a failed migration)."""
    return f"""DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
    GRANT {privileges} ON {tables} TO {role};
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'maatwerk: geen rechten op {what} toegekend';
END $$"""


_PG_CREDENTIAL_GRANTS = _pg_grant("maatwerk_dienst", "SELECT, INSERT, UPDATE, DELETE",
                                  "wachtwoorden, tokens, sessies", "inloggegevens")

_PG_INDEX_GRANTS = _pg_grant("maatwerk_gebruiker", "SELECT, INSERT, UPDATE, DELETE",
                             "besluit_index, afwijking_index", "de index")

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


SOORTEN_V3 = ("besluit vastgelegd", "motivering toegevoegd", "akkoord gegeven", "teruggestuurd",
              "meelezen gevraagd", "opmerking", "gebruiker toegevoegd", "rol toegekend",
              "rol ingetrokken")
_SOORT_CHECK = "soort IN (" + ", ".join(f"'{k}'" for k in SOORTEN_V3) + ")"
_EVENTS_V3 = (_EVENTS.replace("CREATE TABLE events", "CREATE TABLE events_v3")
              .replace("""soort IN
        ('besluit vastgelegd', 'motivering toegevoegd', 'akkoord gegeven')""", _SOORT_CHECK)
              .replace("UNIQUE CHECK (length(hash) = 64)\n)", "UNIQUE CHECK (length(hash) = 64),\n"
                       "    dienst TEXT,\n    datum TEXT,\n    herkomst TEXT CHECK (herkomst = 'import')\n)"))
# The voorstel id of a besluit, indexed for idempotent recording; NULL for a payload that
# is no JSON, so an index never stands in the way of reading (or tampering with) a row.
SQLITE_VOORSTEL_ID = ("(CASE WHEN json_valid(payload) THEN json_extract(payload, '$.voorstel.id') "
                      "END)")
PG_VOORSTEL_ID = "maatwerk_voorstel_id(payload)"
_PG_VOORSTEL_ID_FN = """CREATE OR REPLACE FUNCTION maatwerk_voorstel_id(p text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN RETURN ((p::jsonb)->'voorstel')->>'id';
EXCEPTION WHEN others THEN RETURN NULL; END $$"""
_OLD_COLUMNS = "seq, besluit, soort, tijdstip, door, rol, payload, prev, hash"
_INDEXES_V3 = ("CREATE INDEX events_besluit ON events (besluit, seq)",
               "CREATE UNIQUE INDEX events_een_vastlegging ON events (besluit) "
               "WHERE soort = 'besluit vastgelegd'",
               "CREATE INDEX events_soort_tijdstip ON events (soort, tijdstip)")

# PostgreSQL: the database itself enforces identity. Every login that uses maatwerk is a
# member of maatwerk_gebruiker (SELECT and INSERT only); a service login (the served app,
# a case system's connector) is also a member of maatwerk_dienst and may record events for
# a named user, with itself in `dienst`. The trigger refuses an event whose author is not
# the login (unless a service acts for them, recorded as such) and an akkoord by someone
# who does not hold the role (the latest grant or revocation in the log decides).
_PG_ROLES = """DO $$ BEGIN
  BEGIN CREATE ROLE maatwerk_gebruiker NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END;
  BEGIN CREATE ROLE maatwerk_dienst NOLOGIN IN ROLE maatwerk_gebruiker;
  EXCEPTION WHEN duplicate_object THEN NULL; END;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO maatwerk_gebruiker', current_schema());
  GRANT SELECT, INSERT ON events, rulesets TO maatwerk_gebruiker;
  GRANT SELECT ON schema_version TO maatwerk_gebruiker;
  GRANT SELECT, INSERT, UPDATE, DELETE ON wachtwoorden, tokens, sessies TO maatwerk_dienst;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'maatwerk: rollen niet aangemaakt (geen CREATEROLE); alleen eigen naam vastleggen';
END $$"""

_PG_IDENTITY_FN = """CREATE OR REPLACE FUNCTION maatwerk_identiteit() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  login text := session_user;
  dienst boolean := false;
  laatste text;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'maatwerk_dienst') THEN
    dienst := pg_has_role(login, 'maatwerk_dienst', 'MEMBER');
  END IF;
  IF NEW.dienst IS NOT NULL AND lower(NEW.dienst) <> lower(login) THEN
    RAISE EXCEPTION 'identiteit: dienst % is niet de aangemelde gebruiker %', NEW.dienst, login
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF lower(NEW.door) <> lower(login) AND NOT (NEW.dienst IS NOT NULL AND dienst) THEN
    RAISE EXCEPTION 'identiteit: % mag niet vastleggen namens %', login, NEW.door
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.soort = 'akkoord gegeven' THEN
    SELECT soort INTO laatste FROM events
     WHERE soort IN ('rol toegekend', 'rol ingetrokken')
       AND lower((payload::jsonb)->>'gebruiker') = lower(NEW.door)
       AND (payload::jsonb)->>'rol' = NEW.rol
     ORDER BY seq DESC LIMIT 1;
    IF laatste IS DISTINCT FROM 'rol toegekend' THEN
      RAISE EXCEPTION 'mandaat: % heeft de rol % niet', NEW.door, NEW.rol
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  RETURN NEW;
END $$"""

# Fact blocks (`factblocks`): a cache beside the chain, rebuilt from the payloads at will.
_FACT_BLOCKS = """CREATE TABLE feitblokken (
    eerste BIGINT PRIMARY KEY,
    laatste BIGINT NOT NULL,
    aantal INTEGER NOT NULL,
    formaat TEXT NOT NULL,
    ketens TEXT NOT NULL CHECK (length(ketens) = 64),
    kolommen BLOB NOT NULL,
    rijen TEXT NOT NULL,
    afwijkingen BLOB NOT NULL
)"""
# Failed logins (`credentials`): beside the chain, shared by every server process.
_LOGIN_ATTEMPTS = ("CREATE TABLE inlogpogingen (sleutel TEXT NOT NULL CHECK (length(sleutel) = 64), "
                   "moment DOUBLE PRECISION NOT NULL)",
                   "CREATE INDEX inlogpogingen_sleutel ON inlogpogingen (sleutel, moment)")
_PG_ATTEMPT_GRANTS = _pg_grant("maatwerk_dienst", "SELECT, INSERT, DELETE", "inlogpogingen", "inlogpogingen")
_PG_FACT_GRANTS = _pg_grant("maatwerk_gebruiker", "SELECT, INSERT, DELETE", "feitblokken", "feitblokken")

# Layout 2 (`audit.fact_layout`): a header per block, one row per part, so a run reads only
# the columns its ruleset reads; ``kop`` is the hash of the block's last event.
_FACT_BLOCKS_V2 = ("DROP TABLE feitblokken", """CREATE TABLE feitblokken (
    eerste BIGINT PRIMARY KEY,
    laatste BIGINT NOT NULL,
    vorige BIGINT NOT NULL,
    aantal INTEGER NOT NULL,
    delen INTEGER NOT NULL,
    formaat TEXT NOT NULL,
    kop TEXT NOT NULL CHECK (length(kop) = 64)
)""", """CREATE TABLE feitkolommen (
    eerste BIGINT NOT NULL,
    naam TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (eerste, naam)
)""")

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
    Migration(4, "identiteit: gebruikers, rollen en review als gebeurtenissen; dienst, datum en "
                 "herkomst; registratietijd van de store; voorstel-id voor herzieningen",
              sqlite=(_EVENTS_V3, f"INSERT INTO events_v3 ({_OLD_COLUMNS}) SELECT {_OLD_COLUMNS} "
                                  "FROM events", "DROP TABLE events",
                      "ALTER TABLE events_v3 RENAME TO events", *_INDEXES_V3,
                      *(_sqlite_guard("events", a) for a in ("UPDATE", "DELETE")),
                      f"CREATE INDEX events_voorstel ON events ({SQLITE_VOORSTEL_ID}) "
                      "WHERE soort = 'besluit vastgelegd'"),
              postgresql=("ALTER TABLE events ADD COLUMN dienst TEXT, ADD COLUMN datum TEXT, "
                          "ADD COLUMN herkomst TEXT CHECK (herkomst = 'import')",
                          "ALTER TABLE events DROP CONSTRAINT events_soort_check",
                          f"ALTER TABLE events ADD CONSTRAINT events_soort_check CHECK "
                          f"({_SOORT_CHECK})",
                          _PG_VOORSTEL_ID_FN, f"CREATE INDEX events_voorstel ON events "
                          f"(({PG_VOORSTEL_ID})) WHERE soort = 'besluit vastgelegd'",
                          _PG_ROLES, _PG_IDENTITY_FN,
                          "CREATE TRIGGER events_identiteit BEFORE INSERT ON events FOR EACH ROW "
                          "EXECUTE FUNCTION maatwerk_identiteit()")),
    Migration(5, "de dienst-rol (de server) mag inloggegevens lezen en schrijven; gewone "
                 "gebruikers niet", postgresql=(_PG_CREDENTIAL_GRANTS,)),
    Migration(6, "index naast de keten: per besluit en per afwijking de kolommen waarop list "
                 "pagineert en audit report telt (afgeleid, niet gehasht); bestaande besluiten "
                 "worden geïndexeerd",
              sqlite=index.tables("INTEGER"),
              postgresql=(*index.tables("BIGINT", 'TEXT COLLATE "C"'), _PG_INDEX_GRANTS),
              backfill=backfill.run, finish=index.INDEXES),
    Migration(7, "feitblokken: de feitkolommen van de besluiten naast de keten (een cache, "
                 "herleidbaar uit de payloads)", sqlite=(_FACT_BLOCKS,),
              postgresql=(_FACT_BLOCKS.replace("BLOB", "BYTEA"), _PG_FACT_GRANTS)),
    Migration(8, "audit report per maand, team en consulent uit de index alleen: de groepsnaam "
                 "van het besluit bij elke afwijking, met een index per groepering",
              common=index.GROUP_COLUMNS),
    Migration(9, "inlogpogingen: mislukte inlogpogingen per naam en per adres (als sha256), "
                 "gedeeld door alle serverprocessen", common=_LOGIN_ATTEMPTS,
              postgresql=(_PG_ATTEMPT_GRANTS,)),
    Migration(10, "feitblokken per kolom: een run leest alleen de kolommen die zijn ruleset "
                 "leest (de oude blokken vervallen en worden opnieuw afgeleid)",
              sqlite=_FACT_BLOCKS_V2,
              postgresql=(*(t.replace("BLOB", "BYTEA") for t in _FACT_BLOCKS_V2),
                          _PG_FACT_GRANTS.replace("ON feitblokken", "ON feitblokken, feitkolommen"))),
)
LATEST = MIGRATIONS[-1].version


def current(cur) -> int:
    cur.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version")
    return int(cur.fetchone()[0])


def apply(cur, dialect: str, location: str, upto: int = LATEST, batches: int | None = None,
          counted: Callable[[int, int], None] | None = None) -> list[int]:
    """Apply the missing migrations up to ``upto``; the caller holds the write lock.

    A migration with a backfill fills at most ``batches`` batches in this call (None: all)
    and, when not complete, stops there: nothing after it is applied and it is not
    recorded, so the next call continues it (`backfill`). ``counted(version, n)`` hears
    of each batch. Returns the versions applied."""
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
            if m.backfill is not None and not m.backfill(cur, dialect, location, m.version,
                                                         batches, counted):
                return done
            for statement in m.finish:
                cur.execute(statement)
            cur.execute(param(dialect, "INSERT INTO schema_version (version, beschrijving) "
                                        "VALUES (?, ?)"), (m.version, m.beschrijving))
            done.append(m.version)
    return done
