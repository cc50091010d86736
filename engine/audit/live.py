"""Live impact: the fact columns of a log kept in memory, for a draft parameter value.

A beleidsmedewerker changes one parameter ("hbh_basis_uren = 100 from 2026-01-01") and
sees per kader how many recorded besluiten would newly deviate or no longer deviate.
The first question reads the log once into fact columns (`bulk.ImpactColumns`); every
next one, with any value, is answered from those columns. The columns are kept per
(log, ruleset, period) and dropped when the log has grown.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from ..log.store.open import open_store
from .bulk import ImpactColumns, quiet_gc
from .draft import parse_value, with_parameter
from .verify import applies, effective_on, impact_paths, impact_summary, in_range

_KEEP = 4
_CACHE: dict[tuple, tuple[int, "LiveImpact"]] = {}
_LOCK = threading.Lock()


class LiveImpact:
    """Impact of one ruleset (and drafts of it) on the besluiten of one log."""

    def __init__(self, db: str, catalog, ref: str, since: dt.date | None = None,
                 until: dt.date | None = None):
        self.catalog, self.target = catalog, catalog.by_ref(ref)
        effectives: dict[Any, Any] = {}
        target = self.target

        def chosen(payload: dict) -> bool:
            return in_range(payload["peildatum"], since, until) and applies(target.ruleset, payload["voorstel"])

        def eff_for(payload: dict):
            return effective_on(catalog, target, dt.date.fromisoformat(payload["peildatum"]), effectives)
        self.columns = ImpactColumns(lambda: open_store(db, create=False, migrate=False), chosen,
                                     eff_for, impact_paths(catalog, target))

    def impact(self, draft=None, limit: int | None = None) -> dict:
        """As `audit impact --json`; with limit, per_besluit lists at most that many besluiten
        (per_kader always counts them all)."""
        with quiet_gc():      # many small objects next to the kept columns
            touched = [r for r in self.columns.impact(draft or (lambda e: e)) if r.wijzigingen]
            shown = touched if limit is None else touched[:limit]
            result = impact_summary(self.target.ruleset.ref, self.columns.besluiten,
                                    self.columns.skipped, shown)
            result["geraakt"] = len(touched)
            result["per_kader"] = impact_summary("", 0, 0, touched)["per_kader"] \
                if limit is not None else result["per_kader"]
        return result

    def draft(self, parameter: str, waarde: str | Any, vanaf: dt.date | None = None,
              limit: int | None = None) -> dict:
        """Impact of the ruleset with `parameter` = `waarde` (text as a person types it, or a
        value of the parameter's type) from `vanaf` (default: the ruleset's first day)."""
        day = vanaf or self.target.ruleset.geldig_vanaf
        eff = self.catalog.effective(self.target, day)
        value = parse_value(eff, parameter, waarde)
        result = self.impact(with_parameter(parameter, value, day), limit)
        result["concept"] = {"parameter": parameter, "waarde": value, "vanaf": day.isoformat()}
        return result


def impact_columns(db: str, catalog, ref: str, since: dt.date | None = None,
                   until: dt.date | None = None) -> LiveImpact:
    """The kept columns for this log and ruleset, read again only when the log has grown."""
    with open_store(db, create=False, migrate=False) as store:
        length = store.counts()["gebeurtenissen"]
    key = (db, id(catalog), ref, since, until)
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None and found[0] == length:
            return found[1]
    live = LiveImpact(db, catalog, ref, since, until)
    with _LOCK:
        if len(_CACHE) >= _KEEP:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = (length, live)
    return live


def draft_impact(db: str, catalog, ref: str, parameter: str, waarde: str | Any,
                 vanaf: dt.date | None = None, limit: int | None = 100) -> dict:
    """One call for the web API: impact of REF with a draft parameter value, from kept columns
    (the first call for a log reads it; later ones, with any value, do not)."""
    return impact_columns(db, catalog, ref).draft(parameter, waarde, vanaf, limit)
