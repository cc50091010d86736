"""A per-user cache of validated ruleset files, keyed by their content hash.

Parsing and validating every ruleset in the folder is the largest part of a cold
`maatwerk check`. A file whose bytes did not change loads from the cache instead,
as long as the code that validated it did not change either: the key holds a
fingerprint of the engine's own source files and of the versions of Python,
pydantic and PyYAML (not the package version string, which a change of code need
not bump). The cache is a directory of the user's own; a file
in it is used only when it is a regular file owned by the current user and not
writable by others, so it carries no more trust than the user's own files. Any
problem with the cache means: no cache (never an error).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

FORMAT = 2
ENGINE = Path(__file__).resolve().parent.parent       # the source of maatwerk.engine


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash over the engine's source files and the libraries that shape a validated object."""
    import pydantic
    import pydantic_core
    import yaml
    digest = hashlib.sha256()
    for part in (sys.version, pydantic.VERSION, pydantic_core.__version__, yaml.__version__):
        digest.update(part.encode() + b"\0")
    for source in sorted(ENGINE.rglob("*.py")):
        digest.update(str(source.relative_to(ENGINE)).encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def _safe(path: Path) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    return (stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


class FileCache:
    """Validated objects by (content hash, code fingerprint)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.usable = folder is not None and self._prepare(folder)

    @staticmethod
    def _prepare(folder: Path) -> bool:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = folder.lstat()
            return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() \
                and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        except OSError:
            return False

    def key(self, raw: bytes, kind: str) -> str:
        tag = f"{kind}:{FORMAT}:{code_fingerprint()}".encode()
        return hashlib.sha256(tag + b"\0" + raw).hexdigest()

    def get_or_make(self, raw: bytes, kind: str, make: Callable[[], Any]) -> Any:
        if not self.usable:
            return make()
        path = self.folder / f"{self.key(raw, kind)}.pickle"
        if _safe(path):
            try:
                with path.open("rb") as handle:
                    return pickle.load(handle)
            except Exception:  # a torn or stale entry: rebuild it
                pass
        value = make()
        self._put(path, value)
        return value

    def _put(self, path: Path, value: Any) -> None:
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except Exception:
            try:
                os.unlink(tmp)
            except Exception:
                pass


def default_folder(environ: dict[str, str]) -> Path | None:
    """The cache folder from the environment (the CLI passes os.environ); None disables."""
    if environ.get("MAATWERK_CACHE", "").lower() in ("0", "nee", "no", "off", "false"):
        return None
    base = environ.get("MAATWERK_CACHE") or environ.get("XDG_CACHE_HOME")
    if base and base not in ("1", "ja", "yes", "on", "true"):
        return Path(base) / "maatwerk" if "MAATWERK_CACHE" not in environ else Path(base)
    home = environ.get("HOME")
    return Path(home) / ".cache" / "maatwerk" if home else None
