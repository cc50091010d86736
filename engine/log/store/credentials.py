"""Credentials of the served door, kept beside the chain (never in it).

Password hashes (argon2, made at the edge), API tokens (only their sha256 is kept),
login sessions (only the sha256 of the cookie value) and failed logins (the sha256 of
the name or address they count against, with the moment) live in ordinary tables:
a password is changed, a token revoked and a session ended by updating or
deleting a row, which the hash chain must never allow. Who someone is and which
roles they hold stays in the chain; these tables only say how they prove it.

Times are arguments (UTC text, `2026-03-01T09:30:00Z`; a failed login's moment in
seconds since the epoch): the store reads no clock.
"""

from __future__ import annotations

TOKEN_COLUMNS = ("id", "dienst", "voor", "omschrijving", "aangemaakt", "verloopt", "ingetrokken")


class Credentials:
    """Mixin for `Store`: passwords, API tokens and sessions."""

    # --- passwords -------------------------------------------------------------------------
    def set_password(self, gebruiker: str, hash_: str, tijdstip: str) -> None:
        with self._write() as cur:
            cur.execute(self.sql("DELETE FROM wachtwoorden WHERE gebruiker = ?"), (gebruiker,))
            cur.execute(self.sql("INSERT INTO wachtwoorden (gebruiker, hash, gewijzigd) "
                                 "VALUES (?, ?, ?)"), (gebruiker, hash_, tijdstip))

    def password_hash(self, gebruiker: str) -> str | None:
        with self._read() as cur:
            cur.execute(self.sql("SELECT hash FROM wachtwoorden WHERE gebruiker = ?"), (gebruiker,))
            row = cur.fetchone()
        return row[0] if row else None

    # --- API tokens ------------------------------------------------------------------------
    def add_token(self, ident: str, hash_: str, dienst: str | None, voor: str, omschrijving: str,
                  tijdstip: str, verloopt: str | None) -> None:
        with self._write() as cur:
            cur.execute(self.sql("INSERT INTO tokens (id, hash, dienst, voor, omschrijving, "
                                 "aangemaakt, verloopt) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                        (ident, hash_, dienst or "", voor, omschrijving, tijdstip, verloopt))

    def token(self, hash_: str) -> dict | None:
        """The token with this hash (revoked and expired ones too: the caller decides)."""
        with self._read() as cur:
            cur.execute(self.sql(f"SELECT {', '.join(TOKEN_COLUMNS)} FROM tokens WHERE hash = ?"),
                        (hash_,))
            row = cur.fetchone()
        return _token_row(row) if row else None

    def tokens(self) -> list[dict]:
        with self._read() as cur:
            cur.execute(f"SELECT {', '.join(TOKEN_COLUMNS)} FROM tokens ORDER BY aangemaakt, id")
            return [_token_row(r) for r in cur.fetchall()]

    def revoke_token(self, ident: str, tijdstip: str) -> bool:
        """Revoke a token by its id; False when there is no such active token."""
        with self._write() as cur:
            cur.execute(self.sql("UPDATE tokens SET ingetrokken = ? WHERE id = ? AND "
                                 "ingetrokken IS NULL"), (tijdstip, ident))
            return cur.rowcount == 1

    # --- sessions --------------------------------------------------------------------------
    def add_session(self, hash_: str, gebruiker: str, csrf: str, tijdstip: str,
                    verloopt: str) -> None:
        with self._write() as cur:
            cur.execute(self.sql("DELETE FROM sessies WHERE verloopt < ?"), (tijdstip,))
            cur.execute(self.sql("INSERT INTO sessies (hash, gebruiker, csrf, aangemaakt, gezien, "
                                 "verloopt) VALUES (?, ?, ?, ?, ?, ?)"),
                        (hash_, gebruiker, csrf, tijdstip, tijdstip, verloopt))

    def session(self, hash_: str) -> dict | None:
        with self._read() as cur:
            cur.execute(self.sql("SELECT gebruiker, csrf, aangemaakt, gezien, verloopt FROM sessies "
                                 "WHERE hash = ?"), (hash_,))
            row = cur.fetchone()
        if row is None:
            return None
        return dict(zip(("gebruiker", "csrf", "aangemaakt", "gezien", "verloopt"), row))

    def touch_session(self, hash_: str, tijdstip: str) -> None:
        with self._write() as cur:
            cur.execute(self.sql("UPDATE sessies SET gezien = ? WHERE hash = ?"), (tijdstip, hash_))

    def end_session(self, hash_: str) -> None:
        with self._write() as cur:
            cur.execute(self.sql("DELETE FROM sessies WHERE hash = ?"), (hash_,))

    # --- failed logins (the rate limit of every server process) ----------------------------
    def login_failures(self, keys: list[str], since: float) -> dict[str, list[float]]:
        """The moments of the failed logins of each key from `since` on, oldest first."""
        marks = ", ".join("?" for _ in keys)
        with self._read() as cur:
            cur.execute(self.sql(f"SELECT sleutel, moment FROM inlogpogingen WHERE sleutel IN "
                                 f"({marks}) AND moment >= ? ORDER BY moment"), (*keys, since))
            rows = cur.fetchall()
        out: dict[str, list[float]] = {k: [] for k in keys}
        for key, moment in rows:
            out[key].append(float(moment))
        return out

    def login_failed(self, keys: list[str], moment: float, forget_before: float) -> None:
        """Count a failed login against each key; attempts older than `forget_before` go."""
        with self._write() as cur:
            cur.execute(self.sql("DELETE FROM inlogpogingen WHERE moment < ?"), (forget_before,))
            for key in keys:
                cur.execute(self.sql("INSERT INTO inlogpogingen (sleutel, moment) VALUES (?, ?)"),
                            (key, moment))

    def login_reset(self, keys: list[str]) -> None:
        """A successful login forgets the failures counted against its keys."""
        marks = ", ".join("?" for _ in keys)
        with self._write() as cur:
            cur.execute(self.sql(f"DELETE FROM inlogpogingen WHERE sleutel IN ({marks})"), tuple(keys))


def _token_row(row) -> dict:
    out = dict(zip(TOKEN_COLUMNS, row))
    out["dienst"] = out["dienst"] or None
    return out
