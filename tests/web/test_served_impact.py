"""`POST /api/v1/impact` is served, documented and asks for the beleidsmedewerker's role.

What it answers is `engine/audit/live.draft_impact`, tested against `audit impact
--parameter` in tests/audit/test_audit_bulk.py; roles come with the identity events.
"""

from __future__ import annotations

from webserver import add_person


def test_impact_is_documented_and_needs_a_role(shared_server):
    add_person(shared_server.db, "c.impact")
    with shared_server.api("c.impact") as api:
        doc = api.get("/openapi.json").json()
        r = api.post("/api/v1/impact", json={"ruleset": "gm0344-wmo@2016.1",
                                             "parameter": "hbh_basis_uren", "waarde": 100})
        bad = api.post("/api/v1/impact", json={"ruleset": "gm0344-wmo@2016.1", "waarde": 1,
                                               "parameter": "Hbh"})
    assert "post" in doc["paths"]["/impact"]
    assert r.status_code == 403, r.text
    assert "beleidsmedewerker" in r.json()["detail"]
    assert bad.status_code in (400, 403, 422)
