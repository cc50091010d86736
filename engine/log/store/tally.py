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
JOIN = "afwijking_index a JOIN besluit_index b ON b.seq = a.bseq"


@dataclass
class Tally:
    """The report's sums as the database gave them (names are group names)."""

    besluiten: int = 0
    afwijkend: int = 0
    per_groep: list[tuple] = field(default_factory=list)      # (naam, besluiten); not per kader
    per_ruleset: list[tuple] = field(default_factory=list)    # (sha256, besluiten), last used last
    afwijkingen: list[tuple] = field(default_factory=list)
    """(naam, afwijkingen, besluiten met een, gemotiveerd, met akkoord nodig, akkoorden)"""
    gronden: list[tuple] = field(default_factory=list)        # (naam, grond-code or None, n)
    herkomst: list[tuple] = field(default_factory=list)       # (naam, bron_status, n)
    medianen: dict[str, float] = field(default_factory=dict)  # naam -> uren tot akkoord


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
        group = GROUP_SQL[by]
        extra, params = conditions(van, tot, gemeente, team, wet)
        out = Tally()
        with self._read() as cur:
            def rows(text: str) -> list[tuple]:
                cur.execute(self.sql(text), params)
                return [tuple(r) for r in cur.fetchall()]
            out.besluiten, out.afwijkend = (int(v or 0) for v in rows(
                "SELECT COUNT(*), SUM(CASE WHEN b.afwijkingen > 0 THEN 1 ELSE 0 END) "
                f"FROM besluit_index b WHERE 1 = 1{extra}")[0])
            if by == "kader":
                out.per_ruleset = rows("SELECT b.ruleset, COUNT(*) FROM besluit_index b WHERE "
                                       f"1 = 1{extra} GROUP BY b.ruleset ORDER BY MAX(b.seq)")
            else:
                out.per_groep = rows(f"SELECT {group}, COUNT(*) FROM "
                                     f"besluit_index b WHERE 1 = 1{extra} GROUP BY 1")
            out.afwijkingen = rows(
                f"SELECT {group}, COUNT(*), COUNT(DISTINCT a.bseq), SUM(a.gemotiveerd), "
                f"SUM(a.vereist), COUNT(a.akkoord_uren) FROM {JOIN} WHERE 1 = 1{extra} GROUP BY 1")
            out.gronden = rows(f"SELECT {group}, a.grond, COUNT(*) FROM {JOIN} WHERE "
                               f"a.motivering = 1{extra} GROUP BY 1, 2")
            out.herkomst = rows(f"SELECT {group}, a.herkomst, COUNT(*) FROM {JOIN} WHERE "
                                f"1 = 1{extra} GROUP BY 1, 2")
            counts = {r[0]: r[5] for r in out.afwijkingen if r[5]}
            cur.execute(self.sql(f"SELECT {group}, a.akkoord_uren FROM {JOIN} WHERE "
                                 f"a.akkoord_uren IS NOT NULL{extra} ORDER BY 1, 2"), params)
            out.medianen = medians(cur, counts)
        return out


def medians(cur, counts: dict[str, int]) -> dict[str, float]:
    """Per group the median of values arriving sorted by (group, value), as
    `statistics.median` gives it; reads the cursor in batches, keeps no group's values."""
    out: dict[str, float] = {}
    current, i, low = None, 0, 0.0
    while batch := cur.fetchmany(5000):
        for name, value in batch:
            if name != current:
                current, i = name, 0
            n = counts[name]
            if i == (n - 1) // 2:
                low = value
            if i == n // 2:
                out[name] = value if n % 2 else (low + value) / 2
            i += 1
    return out
