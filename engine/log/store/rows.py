"""Stored rows of the decision log: the columns, and reading a row as a checked event.

A row that maatwerk never writes (a payload that is no JSON or breaks its kind's
schema, a column of the wrong type) is a damaged log: `StorageError`, never an
event shown as if it were valid.
"""

from __future__ import annotations

import json
import re
from typing import Sequence

from ...errors import NotFoundError, StorageError
from ..events import COLUMNS, Event, hashed, validated

SELECT_EVENTS = f"SELECT {', '.join(COLUMNS)} FROM events"
INSERT_EVENT = f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
INSERT_RULESET = ("INSERT INTO rulesets (sha256, ruleset, versie, inhoud) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT (sha256) DO NOTHING")
BATCH = 500
SQLITE = "sqlite"
POSTGRES = "postgresql"


def param(dialect: str, sql: str) -> str:
    """A query with ``?`` placeholders in the dialect's style."""
    return sql.replace("?", "%s") if dialect == POSTGRES else sql


def row_dict(row: Sequence) -> dict:
    """A stored row as the plain dict the chain is computed over.

    A value that cannot be read (a seq that is no number, a payload that is no
    JSON) is kept as it is: `verify` then reports that event as broken, instead of
    the reader failing.
    """
    data = hashed(dict(zip(COLUMNS, row))) | {"hash": row[8]}
    try:
        data["seq"] = int(data["seq"])
    except (TypeError, ValueError):
        pass
    try:
        data["payload"] = json.loads(data["payload"])
    except (TypeError, ValueError):
        pass
    return data


def stored_event(row: Sequence, location: str) -> Event:
    """A stored row as a validated event; a row maatwerk never writes is a damaged log."""
    data = dict(zip(COLUMNS, row))
    checked = validated(data)
    if isinstance(checked, str):
        raise StorageError(f"gebeurtenis #{data['seq']} ({data['besluit']}): {checked}"[:400],
                           location, None, "draai `maatwerk audit verify` en herstel het log "
                                           "uit de back-up")
    return checked[0]


def check_besluit_id(besluit: str, location: str) -> None:
    if not re.fullmatch(r"B-[0-9a-f]{12}", besluit):
        raise NotFoundError(f"'{besluit}' is geen besluit-id", location, None,
                            "een besluit-id ziet eruit als B-3f2a9c0d1e2b; zie `maatwerk list`")


