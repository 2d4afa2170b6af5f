"""The register's detached signature (issue 14 item 2): over the exact bytes of the
unparameterised register, by the certificates' key, verifiable by Debian's openssl and by
``cryptography`` against the published certificate; an altered byte fails."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from cryptography import x509
from django.core.exceptions import ImproperlyConfigured

from awards import register
from awards.services.history import import_award
from signing import keys
from tests.clock import travel_to
from tests.factories import OrganisationFactory, staff_user
from tests.register.conftest import TODAY, make_award

pytestmark = pytest.mark.unit

URL = "/api/v1/public/register/"
D = dt.date
OPENSSL = shutil.which("openssl")
openssl = pytest.mark.skipif(OPENSSL is None, reason="Debian's openssl")


def fetch(api):
    body = api.get(URL)
    signature = api.get(URL + "signature/")
    pem = api.get(URL + "certificate.pem")
    assert (body.status_code, signature.status_code, pem.status_code) == (200, 200, 200)
    return body, signature, pem


def openssl_verify(tmp_path, content: bytes, signature: bytes, pem: bytes):
    (tmp_path / "register.json").write_bytes(content)
    (tmp_path / "register.p7s").write_bytes(signature)
    (tmp_path / "signer.pem").write_bytes(pem)
    # The command of the integrator page, as printed there.
    return subprocess.run(
        [
            OPENSSL, "cms", "-verify", "-inform", "DER", "-in", "register.p7s",
            "-content", "register.json", "-binary", "-CAfile", "signer.pem",
            "-purpose", "any", "-out", "/dev/null",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )  # fmt: skip


@openssl
def test_the_signature_verifies_with_openssl_against_the_published_certificate(
    api, awards, tmp_path
):
    body, signature, pem = fetch(api)
    assert signature["Content-Type"] == "application/pkcs7-signature"
    assert signature["X-Register-ETag"] == body["ETag"]
    assert signature["X-Register-As-Of"] == "2026-11-23"
    result = openssl_verify(tmp_path, body.content, signature.content, pem.content)
    assert result.returncode == 0, result.stderr
    assert "Verification successful" in result.stderr


@openssl
@pytest.mark.parametrize("where", [0, 40, -2])
def test_one_altered_byte_fails_verification(api, awards, tmp_path, where):
    body, signature, pem = fetch(api)
    altered = bytearray(body.content)
    altered[where] ^= 0x01
    result = openssl_verify(tmp_path, bytes(altered), signature.content, pem.content)
    assert result.returncode != 0
    assert "Verification successful" not in result.stderr


def test_the_signature_verifies_with_cryptography_and_names_the_published_certificate(api, awards):
    body, signature, pem = fetch(api)
    certificate = x509.load_pem_x509_certificates(pem.content)[0]
    assert keys.verify_cms_detached(body.content, signature.content, certificate)
    assert not keys.verify_cms_detached(body.content + b" ", signature.content, certificate)
    assert not keys.verify_cms_detached(body.content, signature.content[:-3], certificate)
    _key, foreign = keys.make_self_signed("别的政府")
    assert not keys.verify_cms_detached(body.content, signature.content, foreign)
    assert pem.content == keys.signer_certificate_pem()  # the certificates' own key


def test_the_signature_follows_the_register_after_a_change(
    api, programme, django_capture_on_commit_callbacks
):
    make_award(programme, D(2025, 1, 10))
    before_body, before_sig, pem = fetch(api)
    assert api.get(URL + "signature/").content == before_sig.content  # cached with the body

    with django_capture_on_commit_callbacks(execute=True):
        import_award(
            organisation=OrganisationFactory(),
            programme=programme,
            year=2024,
            announced_on=D(2024, 12, 1),
            actor=staff_user("office", programme=programme),
        )
    after_body, after_sig, _pem = fetch(api)
    assert after_body.content != before_body.content
    certificate = x509.load_pem_x509_certificates(pem.content)[0]
    assert keys.verify_cms_detached(after_body.content, after_sig.content, certificate)
    assert not keys.verify_cms_detached(before_body.content, after_sig.content, certificate)
    assert after_sig["X-Register-ETag"] == after_body["ETag"]


def test_the_next_day_is_a_new_snapshot_with_its_own_signature(api, awards):
    _body, signature, pem = fetch(api)
    travel_to(TODAY + dt.timedelta(days=1))
    body2, signature2, _ = fetch(api)
    assert b'"as_of":"2026-11-24"' in body2.content
    certificate = x509.load_pem_x509_certificates(pem.content)[0]
    assert keys.verify_cms_detached(body2.content, signature2.content, certificate)
    assert not keys.verify_cms_detached(body2.content, signature.content, certificate)


def test_the_signature_is_conditional(api, awards):
    signature = api.get(URL + "signature/")
    again = api.get(URL + "signature/", HTTP_IF_NONE_MATCH=signature["ETag"])
    assert again.status_code == 304


def test_an_unloadable_key_is_503_not_500(api, awards, monkeypatch):
    def broken(*args, **kwargs):
        raise ImproperlyConfigured("SIGNING_PKCS12_FILE cannot be read.")

    monkeypatch.setattr(keys, "sign_cms_detached", broken)
    monkeypatch.setattr(keys, "signer_certificate_pem", broken)
    for path in ("signature/", "certificate.pem"):
        response = api.get(URL + path)
        assert response.status_code == 503
        assert "签名密钥" in response.json()["detail"]
    assert api.get(URL).status_code == 200  # the register itself is still served


# --- The Atom feed -------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_atom_feed_lists_the_changes_newest_first(api, awards):
    response = api.get(URL + "feed.atom", {"changed_since": "2022-12-21"})
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)  # noqa: S314 - our own output
    entries = feed.findall(f"{ATOM}entry")
    got = [
        (e.find(f"{ATOM}updated").text[:10], [c.get("term") for c in e.findall(f"{ATOM}category")])
        for e in entries
    ]
    assert got == [
        ("2026-11-23", ["expired", "R6"]),
        ("2026-03-02", ["revoked", "R21"]),
        ("2025-01-10", ["awarded", "R12.8"]),
        ("2024-06-01", ["awarded", "R12.8"]),
        ("2023-11-23", ["awarded", "R12.8"]),
        ("2023-11-22", ["awarded", "R12.8"]),
        ("2022-12-21", ["expired", "R6"]),
    ]
    revoked = entries[1]
    assert revoked.find(f"{ATOM}title").text.startswith("撤销：被撤销有限公司")
    assert revoked.find(f"{ATOM}link").get("href").endswith(f"/verify/{awards.revoked.code}/")
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids)
    assert ids[1].endswith(f"register/{awards.revoked.code}/revoked")
    # Stable: the same request, the same feed.
    again = api.get(URL + "feed.atom", {"changed_since": "2022-12-21"})
    assert again.content == response.content
    assert (
        api.get(
            URL + "feed.atom", {"changed_since": "2022-12-21"}, HTTP_IF_NONE_MATCH=again["ETag"]
        ).status_code
        == 304
    )


def test_the_feed_defaults_to_the_last_year(api, awards):
    feed = ET.fromstring(api.get(URL + "feed.atom").content)  # noqa: S314
    days = [e.find(f"{ATOM}updated").text[:10] for e in feed.findall(f"{ATOM}entry")]
    assert days == ["2026-11-23", "2026-03-02"]


# --- The page for integrators --------------------------------------------------------------


def test_the_integrator_page_is_public_and_linked_from_the_registry(client, awards):
    page = client.get("/register/integrators/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "获奖登记册：对接说明" in text
    assert "openssl cms -verify -inform DER -in register.p7s" in text
    assert "/api/v1/public/register/certificate.pem" in text
    fingerprint = register.signer_fingerprint()
    assert fingerprint and fingerprint in text
    assert "/register/integrators/" in client.get("/awards/").content.decode()


@openssl
def test_the_fingerprint_on_the_page_is_what_openssl_prints(api, awards, tmp_path):
    (tmp_path / "signer.pem").write_bytes(api.get(URL + "certificate.pem").content)
    printed = subprocess.run(
        [OPENSSL, "x509", "-in", "signer.pem", "-noout", "-fingerprint", "-sha256"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed.strip().endswith(register.signer_fingerprint())
