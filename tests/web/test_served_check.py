"""The real server answers a check as `maatwerk check --json` does, over HTTP."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner
from webserver import add_person

EXAMPLES = "examples/voorstellen"


def _voorstel(root, name: str) -> dict:
    from maatwerk.engine.rules.load import parse_file
    return parse_file(root / EXAMPLES / f"{name}.yaml")[0]


def cli(*args):
    from maatwerk.cli.main import cli as group
    return CliRunner().invoke(group, [str(a) for a in args])


@pytest.mark.parametrize("name", ["utrecht-hbh-boven-norm", "someren-pgb-begeleiding",
                                  "utrecht-hbh-binnen-kaders"])

def test_check_is_the_cli_json(shared_server, root, name):
    add_person(shared_server.db, "c.check")
    with shared_server.api("c.check") as api:
        r = api.post("/api/v1/check", json=_voorstel(root, name))
    assert r.status_code == 200, r.text
    assert r.headers["api-version"] == "1.0.0"
    result = cli("check", root / EXAMPLES / f"{name}.yaml", "--json")
    assert result.exit_code == 0
    assert r.json() == json.loads(result.stdout)


def test_bad_voorstel_gives_every_problem_with_its_pointer(shared_server, root, tmp_path):
    data = _voorstel(root, "utrecht-hbh-boven-norm")
    data["voorzieningen"][0]["volume"] = "veel"
    data["gemeentee"] = "gm0344"
    del data["client"]
    add_person(shared_server.db, "c.check")
    with shared_server.api("c.check") as api:
        r = api.post("/api/v1/check", json=data)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    by_pointer = {e["pointer"]: e for e in body["errors"]}
    assert set(by_pointer) == {"/voorzieningen/0/volume", "/gemeentee", "/client"}
    assert by_pointer["/client"]["code"] == "ontbreekt"
    assert by_pointer["/gemeentee"]["code"] == "onbekend-veld"
    assert by_pointer["/voorzieningen/0/volume"]["index"] == 0
    assert by_pointer["/voorzieningen/0/volume"]["name"] == "voorzieningen.1.volume"
    # the same Dutch as the CLI prints for the same file
    path = tmp_path / "slecht.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("check", path)
    assert result.exit_code == 1
    printed = {p.what + "; " + p.hint for p in result.exception.problems}
    assert {e["detail"] for e in body["errors"]} == printed


def test_unknown_gemeente_points_at_the_gemeente(shared_server, root):
    data = _voorstel(root, "utrecht-hbh-boven-norm")
    data["gemeente"] = "gm9999"
    add_person(shared_server.db, "c.check")
    with shared_server.api("c.check") as api:
        r = api.post("/api/v1/check", json=data)
    assert r.status_code == 422
    assert [e["pointer"] for e in r.json()["errors"]] == ["/gemeente"]
    assert "geen rulesets voor gemeente gm9999" in r.json()["detail"]


@pytest.mark.parametrize("body,status", [(b"{", 400), (b"[1, 2]", 422), (b'"x"', 422),
                                          (b"\xff\xfe", 400), (b"[" * 100_000, 400),
                                          (b'{"volume": NaN}', 400)])
def test_body_that_is_no_voorstel(shared_server, body, status):
    add_person(shared_server.db, "c.check")
    with shared_server.api("c.check") as api:
        r = api.post("/api/v1/check", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["status"] == status and r.json()["detail"]


def test_rulesets_list_show_and_diff_are_the_cli_json(shared_server):
    add_person(shared_server.db, "c.check")
    with shared_server.api("c.check") as api:
        listed = api.get("/api/v1/rulesets")
        shown = api.get("/api/v1/rulesets/gm0344-wmo@2016.1")
        diffed = api.get("/api/v1/rulesets/gm0847-wmo@2024.1/diff/gm0847-wmo@2024.2")
        unknown = api.get("/api/v1/rulesets/gm0344-wmo@1999.1")
    for r, args in ((listed, ["ruleset", "list", "--json"]),
                    (shown, ["ruleset", "show", "gm0344-wmo@2016.1", "--json"]),
                    (diffed, ["ruleset", "diff", "gm0847-wmo@2024.1", "gm0847-wmo@2024.2",
                              "--json"])):
        assert r.status_code == 200, r.text
        assert r.json() == json.loads(cli(*args).stdout)
    assert unknown.status_code == 404 and "bedoelde u" in unknown.json()["detail"]
