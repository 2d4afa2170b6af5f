"""Input that used to raise a server error answers 400 with a message (issue 8, item 5)."""

import pytest

from common.parsers import MAX_JSON_DEPTH, json_depth

pytestmark = [pytest.mark.unit, pytest.mark.django_db]

ENDPOINTS = ["/api/v1/public/objections/", "/api/v1/accounts/register/", "/api/v1/auth/token/"]


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 900, 100_000])
def test_deeply_nested_json_is_a_400_issue8_item5(api, url, depth):
    response = api.post(url, "[" * depth + "]" * depth, content_type="application/json")
    assert response.status_code == 400
    if url != "/api/v1/auth/token/":  # DRF's own token view parses with its own parsers
        assert "嵌套" in response.json()["detail"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_deep_nesting_inside_a_value_is_a_400(api, url):
    body = '{"username": ' + "[" * 5000 + "]" * 5000 + ', "password": "x"}'
    response = api.post(url, body, content_type="application/json")
    assert response.status_code == 400


def test_ordinary_nesting_still_parses(api):
    response = api.post(
        "/api/v1/auth/token/", {"username": "nobody", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "嵌套" not in str(response.json())


@pytest.mark.parametrize(
    ("raw", "depth"),
    [
        (b"{}", 1),
        (b'{"a": [1, {"b": []}]}', 4),
        (b'{"text": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', 1),
        (b'{"text": "a \\" [[[[ \\\\", "b": [[]]}', 3),
        (b"[]]]]", 1),
    ],
)
def test_json_depth_ignores_brackets_in_strings(raw, depth):
    assert json_depth(raw) == depth
