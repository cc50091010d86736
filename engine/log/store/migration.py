"""Bringing a log's schema up to date, and refusing one this version cannot read.

Part of `Store` (a mixin). Migrations without a backfill run in one write transaction.
A backfill (the index of migration 6 on a log of a million besluiten) runs one batch
per write transaction, so a stopped upgrade keeps what it committed and the next
open continues it, and the log stays usable all the while: until the backfill is
complete the migration is not recorded, and readers do without it. The engine does
not print: ``progress`` (from the CLI) hears after each committed batch how far it is.
"""

from __future__ import annotations

from typing import Callable

from ...errors import InputError
from . import backfill, schema
from .backfill import Progress


class MigrationMixin:
    """``migrate``, ``check_readable``, ``schema_version``."""

    def migrate(self, progress: Callable[[Progress], None] | None = None) -> list[int]:
        """Apply the migrations this log lacks; the versions applied."""
        applied: list[int] = []
        state: list[int] = []        # besluiten indexed, besluiten in the log (once counted)
        while True:
            with self._read() as cur:
                if self._version(cur) == schema.LATEST:
                    return applied
            batches: list[tuple[int, int]] = []
            with self._write() as cur:
                applied += schema.apply(cur, self.dialect, self.location, batches=1,
                                        counted=lambda v, n: batches.append((v, n)))
                if batches and progress is not None and not state:
                    state = [backfill.indexed(cur) - batches[0][1], backfill.total(cur, self.sql)]
            for version, n in batches if progress is not None else ():
                state[0] += n
                progress(Progress(version, state[0], state[1]))

    def _version(self, cur) -> int:
        return schema.current(cur) if self._has_table(cur, "schema_version") else 0

    def check_readable(self) -> None:
        """Refuse a log whose schema this version does not know (without changing it)."""
        with self._read() as cur:
            version = self._version(cur)
        if version == 0:
            raise InputError("dit is geen besluitenlog van maatwerk (geen schema)", self.location,
                             None, "kies het juiste log met --db of MAATWERK_DB")
        if version > schema.LATEST:
            raise InputError(f"het log heeft schema {version}; deze maatwerk kent tot {schema.LATEST}",
                             self.location, None, "werk maatwerk bij")

    def schema_version(self) -> int:
        with self._read() as cur:
            return schema.current(cur)
