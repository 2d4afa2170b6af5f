"""The signing key (issue 14 item 1): configured by PKCS#12 from the environment, else a demo key
made once under var/ with owner-only permissions; detached CMS signatures with it."""

import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from signing import keys

pytestmark = pytest.mark.unit


def test_the_demo_key_is_made_once_and_loaded_the_same_afterwards(settings, tmp_path):
    path = tmp_path / "var" / "signing_demo.p12"
    settings.SIGNING_PKCS12_FILE = ""
    settings.SIGNING_DEMO_FILE = str(path)
    settings.SIGNING_DEMO_SUBJECT = "某县人民政府"
    first = keys.load_signer()[1]
    assert path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert keys.signer_name() == "某县人民政府"
    keys.reset_cache()  # a new process
    again = keys.load_signer()[1]
    assert again == first
    assert keys.certificate_fingerprint(again) == keys.certificate_fingerprint(first)


def test_a_configured_pkcs12_file_and_password_are_used(as_foreign_signer):
    as_foreign_signer()
    assert keys.signer_name() == "某冒名签发机构"


def test_a_wrong_password_or_missing_file_is_a_configuration_error(settings, foreign_p12, tmp_path):
    settings.SIGNING_PKCS12_FILE = str(foreign_p12)
    settings.SIGNING_PKCS12_PASSWORD = "wrong"
    with pytest.raises(ImproperlyConfigured, match="SIGNING_PKCS12_PASSWORD"):
        keys.load_signer()
    settings.SIGNING_PKCS12_FILE = str(tmp_path / "absent.p12")
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        keys.load_signer()


def test_detached_cms_signature_checks_over_the_exact_bytes_only(as_foreign_signer):
    data = b'{"awards": []}'
    signature = keys.sign_cms_detached(data)
    assert signature[:1] == b"\x30"  # DER
    assert keys.verify_cms_detached(data, signature)
    assert not keys.verify_cms_detached(data + b" ", signature)
    assert not keys.verify_cms_detached(data, b"not a signature")
    ours = keys.load_signer()[1]
    as_foreign_signer()
    foreign = keys.sign_cms_detached(data)
    assert not keys.verify_cms_detached(data, foreign, ours)
    assert keys.verify_cms_detached(data, foreign)  # against the (now) foreign certificate


def test_the_published_certificate_is_pem_of_the_signer():
    pem = keys.signer_certificate_pem()
    assert pem.startswith(b"-----BEGIN CERTIFICATE-----")
    assert len(keys.signer_certificate_der()) > 100
    assert len(keys.certificate_fingerprint()) == 64
