"""The whole API, fuzzed from its own OpenAPI document with schemathesis (bounded).

For every operation, generated requests (valid and invalid) against the real server:
never a 500, every status code documented, every response (problems included)
matching its schema and content type.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks as openapi_checks
from webserver import add_person, make_token

EXAMPLES_PER_OPERATION = 25
CHECKS = [schemathesis.checks.not_a_server_error, openapi_checks.status_code_conformance,
          openapi_checks.content_type_conformance, openapi_checks.response_schema_conformance]


@pytest.fixture(scope="module")
def fuzz_token(shared_server):
    add_person(shared_server.db, "f.fuzz", ("consulent", "teamleider", "auditor",
                                            "beleidsmedewerker"))
    return make_token(shared_server.db, "f.fuzz")


@pytest.fixture(scope="module")
def api_schema(shared_server):
    # the explicit examples and the random phase; the coverage phase alone would run
    # thousands of cases against the voorstel schema
    config = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})
    return schemathesis.openapi.from_url(f"{shared_server.url}/openapi.json", config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_holds_its_own_contract(case, fuzz_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_token}"}, checks=CHECKS)
