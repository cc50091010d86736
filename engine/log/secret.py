"""Secrets of the served door: passwords (argon2id) and API tokens (random, kept as sha256).

A password is low in entropy, so it is kept as an argon2id hash (slow on purpose).
An API token is 256 random bits, so a sha256 of it is enough and keeps every API
call fast; only the hash is stored, the token itself is shown once.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from ..errors import InputError

TOKEN = re.compile(r"mw_([0-9a-f]{8})_([A-Za-z0-9_-]{43})")
MIN_WACHTWOORD = 12
MAX_WACHTWOORD = 1024


def _hasher():
    from argon2 import PasswordHasher
    return PasswordHasher()


def hash_password(password: str) -> str:
    check_password(password)
    return _hasher().hash(password)


def check_password(password: str) -> None:
    if len(password) < MIN_WACHTWOORD:
        raise InputError(f"wachtwoord is te kort ({len(password)} tekens)", None, None,
                         f"kies er een van minstens {MIN_WACHTWOORD} tekens, bijv. vier losse woorden")
    if len(password) > MAX_WACHTWOORD:
        raise InputError("wachtwoord is te lang", None, None, f"hooguit {MAX_WACHTWOORD} tekens")


def verify_password(stored: str | None, password: str) -> bool:
    """True when the password matches; an unknown user costs as much time as a wrong password."""
    from argon2.exceptions import InvalidHashError, VerificationError
    hasher = _hasher()
    try:
        return hasher.verify(stored or _DUMMY.hash, password[:MAX_WACHTWOORD]) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


class _Dummy:
    """A hash to verify against when the user is unknown (made on first use)."""

    @property
    def hash(self) -> str:
        if not hasattr(self, "_value"):
            self._value = _hasher().hash(secrets.token_hex(16))
        return self._value


_DUMMY = _Dummy()


def new_token() -> tuple[str, str, str]:
    """A new API token: (id, token, sha256 of the token). Show the token once; keep the rest."""
    ident = secrets.token_hex(4)
    token = f"mw_{ident}_{secrets.token_urlsafe(32)}"
    return ident, token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def new_secret() -> str:
    """A random value for a session cookie or a CSRF token."""
    return secrets.token_urlsafe(32)
