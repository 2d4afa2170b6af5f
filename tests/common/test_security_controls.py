"""Controls that docs/security.md maps to OWASP ASVS 4.0 and that no other test proved:
response headers (V14.4), session cookie attributes (V3.4), CSRF on pages and on the API's
session authentication (V4.2.2, V13.2.3), and output encoding of data a stranger chose (V5.3)."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.services.tokens import issue_api_token
from tests.awards.conftest import make_award
from tests.factories import EnterpriseUserFactory

pytestmark = pytest.mark.unit

PAYLOAD = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'


def test_pages_send_the_security_headers(client, db):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_session_cookie_is_httponly_and_the_password_is_checked(db, office):
    client = Client()
    office.set_password("Zq7-long-enough-pass")
    office.save()
    response = client.post(
        "/accounts/login/", {"username": office.username, "password": "Zq7-long-enough-pass"}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_a_page_form_without_the_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_the_api_with_a_session_needs_the_csrf_token_but_a_token_does_not(db):
    user = EnterpriseUserFactory()
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(user)
    url = f"/api/v1/organisations/{user.organisation_id}/"
    refused = session.patch(url, {}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    bearer = APIClient(enforce_csrf_checks=True)
    bearer.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user=user).key}")
    assert bearer.patch(url, {}, format="json").status_code != 403


def test_a_name_chosen_by_a_stranger_is_escaped_on_public_pages(client, programme):
    award = make_award(programme, name=f"企业{PAYLOAD}")
    for url in ("/awards/", f"/verify/{award.code}/"):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "&lt;script&gt;" in page, url
