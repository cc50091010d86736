"""Who is asking comes from a login or a token, never from the request; sessions, CSRF,
rate limits, revoked and expired tokens, over real HTTP."""

from __future__ import annotations

import re

import pytest
from webserver import add_person, make_token


def _form(client, path="/inloggen"):
    page = client.get(path)
    assert page.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def test_login_session_cookie_and_logout(shared_server):
    add_person(shared_server.db, "s.sessie", wachtwoord="een-lang-wachtwoord")
    with shared_server.client(follow_redirects=False) as web:
        assert web.post("/api/v1/check", json={}).status_code == 401
        csrf = _form(web)
        r = web.post("/inloggen", data={"gebruiker": "s.sessie", "wachtwoord":
                                        "een-lang-wachtwoord", "csrf": csrf, "volgende": "/x"})
        assert r.status_code == 303 and r.headers["location"] == "/x"
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
        # a safe request with the session works; a change without the CSRF token does not
        assert web.post("/api/v1/check", json={}).status_code == 403
        session_csrf = _session_csrf(shared_server, web)
        r = web.post("/api/v1/check", json={}, headers={"x-csrf-token": session_csrf})
        assert r.status_code == 422          # authenticated; the empty voorstel is refused
        r = web.post("/uitloggen", data={"csrf": session_csrf})
        assert r.status_code == 303
        web.cookies.clear()
        assert web.post("/api/v1/check", json={}).status_code == 401


def _session_csrf(server, web) -> str:
    from maatwerk.engine.log import secret
    from maatwerk.engine.log.store.open import opened
    with opened(server.db) as store:
        return store.session(secret.token_hash(web.cookies["maatwerk_sessie"]))["csrf"]


def test_login_refuses_a_forged_form_and_open_redirects(shared_server):
    add_person(shared_server.db, "s.redirect", wachtwoord="een-lang-wachtwoord")
    with shared_server.client(follow_redirects=False) as web:
        r = web.post("/inloggen", data={"gebruiker": "s.redirect", "wachtwoord":
                                        "een-lang-wachtwoord", "csrf": "vals"})
        assert r.status_code == 403 and "maatwerk_sessie" not in web.cookies
        csrf = _form(web)
        r = web.post("/inloggen", data={"gebruiker": "s.redirect", "wachtwoord":
                                        "een-lang-wachtwoord", "csrf": csrf,
                                        "volgende": "//evil.example/"})
        assert r.status_code == 303 and r.headers["location"] == "/"


def test_login_is_rate_limited(shared_server):
    add_person(shared_server.db, "s.limiet", wachtwoord="een-lang-wachtwoord")
    with shared_server.client(follow_redirects=False) as web:
        statuses = []
        for _ in range(6):
            csrf = _form(web)
            statuses.append(web.post("/inloggen", data={
                "gebruiker": "s.limiet", "wachtwoord": "fout-fout-fout", "csrf": csrf}).status_code)
        assert statuses == [401] * 5 + [429]
        csrf = _form(web)
        r = web.post("/inloggen", data={"gebruiker": "s.limiet", "wachtwoord":
                                        "een-lang-wachtwoord", "csrf": csrf})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0


def test_the_login_limit_holds_across_server_processes(server, tmp_path):
    """Two servers on one log (as `--workers 2` or two machines behind a balancer) count the
    same failures: three on one and two on the other, and the sixth try is refused on both.
    The table holds hashes, not the name or the address."""
    import webserver
    add_person(server.db, "s.twee", wachtwoord="een-lang-wachtwoord")
    other = webserver.start(server.db, tmp_path)
    try:
        statuses = []
        for target in (server, server, server, other, other, server, other):
            with target.client(follow_redirects=False) as web:
                csrf = _form(web)
                statuses.append(web.post("/inloggen", data={
                    "gebruiker": "s.twee", "wachtwoord": "fout-fout-fout", "csrf": csrf}).status_code)
    finally:
        other.stop()
    assert statuses == [401] * 5 + [429, 429]
    from maatwerk.engine.log.store.open import opened
    from maatwerk.web.login import Limiter
    keys = Limiter.keys("s.twee", "127.0.0.1")
    with opened(server.db) as store:
        counted = store.login_failures(keys, 0)
    assert [len(counted[k]) for k in keys] == [5, 5]
    assert all(len(k) == 64 and "twee" not in k for k in keys)   # the table checks the length


def test_a_page_without_login_redirects_to_the_login(shared_server):
    with shared_server.client(follow_redirects=False) as web:
        r = web.get("/inloggen")
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("header", ["Bearer mw_00000000_" + "a" * 43, "Bearer rubbish",
                                    "Basic dXNlcjpwdw=="])
def test_unknown_or_malformed_token(shared_server, header):
    with shared_server.client() as api:
        r = api.post("/api/v1/check", json={}, headers={"Authorization": header})
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert r.headers["content-type"] == "application/problem+json"


def test_revoked_and_expired_tokens(shared_server):
    from click.testing import CliRunner
    from maatwerk.cli.main import cli
    add_person(shared_server.db, "s.token")
    token = make_token(shared_server.db, "s.token")
    with shared_server.client(token) as api:
        assert api.post("/api/v1/check", json={}).status_code == 422
        ident = token.split("_")[1]
        result = CliRunner().invoke(cli, ["token", "intrekken", ident, "--db", shared_server.db])
        assert result.exit_code == 0, result.output
        r = api.post("/api/v1/check", json={})
        assert r.status_code == 401 and "ingetrokken" in r.json()["detail"]
    expired = make_token(shared_server.db, "s.token", verloopt="2020-01-01T00:00:00Z")
    with shared_server.client(expired) as api:
        r = api.post("/api/v1/check", json={})
        assert r.status_code == 401 and "verlopen" in r.json()["detail"]


def test_token_cli_shows_the_token_once_and_never_again(shared_server):
    import json

    from click.testing import CliRunner
    from maatwerk.cli.main import cli
    add_person(shared_server.db, "s.cli")
    made = CliRunner().invoke(cli, ["token", "maak", "--voor", "s.cli", "--dienst", "suite4sd",
                                    "--json", "--db", shared_server.db])
    assert made.exit_code == 0, made.output
    token = json.loads(made.stdout)["token"]
    listed = CliRunner().invoke(cli, ["token", "list", "--json", "--db", shared_server.db])
    assert token not in listed.stdout
    assert {"voor": "s.cli", "dienst": "suite4sd"}.items() <= [
        t for t in json.loads(listed.stdout)["tokens"] if t["voor"] == "s.cli"][0].items()
    unknown = CliRunner().invoke(cli, ["token", "maak", "--voor", "niemand", "--db",
                                       shared_server.db])
    assert unknown.exit_code == 1
