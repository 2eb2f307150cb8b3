"""Property-based run of the API against its own OpenAPI document (WSGI, no network): no 5xx, and every response
conforms to the documented schema. Bounded: a few examples per operation."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)


@pytest.fixture
def api_schema(app, org):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms(case, org):
    headers = {"Authorization": f"Bearer {org['tokens']['head']}"}
    response = case.call(headers=headers)
    case.validate_response(response, checks=(not_a_server_error, response_schema_conformance,
                                             status_code_conformance, content_type_conformance))
