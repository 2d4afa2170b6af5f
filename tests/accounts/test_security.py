"""Brute-force lockout of logins, the Content Security Policy, and the API docs served
without the internet."""

import pytest

pytestmark = pytest.mark.unit


def test_five_wrong_passwords_lock_the_login_for_that_user(client, office):
    office.set_password("s3cret-pass-9")
    office.save()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "office1", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "office1", "password": "s3cret-pass-9"})
    assert response.status_code == 429
    assert "暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_token_endpoint_is_locked_too(api, office):
    office.set_password("s3cret-pass-9")
    office.save()
    for _ in range(5):
        api.post("/api/v1/auth/token/", {"username": "office1", "password": "wrong"})
    response = api.post("/api/v1/auth/token/", {"username": "office1", "password": "s3cret-pass-9"})
    # Locked: the right password no longer yields a token.
    assert response.status_code in (400, 403, 429)
    assert "token" not in response.json()


def test_a_lockout_is_per_user_and_address(client, office, committee):
    committee.set_password("s3cret-pass-9")
    committee.save()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "office1", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "committee1", "password": "s3cret-pass-9"}
    )
    assert response.status_code == 302


def test_pages_carry_a_content_security_policy(client, db):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy


def test_api_docs_are_served_from_the_portal(client, db):
    page = client.get("/api/v1/docs/").content.decode()
    assert "cdn.jsdelivr.net" not in page
    assert "/static/drf_spectacular_sidecar/" in page
    assert client.get("/api/v1/schema/").status_code == 200


def test_behind_a_trusted_proxy_one_clients_lockout_spares_the_others(client, office, settings):
    """Behind a reverse proxy every request comes from the proxy's address: without
    TRUSTED_PROXIES one person's five wrong passwords would lock the account for everyone."""
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    office.set_password("s3cret-pass-9")
    office.save()
    for _ in range(5):
        client.post(
            "/accounts/login/",
            {"username": "office1", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    locked = client.post(
        "/accounts/login/",
        {"username": "office1", "password": "s3cret-pass-9"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    assert locked.status_code == 429
    colleague = client.post(
        "/accounts/login/",
        {"username": "office1", "password": "s3cret-pass-9"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert colleague.status_code == 302


def test_a_forged_forwarded_for_does_not_escape_a_lockout(client, office, settings):
    settings.TRUSTED_PROXIES = []
    office.set_password("s3cret-pass-9")
    office.save()
    for n in range(5):
        client.post(
            "/accounts/login/",
            {"username": "office1", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = client.post(
        "/accounts/login/",
        {"username": "office1", "password": "s3cret-pass-9"},
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert response.status_code == 429
