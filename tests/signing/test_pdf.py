"""PAdES signatures on PDFs (issue 14 item 1): sign, verify, tamper one byte, verify again;
unsigned and foreign-signed files are not valid."""

import asyncio
import threading

import pytest

from signing.pdf import NotAPdf, check_pdf, sign_pdf
from tests.signing.conftest import blank_pdf, flip_byte, signed_pdf

pytestmark = pytest.mark.unit


def test_sign_verify_tamper_verify_again():
    signed = signed_pdf("abcDEF_123-x")
    check = check_pdf(signed)
    assert check.signature_valid
    assert check.signer == "award portal demo signer"
    assert check.code == "abcDEF_123-x"
    for at in (20, len(signed) // 2, len(signed) - 20):
        tampered = check_pdf(flip_byte(signed, at))
        assert not tampered.signature_valid, at


def test_the_signature_covers_the_whole_file():
    signed = signed_pdf()
    assert b"/Sig" in signed
    assert b"/ETSI.CAdES.detached" in signed
    assert not check_pdf(signed + b"\n%appended\n").signature_valid


def test_an_unsigned_pdf_is_not_valid_and_has_no_signer():
    check = check_pdf(blank_pdf("code1"))
    assert (check.signature_valid, check.signer, check.code) == (False, None, "code1")


def test_a_foreign_signed_pdf_is_not_valid_but_names_its_signer(as_foreign_signer):
    as_foreign_signer()
    foreign = sign_pdf(blank_pdf())
    as_foreign_signer(False)
    check = check_pdf(foreign)
    assert check.signature_valid is False
    assert check.signer == "某冒名签发机构"


@pytest.mark.parametrize("data", [b"", b"hello", b"\x00" * 100, b"PK\x03\x04 a zip"])
def test_what_is_not_a_pdf_is_refused(data):
    with pytest.raises(NotAPdf):
        check_pdf(data)


def test_a_pdf_broken_beyond_reading_is_simply_not_valid():
    check = check_pdf(b"%PDF-1.7\ngarbage award-portal-code:abc")
    assert (check.signature_valid, check.signer, check.code) == (False, None, "abc")


def test_signing_and_checking_work_inside_a_running_event_loop():
    """pyHanko runs its own event loop; a caller already inside one (an ASGI server, a test
    driving a browser) still gets a signed, checked file."""
    results = []

    async def inside():
        results.append(check_pdf(signed_pdf("LOOP-1")))

    # A thread of its own, so that this test's loop is the only one whatever ran before it.
    runner = threading.Thread(target=lambda: asyncio.run(inside()))
    runner.start()
    runner.join()
    (check,) = results
    assert check.signature_valid


def test_signing_uses_the_loaded_key_without_parsing_it_again(monkeypatch):
    """Issue 12 item 4: pyHanko parsed (and checked) the RSA key from DER twice per PDF, about
    40 % of a certificate's render time; the portal's signer signs with the key it loaded."""
    from cryptography.hazmat.primitives import serialization

    sign_pdf(blank_pdf())  # the signer is built once per key
    parsed = []
    real = serialization.load_der_private_key
    monkeypatch.setattr(
        serialization,
        "load_der_private_key",
        lambda *a, **k: parsed.append(1) or real(*a, **k),
    )
    signed = sign_pdf(blank_pdf("kept-key"))
    assert parsed == []
    check = check_pdf(signed)
    assert (check.signature_valid, check.code) == (True, "kept-key")


def test_a_new_signer_key_builds_a_new_signer(as_foreign_signer):
    assert check_pdf(sign_pdf(blank_pdf())).signer == "award portal demo signer"
    as_foreign_signer()
    assert check_pdf(sign_pdf(blank_pdf())).signer == "某冒名签发机构"
    as_foreign_signer(False)
    assert check_pdf(sign_pdf(blank_pdf())).signer == "award portal demo signer"
