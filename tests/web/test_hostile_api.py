"""Hostile use of the API: every refusal is a clear Dutch problem with the right status, and
nothing is written."""

from __future__ import annotations

import pytest
from webserver import add_person

EXAMPLE = "examples/voorstellen/someren-pgb-begeleiding.yaml"
TEKST = "De cliënt heeft een zeldzame aandoening waardoor de informele hulp meer uren vraagt"


@pytest.fixture(scope="module")
def people(shared_server):
    for naam, rollen in (("h.consulent", ("consulent",)), ("h.teamleider", ("teamleider",)),
                         ("h.beleid", ("beleidsmedewerker",))):
        add_person(shared_server.db, naam, rollen)
    return {n: shared_server.api(n) for n in ("h.consulent", "h.teamleider", "h.beleid")}


@pytest.fixture(scope="module")
def besluit(people, root):
    from maatwerk.engine.rules.load import parse_file
    voorstel = parse_file(root / EXAMPLE)[0]
    voorstel["id"] = "HOSTILE-1"
    r = people["h.consulent"].post("/api/v1/besluiten", json={"voorstel": voorstel})
    assert r.status_code == 201, r.text
    return r.json()["besluit"]


def _events(server) -> int:
    from maatwerk.engine.log.store.open import opened
    with opened(server.db) as store:
        return store.counts()["gebeurtenissen"]


@pytest.mark.parametrize("who,path,body,status,words", [
    ("h.consulent", "motiveringen", {"kader": "gm0847.pgb.informeel-ho", "voorziening": 1,
                                     "tekst": "n.v.t."}, 409, "motivering"),
    ("h.consulent", "motiveringen", {"kader": "bestaat.niet", "tekst": TEKST}, 409, "wijkt"),
    ("h.consulent", "motiveringen", {"kader": "gm0847.pgb.informeel-ho", "tekst": 12}, 422,
     "tekst"),
    ("h.consulent", "motiveringen", {"kader": "gm0847.pgb.informeel-ho", "tekst": TEKST,
                                     "door": "h.teamleider"}, 422, "onbekend veld"),
    ("h.teamleider", "akkoorden", {"kader": "gm0847.pgb.informeel-ho", "voorziening": 1}, 409,
     "nog geen motivering"),
    ("h.consulent", "akkoorden", {"kader": "gm0847.pgb.informeel-ho", "voorziening": 1}, 403,
     "teamleider"),
    ("h.beleid", "motiveringen", {"kader": "gm0847.pgb.informeel-ho", "voorziening": 1,
                                  "tekst": TEKST}, 403, "consulent"),
])
def test_refused_and_nothing_written(shared_server, people, besluit, who, path, body, status,
                                     words):
    before = _events(shared_server)
    r = people[who].post(f"/api/v1/besluiten/{besluit}/{path}", json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert words in r.text
    assert _events(shared_server) == before


@pytest.mark.parametrize("ident,status", [("B-000000000000", 404), ("B-0000", 404),
                                          ("B-12", 400), ("X'; DROP TABLE events;--", 400)])
def test_unknown_or_malformed_besluit(shared_server, people, ident, status):
    r = people["h.consulent"].get(f"/api/v1/besluiten/{ident}")
    assert r.status_code == status, r.text
    assert r.json()["status"] == status


def test_roles_guard_the_audit(shared_server, people):
    assert people["h.consulent"].get("/api/v1/audit/verify").status_code == 403
    assert people["h.beleid"].get("/api/v1/audit/report").status_code == 200
    assert people["h.consulent"].get("/api/v1/wachtrij").status_code == 403


def test_wrong_types_in_query_and_unknown_media_type(shared_server, people):
    api = people["h.consulent"]
    r = api.get("/api/v1/besluiten", params={"limiet": "veel"})
    assert r.status_code == 400
    assert r.json()["errors"][0] == {**r.json()["errors"][0], "in": "query", "location": "limiet"}
    r = api.post("/api/v1/check", content=b"id: x", headers={"content-type": "application/yaml"})
    assert r.status_code == 415


def test_a_bad_voorstel_in_a_record_points_into_the_voorstel(shared_server, people, root):
    from maatwerk.engine.rules.load import parse_file
    voorstel = parse_file(root / EXAMPLE)[0]
    del voorstel["client"]
    before = _events(shared_server)
    r = people["h.consulent"].post("/api/v1/besluiten", json={"voorstel": voorstel, "x": 1})
    assert r.status_code == 422
    assert [e["pointer"] for e in r.json()["errors"]] == ["/x"]
    r = people["h.consulent"].post("/api/v1/besluiten", json={"voorstel": voorstel})
    assert r.status_code == 422
    assert [e["pointer"] for e in r.json()["errors"]] == ["/voorstel/client"]
    assert _events(shared_server) == before
