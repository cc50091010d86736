"""The rulesets folder: load every file, cross-check them, select by peildatum.

Cross-checks over all files: ``id@versie`` unique, validity periods of one
authority and law do not overlap, ``extends`` resolves to a base in force over
the ruleset's period, and each ruleset type-checks together with every base
version it can be combined with.
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


def _end(rs: Ruleset) -> dt.date:
    return rs.geldig_tot or FAR_FUTURE


def _overlap(a: Ruleset, b: Ruleset) -> bool:
    return a.geldig_vanaf <= _end(b) and b.geldig_vanaf <= _end(a)


@dataclass
class Catalog:
    folder: str
    files: list[RulesetFile]
    problems: list[Problem] = field(default_factory=list)
    _resolved: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, folder: Path, strict: bool = True, paths: list[Path] | None = None,
             cache=None) -> "Catalog":
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
        catalog = cls(str(folder), files, problems)
        if strict:
            problems.extend(catalog.cross_check())
            if problems:
                raise RulesetError(problems)
        return catalog

    def family(self, ruleset_id: str) -> list[RulesetFile]:
        return sorted((f for f in self.files if f.ruleset.id == ruleset_id),
                      key=lambda f: f.ruleset.geldig_vanaf)

    def cross_check(self) -> list[Problem]:
        problems: list[Problem] = []
        seen: dict[str, RulesetFile] = {}
        for f in self.files:
            rs = f.ruleset
            if rs.ref in seen:
                problems.append(Problem(f"ruleset {rs.ref} staat ook in {seen[rs.ref].file}", f.file,
                                        f.line(("versie",)), "verhoog de versie"))
            seen.setdefault(rs.ref, f)
        problems += self._overlaps()
        for f in self.files:
            problems += self._check_extends(f)
        return problems

    def _overlaps(self) -> list[Problem]:
        problems = []
        ordered = sorted(self.files, key=lambda f: (f.ruleset.geldig_vanaf, f.file))
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                ra, rb = a.ruleset, b.ruleset
                same = (ra.autoriteit.code, ra.wet, ra.id) == (rb.autoriteit.code, rb.wet, rb.id)
                if same and ra.versie != rb.versie and _overlap(ra, rb):
                    problems.append(Problem(
                        f"geldigheid van {rb.ref} overlapt met {ra.ref} (geldig {ra.geldig_vanaf} "
                        f"t/m {ra.geldig_tot or 'onbepaald'})", b.file,
                        b.line(("geldig_vanaf",)), "laat de ene versie eindigen (geldig_tot) "
                        "voor de andere begint"))
        return problems

    def _check_extends(self, f: RulesetFile) -> list[Problem]:
        rs = f.ruleset
        if rs.extends is None:
            return _resolve_problems([f])
        bases = [b for b in self.family(rs.extends) if _overlap(b.ruleset, rs)]
        if not bases:
            ids = sorted({g.ruleset.id for g in self.files if g.ruleset.extends is None})
            near = suggest(rs.extends, ids)
            hint = f"bedoelde u '{near}'?" if near else f"bekende bases: {', '.join(ids) or 'geen'}"
            return [Problem(f"extends '{rs.extends}': geen versie geldig tussen "
                            f"{rs.geldig_vanaf} en {rs.geldig_tot or 'onbepaald'}", f.file,
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
        found = [f for f in own if f.ruleset.in_force(peildatum)]
        if len(found) == 1:
            return found[0]
        near = ", ".join(f"{f.ruleset.ref} ({f.ruleset.geldig_vanaf} t/m {f.ruleset.geldig_tot or '…'})"
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
            bases = [b for b in family if b.ruleset.in_force(peildatum)] or \
                    [b for b in family if b.ruleset.in_force(rs.geldig_vanaf)]
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


def _resolve_problems(files: list[RulesetFile]) -> list[Problem]:
    try:
        resolve(files)
    except RulesetError as exc:
        return exc.problems
    return []


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
