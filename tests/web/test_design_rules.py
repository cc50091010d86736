"""NLGov REST API Design Rules, each checked against the served /openapi.json and responses."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def doc(shared_server):
    with shared_server.client() as client:
        r = client.get("/openapi.json", headers={"Origin": "https://elders.example"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"          # CORS allowed
    return r.json()


def test_openapi_3_with_contact_and_semver(doc):
    assert doc["openapi"].startswith("3.")
    assert {"name", "email", "url"} <= set(doc["info"]["contact"])
    assert re.fullmatch(r"\d+\.\d+\.\d+", doc["info"]["version"])


def test_major_version_in_the_server_url(doc):
    major = doc["info"]["version"].split(".")[0]
    assert [s["url"] for s in doc["servers"]] == [f"/api/v{major}"]


def test_paths_kebab_case_without_trailing_slash(doc):
    for path in doc["paths"]:
        assert not path.endswith("/"), path
        for segment in path.strip("/").split("/"):
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*|\{[a-z][A-Za-z0-9]*\}", segment), path


def test_query_keys_lower_camel_case_and_schemas_upper_camel_case(doc):
    for item in doc["paths"].values():
        for op in item.values():
            for p in op.get("parameters", []):
                assert re.fullmatch(r"[a-z][A-Za-z0-9]*", p["name"]), p["name"]
    for name in doc["components"]["schemas"]:
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name), name


def test_every_error_response_is_problem_json(doc):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for code, resp in op["responses"].items():
                if code.startswith(("4", "5")):
                    assert list(resp["content"]) == ["application/problem+json"], (path, code)


def test_dutch_descriptions_and_examples_from_the_bundled_rulesets(doc):
    """The examples come with the package (each bundled ruleset's voorbeeld_voorstel), not
    from the repository's examples/ folder, which a wheel does not hold."""
    from maatwerk.engine.rules.catalog import bundled_folder
    from maatwerk.engine.rules.load import voorstel_from_data
    body = doc["paths"]["/check"]["post"]["requestBody"]["content"]["application/json"]
    files = {f"{p.parent.name}-{p.stem}" for p in bundled_folder().glob("*/*.yaml")}
    assert set(body["examples"]) == files
    for name, example in body["examples"].items():
        assert example["summary"].startswith("Voorbeeldvoorstel van ruleset ")
        voorstel_from_data(example["value"], name)
    assert "afwijking" in doc["paths"]["/check"]["post"]["description"]


def test_api_version_header_and_landing_page(shared_server, doc):
    with shared_server.client() as client:
        r = client.get("/api/v1")
        assert r.status_code == 200 and r.json()["links"]["openapi"]["href"] == "/openapi.json"
        assert r.headers["api-version"] == doc["info"]["version"]
        missing = client.get("/api/v1/bestaat-niet")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
        assert {"status", "title", "detail", "instance"} <= set(missing.json())
        assert "api-version" not in missing.headers
        assert client.get("/api/v1/").status_code == 404           # no trailing slashes
        preflight = client.options("/openapi.json", headers={
            "Origin": "https://elders.example", "Access-Control-Request-Method": "GET"})
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == "*"


def test_oversized_body_is_413(shared_server):
    from webserver import add_person
    add_person(shared_server.db, "r.groot")
    with shared_server.api("r.groot") as api:
        r = api.post("/api/v1/check", content=b"{" + b" " * 2_000_000 + b"}",
                     headers={"content-type": "application/json"})
        assert r.status_code == 413 and r.headers["content-type"] == "application/problem+json"
        chunks = (b" " * 100_000 for _ in range(20))
        r = api.post("/api/v1/check", content=chunks, headers={"content-type": "application/json"})
        assert r.status_code == 413
