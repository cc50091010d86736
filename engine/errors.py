"""One error root for everything maatwerk reports to a user.

Every error carries what went wrong, where (file and line when known) and how to
fix it. The CLI renders each one as ``Error: file:line: what; fix``.
"""

from __future__ import annotations

from dataclasses import dataclass

Path = tuple[str | int, ...]
"""Where a value sits in a YAML or JSON document: keys and list indexes."""
LineMap = dict[Path, int]
"""Line of each path in a source file, as the strict YAML parser records it."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place."""

    what: str
    file: str | None = None
    line: int | None = None
    hint: str | None = None
    path: Path | None = None
    """Where in the document (keys, list indexes from 0), when known: the API turns it into a
    JSON Pointer; it is no part of the rendered line."""
    code: str | None = None
    """A short machine-readable kind (`ontbreekt`, `onbekend-veld`, ...), when known."""

    def render(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        text = f"{where}{self.what}"
        return f"{text}; {self.hint}" if self.hint else text

    def at(self, file: str | None) -> "Problem":
        """The same problem, placed in a file if it had none."""
        if self.file or not file:
            return self
        return Problem(self.what, file, self.line, self.hint, self.path, self.code)


class MaatwerkError(Exception):
    """Root of all errors a user can cause; holds one or more problems."""

    exit_code = 1

    def __init__(self, what: str | list[Problem], file: str | None = None,
                 line: int | None = None, hint: str | None = None):
        if isinstance(what, list):
            self.problems = what
        else:
            self.problems = [Problem(what, file, line, hint)]
        super().__init__("\n".join(p.render() for p in self.problems))

    @property
    def first(self) -> Problem:
        return self.problems[0]

    def at(self, file: str | None) -> "MaatwerkError":
        return type(self)([p.at(file) for p in self.problems])


class InputError(MaatwerkError):
    """A ruleset, voorstel or argument that cannot be used as given."""


class RulesetError(InputError):
    """A ruleset that fails loading, validation or cross-checks."""


class VoorstelError(InputError):
    """A voorstel that fails loading or validation."""


class UsageError(MaatwerkError):
    """An argument that names nothing maatwerk knows (exit 2, as click's usage errors)."""

    exit_code = 2


class StorageError(InputError):
    """The log's storage failed (a database or driver error, a corrupt file) or holds an
    event maatwerk never writes. Audit commands report it as a damaged log (exit 3);
    anything else that goes wrong is an internal fault, never passed off as one."""


class SelectionError(MaatwerkError):
    """No ruleset (or more than one) is in force for a voorstel."""


class NotFoundError(MaatwerkError):
    """An unknown besluit, ruleset reference or kader."""


class RefusedError(MaatwerkError):
    """A request the rules of the log refuse (four eyes, wrong role, ...)."""


class ForbiddenError(RefusedError):
    """Refused because of who asks: the wrong role, or four eyes (HTTP 403)."""


class AuditFailure(MaatwerkError):
    """The log is broken or a replay differs: exit 3."""

    exit_code = 3


class EngineFault(MaatwerkError):
    """The rule engine itself misbehaved (never the user's fault)."""

    exit_code = 70


def line_of(lines: LineMap, loc: tuple) -> int | None:
    """Line of the nearest enclosing path that has one."""
    path = tuple(loc)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


OS_REASONS = {
    "ENOENT": "bestaat niet", "EACCES": "geen toegang (rechten)", "EPERM": "niet toegestaan",
    "EISDIR": "is een map", "ENOTDIR": "een deel van het pad is geen map",
    "ENOSPC": "de schijf is vol", "EROFS": "alleen-lezen bestandssysteem",
    "ELOOP": "te veel symbolische koppelingen", "ENAMETOOLONG": "naam te lang",
    "EEXIST": "bestaat al", "EIO": "invoer-/uitvoerfout van het apparaat",
    "EMFILE": "te veel open bestanden", "EDQUOT": "schijfquotum overschreden",
    "ETXTBSY": "bestand is in gebruik", "EBUSY": "apparaat of bron is bezet",
    "EINVAL": "ongeldig argument voor het besturingssysteem", "EFBIG": "bestand te groot",
    "EPIPE": "uitvoer is gesloten",
}


def os_reason(exc: OSError) -> str:
    """The Dutch reason for an operating-system error (never the English strerror)."""
    import errno
    name = errno.errorcode.get(exc.errno or 0, "")
    return OS_REASONS.get(name, f"systeemfout {name or exc.errno or type(exc).__name__}")
