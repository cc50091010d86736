"""The whole loop over real HTTP, on SQLite and PostgreSQL: check → record → justify →
ask a colleague → remark → approve by a teamleider → show → verify; and the impersonation
of issue 11 refused over the API."""

from __future__ import annotations

import pytest
from webserver import add_person, make_token

EXAMPLE = "examples/voorstellen/someren-pgb-begeleiding.yaml"
TEKST = "De cliënt heeft een zeldzame aandoening waardoor de informele hulp meer uren vraagt"


@pytest.fixture
def voorstel(root) -> dict:
    from maatwerk.engine.rules.load import parse_file
    return parse_file(root / EXAMPLE)[0]


@pytest.fixture
def team(server):
    for naam, rollen in (("c.jansen", ("consulent",)), ("m.bakker", ("consulent",)),
                         ("t.devries", ("teamleider",)), ("a.visser", ("auditor",))):
        add_person(server.db, naam, rollen)
    return {naam: server.api(naam) for naam in ("c.jansen", "m.bakker", "t.devries",
                                                "a.visser")}


def test_the_whole_loop(server, team, voorstel):
    consulent, collega, teamleider, auditor = (team[n] for n in ("c.jansen", "m.bakker",
                                                                 "t.devries", "a.visser"))
    checked = consulent.post("/api/v1/check", json=voorstel).json()
    kaders = [(a["kader"], a["voorziening"]) for a in checked["afwijkingen"]]
    assert len(kaders) == 2
    r = consulent.post("/api/v1/besluiten", json={"voorstel": voorstel, "team": "wijk-noord"})
    assert r.status_code == 201, r.text
    besluit = r.json()["besluit"]
    assert r.headers["location"] == f"/api/v1/besluiten/{besluit}"
    assert r.json()["status"] == "open"
    for kader, n in kaders:
        r = consulent.post(f"/api/v1/besluiten/{besluit}/motiveringen",
                           json={"kader": kader, "voorziening": n, "tekst": TEKST,
                                 "grond": "awb-4:84"})
        assert r.status_code == 201, r.text
    kader, n = kaders[0]
    r = consulent.post(f"/api/v1/besluiten/{besluit}/meelezen",
                       json={"kader": kader, "voorziening": n, "collega": "m.bakker"})
    assert r.status_code == 201, r.text
    r = collega.post(f"/api/v1/besluiten/{besluit}/opmerkingen",
                     json={"kader": kader, "voorziening": n,
                           "tekst": "Goed onderbouwd; noem ook de datum van de herindicatie"})
    assert r.status_code == 201, r.text
    queue = teamleider.get("/api/v1/wachtrij").json()
    assert {(w["kader"], w["voorziening"]) for w in queue["wachtrij"]} == set(kaders)
    short = besluit[:6]
    for kader, n in kaders:
        r = teamleider.post(f"/api/v1/besluiten/{short}/akkoorden",
                            json={"kader": kader, "voorziening": n})
        assert r.status_code == 201, r.text
    shown = consulent.get(f"/api/v1/besluiten/{short}").json()
    assert shown["besluit"] == besluit and shown["status"] == "afwijking gemotiveerd"
    first = next(a for a in shown["afwijkingen"] if a["kader"] == kader)
    assert all(a["akkoord"]["door"] == "t.devries" for a in shown["afwijkingen"])
    remark = next(a for a in shown["afwijkingen"] if a["opmerkingen"])
    assert remark["opmerkingen"][0]["door"] == "m.bakker" and first
    assert teamleider.get("/api/v1/wachtrij").json()["aantal"] == 0
    listed = consulent.get("/api/v1/besluiten", params={"team": "wijk-noord"}).json()
    assert [b["besluit"] for b in listed["besluiten"]] == [besluit]
    verified = auditor.get("/api/v1/audit/verify")
    assert verified.status_code == 200, verified.text
    assert verified.json()["besluiten"] == 1


def test_the_impersonation_of_issue_11_is_refused(server, team, voorstel):
    consulent = team["c.jansen"]
    besluit = consulent.post("/api/v1/besluiten", json={"voorstel": voorstel}).json()["besluit"]
    kader = consulent.post("/api/v1/check", json=voorstel).json()["afwijkingen"][0]
    ref = {"kader": kader["kader"], "voorziening": kader["voorziening"]}
    # a motivering under a colleague's name: there is no field for it
    r = consulent.post(f"/api/v1/besluiten/{besluit}/motiveringen",
                       json={**ref, "tekst": TEKST, "door": "m.bakker"})
    assert r.status_code == 422
    assert [e["pointer"] for e in r.json()["errors"]] == ["/door"]
    assert consulent.post(f"/api/v1/besluiten/{besluit}/motiveringen",
                          json={**ref, "tekst": TEKST}).status_code == 201
    # the akkoord under his own name "as teamleider": he does not hold the role
    r = consulent.post(f"/api/v1/besluiten/{besluit}/akkoorden", json={**ref, "rol": "teamleider"})
    assert r.status_code == 422
    r = consulent.post(f"/api/v1/besluiten/{besluit}/akkoorden", json=ref)
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    # a teamleider who wrote the motivering cannot approve it either (four eyes)
    add_person(server.db, "c.jansen", ("consulent", "teamleider"))
    r = consulent.post(f"/api/v1/besluiten/{besluit}/akkoorden", json=ref)
    assert r.status_code == 403 and "vier ogen" in r.json()["detail"]
    shown = consulent.get(f"/api/v1/besluiten/{besluit}").json()
    assert shown["status"] == "open"
    assert [e["soort"] for e in shown["geschiedenis"]] == ["besluit vastgelegd",
                                                            "motivering toegevoegd"]
    # a case system's token acts for c.jansen: the event names both (on PostgreSQL the
    # service the database records is the server's own login)
    token = make_token(server.db, "c.jansen", dienst="suite4sd")
    with server.client(token) as api:
        r = api.post("/api/v1/besluiten", json={"voorstel": {**voorstel, "id": "VIA-SUITE"}})
        assert r.status_code == 201, r.text
        event = api.get(f"/api/v1/besluiten/{r.json()['besluit']}").json()["vastgelegd"]
    assert event["door"] == "c.jansen"
    if server.db.startswith("postgresql"):
        assert event["dienst"] and event["dienst"] != "c.jansen"
    else:
        assert event["dienst"] == "suite4sd"


def test_the_list_pages_with_a_cursor_and_a_link_to_the_next_page(server, team, voorstel):
    """GET /api/v1/besluiten: `limiet` per page, `volgende` the cursor, `Link: <…>; rel="next"`
    the whole URL of the next page; following them gives every besluit once, newest first."""
    consulent = team["c.jansen"]
    made = [consulent.post("/api/v1/besluiten", json={"voorstel": {**voorstel, "id": f"V-{i}"}})
            .json()["besluit"] for i in range(5)]
    seen, url, params = [], "/api/v1/besluiten", {"limiet": 2}
    while True:
        r = consulent.get(url, params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        seen += [b["besluit"] for b in body["besluiten"]]
        if body["volgende"] is None:
            assert "link" not in r.headers
            break
        link = r.headers["link"]
        assert link.endswith('>; rel="next"') and f"cursor={body['volgende']}" in link
        url, params = link[1:link.index(">")], None
    assert seen == made[::-1]
    r = consulent.get("/api/v1/besluiten", params={"cursor": "niet-van-een-pagina"})
    assert r.status_code == 400 and "cursor" in r.json()["detail"]
