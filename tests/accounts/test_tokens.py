"""API tokens expire and die with the password (issue 8 item 12)."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.services.tokens import issue_api_token, token_expired
from common.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.unit

PASSWORD = "s3cret-pass-9"


@pytest.fixture
def office_with_password(office):
    office.set_password(PASSWORD)
    office.save()
    return office


def get_token(api, username="office1", password=PASSWORD) -> str:
    response = api.post("/api/v1/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def me_status(token: str) -> tuple[int, dict]:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/accounts/me/")
    return response.status_code, response.json()


def age_token(key: str, hours: float) -> None:
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(hours=hours))


def test_token_answer_keeps_the_contract_and_says_when_it_expires(api, office_with_password):
    response = api.post("/api/v1/auth/token/", {"username": "office1", "password": PASSWORD})
    body = response.json()
    assert sorted(body) == ["expires_at", "token"]
    token = Token.objects.get(user=office_with_password)
    assert body["token"] == token.key
    expected = timezone.localtime(token.created + dt.timedelta(hours=24))
    assert dt.datetime.fromisoformat(body["expires_at"]) == expected


def test_token_expired_follows_the_setting_issue_8_item_12(settings, office):
    settings.API_TOKEN_TTL_HOURS = 2
    token = Token.objects.create(user=office)
    assert not token_expired(token, now=token.created + dt.timedelta(hours=2, seconds=-1))
    assert token_expired(token, now=token.created + dt.timedelta(hours=2))


def test_a_valid_token_is_given_again_until_it_expires_issue_8_item_12(office):
    first = issue_api_token(user=office)
    assert issue_api_token(user=office, now=first.created + dt.timedelta(hours=23)) == first
    later = issue_api_token(user=office, now=first.created + dt.timedelta(hours=24))
    assert later.key != first.key
    assert list(Token.objects.filter(user=office)) == [later]


def test_an_expired_token_answers_401_and_is_deleted_issue_8_item_12(api, office_with_password):
    key = get_token(api)
    age_token(key, 23.9)
    assert me_status(key)[0] == 200
    age_token(key, 24.1)
    status, body = me_status(key)
    assert status == 401
    assert body == {"detail": "登录令牌已过期，请重新获取（POST /api/v1/auth/token/）。"}
    assert not Token.objects.filter(key=key).exists()
    assert AuditEntry.objects.filter(action="api_token.expired").count() == 1
    # Asking again gives a new token that works.
    new_key = get_token(api)
    assert new_key != key
    assert me_status(new_key) == (
        200,
        {
            "id": office_with_password.pk,
            "username": "office1",
            "name": office_with_password.name,
            "roles": ["office"],
            "organisation": None,
            "claims": [],
        },
    )


def test_asking_for_a_token_after_expiry_without_using_it_gives_a_new_one(
    api, office_with_password
):
    key = get_token(api)
    age_token(key, 25)
    assert get_token(api) != key
    assert Token.objects.filter(user=office_with_password).count() == 1


def test_the_password_page_revokes_tokens_issue_8_item_12(api, client, office_with_password):
    key = get_token(api)
    client.force_login(office_with_password)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-pass-7",
            "new_password2": "another-long-pass-7",
        },
    )
    assert response.status_code == 302
    assert me_status(key)[0] == 401
    assert not Token.objects.filter(user=office_with_password).exists()
    entry = AuditEntry.objects.get(action="api_token.revoked")
    assert (entry.object_id, entry.reason) == (
        str(office_with_password.pk),
        "密码已更改，原登录令牌作废",
    )


def test_the_admin_password_form_revokes_tokens_issue_8_item_12(api, client, office_with_password):
    key = get_token(api)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/user/{office_with_password.pk}/password/",
        {"password1": "another-long-pass-7", "password2": "another-long-pass-7"},
    )
    assert response.status_code == 302
    office_with_password.refresh_from_db()
    assert office_with_password.check_password("another-long-pass-7")
    assert me_status(key)[0] == 401


def test_set_password_in_code_revokes_tokens_issue_8_item_12(api, office_with_password):
    key = get_token(api)
    office_with_password.set_password("another-long-pass-7")
    assert me_status(key)[0] == 200  # not saved yet: nothing changed
    office_with_password.save()
    assert me_status(key)[0] == 401


def test_an_unusable_password_revokes_tokens(api, office_with_password):
    key = get_token(api)
    office_with_password.set_unusable_password()
    office_with_password.save()
    assert me_status(key)[0] == 401


def test_a_hash_upgrade_at_login_is_not_a_password_change(settings, api, office_with_password):
    key = get_token(api)
    # A stronger hasher becomes the default: the next check re-hashes the same password.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert office_with_password.check_password(PASSWORD)
    office_with_password.refresh_from_db()
    assert office_with_password.password.startswith("pbkdf2_sha256$")
    assert me_status(key)[0] == 200


def test_other_saves_keep_the_token(api, office_with_password):
    key = get_token(api)
    office_with_password.name = "王主任"
    office_with_password.save()
    assert me_status(key)[0] == 200
