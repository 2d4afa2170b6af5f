import io

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pypdf import PdfWriter

from signing import keys
from signing.pdf import CODE_PREFIX, sign_pdf


@pytest.fixture(scope="session")
def foreign_p12(tmp_path_factory):
    """Another party's key and self-signed certificate, made once per session, as a PKCS#12
    file with a password (the shape SIGNING_PKCS12_FILE takes)."""
    key, certificate = keys.make_self_signed("某冒名签发机构")
    path = tmp_path_factory.mktemp("foreign") / "foreign.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"foreign", key, certificate, None, serialization.BestAvailableEncryption(b"s3cret")
        )
    )
    return path


@pytest.fixture
def as_foreign_signer(settings, foreign_p12):
    """Sign with the foreign key while the fixture is active (load_signer caches per setting)."""

    def switch(on: bool = True):
        settings.SIGNING_PKCS12_FILE = str(foreign_p12) if on else ""
        settings.SIGNING_PKCS12_PASSWORD = "s3cret" if on else ""

    return switch


def blank_pdf(code: str | None = None) -> bytes:
    """A one-page PDF (no WeasyPrint, fast) carrying ``code`` as the certificate template does."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if code:
        writer.add_metadata({"/Keywords": f"{CODE_PREFIX}{code}, TEST-2026-001"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def signed_pdf(code: str | None = None) -> bytes:
    return sign_pdf(blank_pdf(code))


def flip_byte(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)
