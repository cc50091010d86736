"""Hostile input and faults: fixtures (the fuzz profile is in `fuzzprofile.py`).

The decision-log fixtures (`db` on SQLite and on a private PostgreSQL server,
`rulesets`) are shared with tests/log and tests/audit from tests/conftest.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "support"))

import fuzzprofile  # noqa: E402,F401  (MAATWERK_CACHE=off for every test here)


# `db`, `pg`, `pg_db` and `rulesets` come from tests/conftest.py
