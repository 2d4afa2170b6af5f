"""The OpenAPI schema declares each operation's error answers (common/schema.py), so that a
client, and the schema fuzzing of tests/test_schemathesis.py, knows every status the API gives
(issue 8, "failing on any undocumented status")."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


def _authenticated(operation) -> bool:
    return any(requirement for requirement in operation.get("security", [{}]))


def test_every_operation_declares_bad_input_and_its_auth_answers(schema):
    operations = list(_operations(schema))
    assert len(operations) >= 60
    for path, method, operation in operations:
        codes = set(operation["responses"])
        label = f"{method} {path}"
        assert "400" in codes, label
        assert any(code.startswith("2") for code in codes), label
        if _authenticated(operation):
            assert {"401", "403"} <= codes, label
        if "{" in path:
            assert "404" in codes, label
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            assert {"409", "415"} <= codes, label


def test_public_operations_declare_no_401_and_rate_limited_ones_429(schema):
    responses = {(m, p): set(o["responses"]) for p, m, o in _operations(schema)}
    for path in ("/api/v1/public/objections/", "/api/v1/accounts/register/"):
        assert {"400", "429"} <= responses["POST", path]
        assert "401" not in responses["POST", path]
    assert "429" not in responses["POST", "/api/v1/cycles/"]
    # The login lockout answers 403 on the token endpoint, which takes no token itself.
    assert "403" in responses["POST", "/api/v1/auth/token/"]
    assert "401" not in responses["POST", "/api/v1/auth/token/"]
    assert "401" not in responses["GET", "/api/v1/public/verify/{code}/"]


def test_errors_use_the_one_error_format_and_explicit_declarations_win(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"detail", "rule"}
    assert error["additionalProperties"]
    ranking = schema["paths"]["/api/v1/cycles/{id}/ranking/"]["get"]["responses"]
    assert ranking["403"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    # organisations/api.py declares its own 400 (the rows' errors): it stays as declared.
    incident_import = schema["paths"]["/api/v1/organisations/incidents/import/"]["post"]
    assert incident_import["responses"]["400"]["content"]["application/json"]["schema"] != {
        "$ref": "#/components/schemas/Error"
    }
