"""The rulesets folder: load every file, cross-check them, select by peildatum.

Cross-checks over all files: ``id@versie`` unique, the versions of one family
follow each other without overlap or gap (a version holds until the next one
begins; ``geldig_tot`` only ends it early, for a real repeal), ``extends``
resolves to a base in force over the ruleset's period, and each ruleset
type-checks together with every base version it can be combined with.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import (
    MaatwerkError,
    NotFoundError,
    Problem,
    RulesetError,
    SelectionError,
    VoorstelError,
)
from ..model.fields import suggest
from ..model.ruleset import Ruleset, RulesetFile
from ..model.voorstel import Voorstel, births_after
from .load import read_ruleset
from .resolve import Effective, resolve

FAR_FUTURE = dt.date(9999, 12, 31)


def bundled_folder() -> Path:
    from importlib.resources import files
    return Path(str(files("maatwerk.rulesets")))


MAX_DEPTH = 4          # rulesets/<authority>/<geldig_vanaf>.yaml needs 1
MAX_FOLDERS = 5_000    # a walk this large is not a rulesets folder (`--rulesets /`)


def ruleset_paths(folder: Path) -> list[Path]:
    """Every ``*.yaml`` entry under the folder, in a bounded walk.

    Symlinked folders are not followed (no loops); a symlinked file is read as
    the file it points to, and an entry that is no regular file (a dangling
    symlink, a FIFO) is kept so that reading it reports it instead of skipping it.
    """
    if not folder.is_dir():
        raise SelectionError("rulesetmap bestaat niet of is geen map", str(folder), None,
                             "geef een bestaande map met --rulesets of MAATWERK_RULESETS")
    found, folders = [], 0
    for here, subdirs, names in os.walk(folder, followlinks=False):
        folders += 1
        if folders > MAX_FOLDERS:
            raise SelectionError(f"rulesetmap bevat meer dan {MAX_FOLDERS:,} mappen; dit is geen "
                                 f"map met rulesets".replace(",", "."), str(folder), None,
                                 "geef de map met rulesets met --rulesets of MAATWERK_RULESETS")
        if len(Path(here).relative_to(folder).parts) >= MAX_DEPTH:
            subdirs[:] = []
        found += [Path(here) / n for n in names if n.endswith(".yaml")]
    return sorted(found)


DAY = dt.timedelta(days=1)


def _family_key(rs: Ruleset) -> tuple:
    return rs.autoriteit.code, rs.wet, rs.id


@dataclass
class Catalog:
    folder: str
    files: list[RulesetFile]
    problems: list[Problem] = field(default_factory=list)
    _resolved: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, folder: Path, strict: bool = True, paths: list[Path] | None = None,
             cache=None, bases: Path | None = None) -> "Catalog":
        """Load every ruleset in the folder (or the given files).

        strict: cross-check all files and raise on any problem (for `ruleset
        validate`). Not strict: files that fail are left out and their problems
        kept, so one broken file does not stop checks against the others.
        """
        files, problems = [], []
        for path in paths if paths is not None else ruleset_paths(folder):
            try:
                files.append(read_ruleset(path, cache))
            except MaatwerkError as exc:
                problems.extend(exc.problems)
        if bases is not None and Path(bases).resolve() != Path(folder).resolve():
            files += statutory_bases(bases, {f.ruleset.id for f in files}, cache)
        catalog = cls(str(folder), files, problems)
        if strict:
            problems.extend(catalog.cross_check())
            if problems:
                raise RulesetError(problems)
        return catalog

    def family(self, ruleset_id: str) -> list[RulesetFile]:
        return sorted((f for f in self.files if f.ruleset.id == ruleset_id),
                      key=lambda f: f.ruleset.geldig_vanaf)

    def until(self, f: RulesetFile) -> dt.date | None:
        """Last day of a version: its geldig_tot, or the day before its successor begins."""
        rs = f.ruleset
        later = [g.ruleset.geldig_vanaf for g in self.files
                 if _family_key(g.ruleset) == _family_key(rs) and g.ruleset.geldig_vanaf > rs.geldig_vanaf]
        ends = [d for d in (rs.geldig_tot, min(later) - DAY if later else None) if d is not None]
        return min(ends) if ends else None

    def in_force(self, f: RulesetFile, day: dt.date) -> bool:
        return f.ruleset.geldig_vanaf <= day <= (self.until(f) or FAR_FUTURE)

    def _overlap(self, a: RulesetFile, b: RulesetFile) -> bool:
        return a.ruleset.geldig_vanaf <= (self.until(b) or FAR_FUTURE) and \
            b.ruleset.geldig_vanaf <= (self.until(a) or FAR_FUTURE)

    def shown(self, f: RulesetFile) -> str:
        """A file as messages name it: relative to the rulesets folder when inside it."""
        try:
            return str(Path(f.file).resolve().relative_to(Path(self.folder).resolve()))
        except ValueError:
            return f.file

    def cross_check(self) -> list[Problem]:
        problems: list[Problem] = []
        seen: dict[str, RulesetFile] = {}
        for f in self.files:
            rs = f.ruleset
            if rs.ref in seen:
                problems.append(Problem(f"ruleset {rs.ref} staat ook in {seen[rs.ref].file}", f.file,
                                        f.line(("versie",)), "verhoog de versie"))
            seen.setdefault(rs.ref, f)
        problems += self.period_problems()
        for f in self.files:
            problems += self._check_extends(f)
        return problems

    def period_problems(self) -> list[Problem]:
        """Consecutive versions of a family: no two on one day, no overlap, no gap."""
        problems: list[Problem] = []
        families: dict[tuple, list[RulesetFile]] = {}
        for f in self.files:
            families.setdefault(_family_key(f.ruleset), []).append(f)
        for family in families.values():
            family.sort(key=lambda f: (f.ruleset.geldig_vanaf, f.file))
            for a, b in zip(family, family[1:]):
                if a.ruleset.versie != b.ruleset.versie:
                    problems += self._join(a, b)
        return problems

    def _join(self, a: RulesetFile, b: RulesetFile) -> list[Problem]:
        ra, rb = a.ruleset, b.ruleset
        if ra.geldig_vanaf == rb.geldig_vanaf:
            what = f"{{}} begint op dezelfde dag ({rb.geldig_vanaf}) als {{}}"
            hint = "geef de nieuwe versie een latere geldig_vanaf: een versie geldt tot de volgende begint"
            return [Problem(what.format(x.ruleset.ref, f"{y.ruleset.ref} in {self.shown(y)}"), x.file,
                            x.line(("geldig_vanaf",)), hint) for x, y in ((b, a), (a, b))]
        if ra.geldig_tot is None or ra.geldig_tot + DAY == rb.geldig_vanaf:
            return []
        tot, vanaf, here_a, here_b = ra.geldig_tot, rb.geldig_vanaf, self.shown(a), self.shown(b)
        if tot >= vanaf:
            at_a = f"geldigheid van {ra.ref} (t/m {tot}) overlapt met {rb.ref} in {here_b} (vanaf {vanaf})"
            at_b = f"geldigheid van {rb.ref} (vanaf {vanaf}) overlapt met {ra.ref} in {here_a} (t/m {tot})"
            hint = "haal geldig_tot weg: een versie geldt tot de volgende begint (geldig_tot alleen bij intrekking)"
        else:
            at_a = f"gat in de geldigheid: {ra.ref} eindigt op {tot}, {rb.ref} in {here_b} begint pas op {vanaf}"
            at_b = f"gat in de geldigheid: {ra.ref} in {here_a} eindigt op {tot}, {rb.ref} begint pas op {vanaf}"
            hint = f"haal geldig_tot van {ra.ref} weg of laat {rb.ref} beginnen op {tot + DAY}"
        return [Problem(at_a, a.file, a.line(("geldig_tot",)), hint),
                Problem(at_b, b.file, b.line(("geldig_vanaf",)), hint)]

    def _check_extends(self, f: RulesetFile) -> list[Problem]:
        rs = f.ruleset
        if rs.extends is None:
            return _resolve_problems([f])
        bases = [b for b in self.family(rs.extends) if self._overlap(b, f)]
        if not bases:
            ids = sorted({g.ruleset.id for g in self.files if g.ruleset.extends is None})
            near = suggest(rs.extends, ids)
            hint = f"bedoelde u '{near}'?" if near else f"bekende bases: {', '.join(ids) or 'geen'}"
            return [Problem(f"extends '{rs.extends}': geen versie geldig tussen "
                            f"{rs.geldig_vanaf} en {self.until(f) or 'onbepaald'}", f.file,
                            f.line(("extends",)), hint)]
        problems = []
        for base in bases:
            if base.ruleset.extends is not None:
                problems.append(Problem(f"basis {base.ruleset.ref} breidt zelf iets uit", f.file,
                                        f.line(("extends",)), "een basis is een wettelijke ruleset"))
            problems += [p for p in _resolve_problems([base, f]) if p.file == f.file]
        return _unique(problems)

    # selection ------------------------------------------------------------
    def by_ref(self, ref: str) -> RulesetFile:
        for f in self.files:
            if f.ruleset.ref == ref or (("@" not in ref) and f.ruleset.id == ref and
                                        f is self.family(ref)[-1]):
                return f
        near = suggest(ref, [f.ruleset.ref for f in self.files])
        raise NotFoundError(f"onbekende ruleset '{ref}'", self.folder, None,
                            f"bedoelde u '{near}'?" if near else "zie `maatwerk ruleset list`")

    def select(self, gemeente: str, wet: str, peildatum: dt.date) -> RulesetFile:
        """The ruleset of this gemeente and law in force on the peildatum."""
        own = [f for f in self.files if f.ruleset.autoriteit.code == gemeente and f.ruleset.wet == wet]
        if not own:
            known = sorted({f.ruleset.autoriteit.code for f in self.files} - {"rijk"})
            broken = f"; {len(self.problems)} problemen in rulesets (zie `maatwerk ruleset validate`)" \
                if self.problems else ""
            raise SelectionError(f"geen rulesets voor gemeente {gemeente} ({wet})", self.folder, None,
                                 f"beschikbaar: {', '.join(known) or 'geen'}; of kies er een met "
                                 f"--ruleset{broken}")
        found = [f for f in own if self.in_force(f, peildatum)]
        if len(found) == 1:
            return found[0]
        near = ", ".join(f"{f.ruleset.ref} ({f.ruleset.geldig_vanaf} t/m {self.until(f) or '…'})"
                         for f in sorted(own, key=lambda f: abs((f.ruleset.geldig_vanaf - peildatum).days))[:3])
        raise SelectionError(f"geen ruleset van {gemeente} ({wet}) geldig op {peildatum}", self.folder,
                             None, f"dichtstbij: {near}")

    def effective(self, f: RulesetFile, peildatum: dt.date) -> Effective:
        """A ruleset with the version of its base that is in force on the peildatum.

        Resolved once per (ruleset, base) pair and then reused.
        """
        rs = f.ruleset
        layers = [f]
        if rs.extends is not None:
            family = self.family(rs.extends)
            bases = [b for b in family if self.in_force(b, peildatum)] or \
                    [b for b in family if self.in_force(b, rs.geldig_vanaf)]
            if not bases:
                raise SelectionError(f"basis '{rs.extends}' van {rs.ref} is niet geldig op {peildatum}",
                                     f.file, f.line(("extends",)), "voeg een geldige versie van de basis toe")
            layers = [bases[0], f]
        key = tuple((g.file, g.ruleset.ref) for g in layers)
        if key not in self._resolved:
            self._resolved[key] = resolve(layers)
        return self._resolved[key]

    def for_voorstel(self, gemeente: str, wet: str, peildatum: dt.date,
                     ref: str | None = None) -> Effective:
        f = self.by_ref(ref) if ref else self.select(gemeente, wet, peildatum)
        return self.effective(f, peildatum)

    def prepare(self, voorstel: Voorstel, peildatum: dt.date | None = None,
                ref: str | None = None) -> tuple[dt.date, Effective]:
        """The peildatum of a voorstel (the one given, else its own) and its effective ruleset.

        A problem that the voorstel causes carries its path in the voorstel: where its
        peildatum came from, or its gemeente (the CLI turns it into a line, the API into
        a JSON Pointer); a problem in a ruleset file keeps its own place.
        """
        source = None if peildatum else date_source(voorstel)
        born = births_after(voorstel, peildatum) if peildatum else []
        if born:                # a geboortedatum after the peildatum given: "the future"
            raise VoorstelError([Problem(what, None, None, fix, loc, "ongeldige-datum")
                                 for loc, what, fix in born])
        peildatum = peildatum or voorstel.default_peildatum()
        if peildatum is None:
            raise VoorstelError([Problem(
                "geen peildatum: het voorstel heeft geen peildatum, aanvraag-, beschikkings- of "
                "meldingsdatum", None, None, "vul procedure.aanvraag in of geef --peildatum",
                ("procedure",))])
        try:
            return peildatum, self.for_voorstel(voorstel.gemeente, voorstel.wet, peildatum, ref)
        except SelectionError as exc:
            p = exc.first
            if p.file != self.folder:          # a problem in a ruleset file: it names its own place
                raise
            own = any(f.ruleset.autoriteit.code == voorstel.gemeente and
                      f.ruleset.wet == voorstel.wet for f in self.files)
            where = source if own else ("gemeente",)
            raise SelectionError([Problem(p.what, None, None, p.hint, where)]) from None


def date_source(voorstel: Voorstel) -> tuple | None:
    """Where `Voorstel.default_peildatum` takes the date from."""
    p = voorstel.procedure
    for loc, value in ((("peildatum",), voorstel.peildatum), (("procedure", "aanvraag"), p.aanvraag),
                       (("procedure", "beschikking"), p.beschikking),
                       (("procedure", "melding"), p.melding)):
        if value is not None:
            return loc
    return None


def statutory_bases(folder: Path, present: set[str], cache=None) -> list[RulesetFile]:
    """The statutory bases (rulesets that extend nothing) of another folder, for a gemeente's
    own folder to extend; a family the gemeente folder holds itself is not taken."""
    found = Catalog.load(folder, strict=False, cache=cache)
    return [f for f in found.files if f.ruleset.extends is None and f.ruleset.id not in present]


def _resolve_problems(files: list[RulesetFile]) -> list[Problem]:
    try:
        resolve(files)
    except RulesetError as exc:
        return exc.problems
    return []


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
