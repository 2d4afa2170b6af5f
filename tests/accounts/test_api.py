"""Accounts API of API.md: register, token, me."""

import pytest

from accounts.models import User
from accounts.services.users import REGISTRATION_RECEIVED
from organisations.models import Organisation
from tests.conftest import login_api

pytestmark = pytest.mark.unit

VALID = {
    "username": "greenmilk",
    "password": "a-long-passphrase-9",
    "organisation": {
        "name": "绿原乳业有限公司",
        "uscc": "91440300708461136T",
        "kind": "enterprise",
        "region": "鄂托克前旗",
        "registered_on": "2012-05-01",
    },
}


def test_register_creates_enterprise_user_and_organisation(api, db):
    response = api.post("/api/v1/accounts/register/", VALID, format="json")
    assert response.status_code == 201, response.content
    # The neutral answer of issue 8 item 13: it names neither the user nor the organisation.
    assert response.json() == {"detail": str(REGISTRATION_RECEIVED)}
    user = User.objects.get(username="greenmilk")
    assert user.role_names() == ["enterprise"]
    assert user.organisation.uscc == "91440300708461136T"
    assert user.organisation.kind == "enterprise"


def test_register_refuses_a_bad_uscc_checksum_in_chinese(api, db):
    body = {**VALID, "organisation": {**VALID["organisation"], "uscc": "91440300708461136X"}}
    response = api.post("/api/v1/accounts/register/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "organisation": {"uscc": ["统一社会信用代码校验位不正确，请核对后重新输入。"]}
    }
    assert not User.objects.exists()


def test_register_refuses_unknown_kind_R3(api, db):
    body = {**VALID, "organisation": {**VALID["organisation"], "kind": "company"}}
    response = api.post("/api/v1/accounts/register/", body, format="json")
    assert response.status_code == 400
    assert "kind" in response.json()["organisation"]


def test_register_a_registered_uscc_files_a_claim_and_a_weak_password_is_refused(api, db):
    """Issue 8 item 13: a second registration of a USCC answers as the first did, and the new
    account gets a claim instead of the organisation."""
    first = api.post("/api/v1/accounts/register/", VALID, format="json")
    again = {**VALID, "username": "other"}
    response = api.post("/api/v1/accounts/register/", again, format="json")
    assert (response.status_code, response.json()) == (first.status_code, first.json())
    other = User.objects.get(username="other")
    assert other.organisation is None
    assert [c.uscc for c in other.organisation_claims.all()] == ["91440300708461136T"]
    weak = {
        **VALID,
        "username": "third",
        "password": "12345678",
        "organisation": {**VALID["organisation"], "uscc": "914403001922038216"},
    }
    response = api.post("/api/v1/accounts/register/", weak, format="json")
    assert response.status_code == 400
    assert "password" in response.json()
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [{}, {"username": "x"}, {"username": "x", "password": "y", "organisation": "not-a-dict"}],
)
def test_register_bad_input_is_400_not_500(api, db, body):
    response = api.post("/api/v1/accounts/register/", body, format="json")
    assert response.status_code == 400


def test_token_then_me(api, office):
    office.set_password("s3cret-pass-9")
    office.save()
    response = api.post("/api/v1/auth/token/", {"username": "office1", "password": "s3cret-pass-9"})
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/accounts/me/")
    assert me.status_code == 200
    assert me.json() == {
        "id": office.pk,
        "username": "office1",
        "name": office.name,
        "roles": ["office"],
        "organisation": None,
        "claims": [],
    }


def test_token_refuses_a_wrong_password(api, office):
    response = api.post("/api/v1/auth/token/", {"username": "office1", "password": "wrong"})
    assert response.status_code == 400


def test_me_requires_login(api, db):
    assert api.get("/api/v1/accounts/me/").status_code == 401


def test_me_for_enterprise(enterprise_user):
    me = login_api(enterprise_user).get("/api/v1/accounts/me/").json()
    assert me["roles"] == ["enterprise"]
    assert me["organisation"] == enterprise_user.organisation_id
