"""Counting on the index in the database: the sums `audit report` is made of.

Part of `Store` (a mixin). Every figure of the report is a GROUP BY over
``besluit_index`` and ``afwijking_index`` (see `index`); only the medians need the
values themselves, and those stream in sorted order so a group's median is picked as
it passes (memory: one group's count, not the log). The conditions are those of the
report's filter: the local day of registration from/to, gemeente, team, wet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GROUP_SQL = {"kader": "a.kader", "maand": "substr(b.tijdstip, 1, 7)",
             "team": "COALESCE(NULLIF(b.team, ''), '(geen team)')", "consulent": "b.door"}
# since migration 8 each afwijking row holds its besluit's group names (`index.GROUPS`)
GROUP_COLUMN = {"kader": "a.kader", "maand": "a.maand", "team": "a.team",
                "consulent": "a.consulent"}
GROUPS_VERSION = 8
JOIN = "afwijking_index a JOIN besluit_index b ON b.seq = a.bseq"


@dataclass
class Tally:
    """The report's sums as the database gave them (names are group names)."""

    besluiten: int = 0
    afwijkend: int = 0
    per_groep: list[tuple] = field(default_factory=list)
    """(naam, besluiten, with an afwijking); not per kader"""
    per_ruleset: list[tuple] = field(default_factory=list)    # (sha256, besluiten), last used last
    delen: list[tuple] = field(default_factory=list)
    """(naam, herkomst, grond, met motivering, afwijkingen, besluiten (per kader: the first
    afwijking of each), gemotiveerd, met akkoord nodig)"""
    akkoorden: dict[str, tuple[int, float]] = field(default_factory=dict)
    """naam -> (akkoorden, median hours from besluit to akkoord)"""


def conditions(van: str | None, tot: str | None, gemeente: str | None, team: str | None,
               wet: str | None) -> tuple[str, tuple]:
    """' AND …' over besluit_index b (days as JJJJ-MM-DD, Europe/Amsterdam) and parameters."""
    conds, params = [], []
    for sql, value in (("b.dag >= ?", van), ("b.dag <= ?", tot), ("b.gemeente = ?", gemeente),
                       ("b.team = ?", team), ("b.wet = ?", wet)):
        if value is not None:
            conds.append(sql)
            params.append(value)
    return "".join(f" AND {c}" for c in conds), tuple(params)


class TallyMixin:
    """``tally``: the report's sums for one grouping and filter."""

    def tally(self, by: str, van: str | None = None, tot: str | None = None,
              gemeente: str | None = None, team: str | None = None,
              wet: str | None = None) -> Tally:
        """Without a filter only afwijking_index is read, in the order of its index on the
        group (no sort, no join); with one, joined to besluit_index on its row key. A log
        read before migration 8 (audit does not migrate) joins for every group but kader."""
        extra, params = conditions(van, tot, gemeente, team, wet)
        out = Tally()
        with self._read() as cur:
            alone = by == "kader" or self._version(cur) >= GROUPS_VERSION
            group = GROUP_COLUMN[by] if alone else GROUP_SQL[by]
            source = "afwijking_index a" if alone and not extra else JOIN
            def rows(text: str) -> list[tuple]:
                cur.execute(self.sql(text), params)
                return [tuple(r) for r in cur.fetchall()]
            out.besluiten, out.afwijkend = (int(v or 0) for v in rows(
                f"SELECT COUNT(*), {HAS} FROM besluit_index b WHERE 1 = 1{extra}")[0])
            if by == "kader":
                out.per_ruleset = rows("SELECT b.ruleset, COUNT(*) FROM besluit_index b WHERE "
                                       f"1 = 1{extra} GROUP BY b.ruleset ORDER BY MAX(b.seq)")
            else:
                out.per_groep = rows(f"SELECT {GROUP_SQL[by]}, COUNT(*), {HAS} FROM "
                                     f"besluit_index b WHERE 1 = 1{extra} GROUP BY 1")
            out.delen = rows(f"SELECT {group}, a.herkomst, a.grond, a.motivering, COUNT(*), "
                             f"SUM(a.eerste), SUM(a.gemotiveerd), SUM(a.vereist) FROM {source} "
                             f"WHERE 1 = 1{extra} GROUP BY 1, 2, 3, 4")
            cur.execute(self.sql(f"SELECT {group}, a.akkoord_uren FROM {source} WHERE "
                                 f"a.akkoord_uren IS NOT NULL{extra} ORDER BY 1, 2"), params)
            out.akkoorden = medians(cur)
        return out


HAS = "SUM(CASE WHEN b.afwijkingen > 0 THEN 1 ELSE 0 END)"


def medians(cur) -> dict[str, tuple[int, float]]:
    """Per group (count, median) of values arriving sorted by (group, value), the median as
    `statistics.median` gives it; holds one group's values at a time, read in batches."""
    out: dict[str, tuple[int, float]] = {}
    name, values = None, []

    def close() -> None:
        if values:
            n = len(values)
            out[name] = (n, values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2)
    while batch := cur.fetchmany(5000):
        for group, value in batch:
            if group != name:
                close()
                name, values = group, []
            values.append(value)
    close()
    return out
