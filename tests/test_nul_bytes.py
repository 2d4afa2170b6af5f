"""NUL bytes are refused with 400 everywhere (PostgreSQL cannot store them)."""

import pytest

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "url", ["/verify/%00/", "/awards/?q=%00", "/awards/?status=%00x", "/survey/a%00b/"]
)
def test_nul_in_the_url_is_400(client, db, url):
    assert client.get(url).status_code == 400


def test_nul_in_a_form_is_400(client, db):
    response = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


def test_nul_in_json_is_400(api, db):
    response = api.post("/api/v1/accounts/register/", {"username": "a\x00"}, format="json")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
