"""PAdES signatures on PDFs (pyHanko): the portal signs each certificate PDF once, right after
rendering, and checks uploaded PDFs against its own signer certificate only.

A signed file has one ``/Sig`` field whose byte range covers the whole file: any change to a
byte shows as a broken signature in every PDF reader, and here.
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from . import keys

log = logging.getLogger(__name__)

SIGNATURE_FIELD = "Signature"
# Where the portal's PDFs carry the award's verification code (the certificate template's
# <meta name="keywords">, written by WeasyPrint into the document information /Keywords).
CODE_PREFIX = "award-portal-code:"
_CODE_RE = re.compile(re.escape(CODE_PREFIX) + r"([A-Za-z0-9_-]{1,32})")
_signer_lock = threading.Lock()
_signers: dict = {}


class NotAPdf(ValueError):
    """The bytes are not a PDF pyHanko can read."""


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _pyhanko_signer():
    """The portal's signer for pyHanko, built once per signer key (``keys.load_signer`` keeps
    the key, certificate and chain)."""
    loaded = keys.load_signer()
    with _signer_lock:
        if _signers.get("loaded") is not loaded:
            _signers["loaded"], _signers["signer"] = loaded, _build_signer(*loaded)
        return _signers["signer"]


def _build_signer(key, certificate, chain):
    from pyhanko.sign import signers  # noqa: PLC0415 - pyHanko is heavy; load it when signing
    from pyhanko_certvalidator.registry import SimpleCertificateStore  # noqa: PLC0415
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash  # noqa: PLC0415

    class KeptKeySigner(signers.SimpleSigner):
        """pyHanko's ``SimpleSigner`` parses the private key from DER for every signature
        (twice per PDF: once to size the signature, once to sign), and parsing checks the RSA
        key: about 40 % of a certificate's render time (issue 12 item 4). This one signs with
        the key already loaded; other key types than RSA PKCS#1 v1.5 go the library's way."""

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if mechanism["algorithm"].native in {"rsassa_pkcs1v15", "sha256_rsa"} and isinstance(
                key, RSAPrivateKey
            ):
                return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            return super().sign_raw(data, digest_algorithm)

    keys.asn1_names_ready()
    key_info = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return KeptKeySigner(
        signing_cert=_asn1(certificate),
        signing_key=key_info,
        cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in chain]),
    )


def _outside_event_loop(fn, *args, **kwargs):
    """pyHanko's synchronous calls run their own event loop (``asyncio.run``), which fails in
    a thread that already runs one (an ASGI server, or a test driving a browser). There, the
    call runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def sign_pdf(data: bytes, *, reason: str = "", location: str = "") -> bytes:
    """``data`` with a PAdES (ETSI.CAdES.detached) signature by the portal's signer appended as
    an incremental update covering the whole file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: PLC0415
    from pyhanko.sign import fields, signers  # noqa: PLC0415

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
    )
    out = _outside_event_loop(signers.sign_pdf, writer, meta, signer=_pyhanko_signer())
    return out.getvalue()


@dataclass(frozen=True)
class PdfCheck:
    """What an uploaded PDF says about itself. ``signature_valid`` only when the last signature
    is intact, made by the portal's signer certificate, and covers the whole file."""

    signature_valid: bool
    signer: str | None
    code: str | None


def _embedded_code(reader) -> str | None:
    try:
        info = reader.trailer["/Info"]
        keywords = str(info.get("/Keywords", ""))
    except Exception:  # no or broken information dictionary: no code
        return None
    match = _CODE_RE.search(keywords)
    return match.group(1) if match else None


def check_pdf(data: bytes) -> PdfCheck:
    """Check ``data``; raises :class:`NotAPdf` when it cannot be read as a PDF at all."""
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415
    from pyhanko.sign.validation import validate_pdf_signature  # noqa: PLC0415
    from pyhanko.sign.validation.status import SignatureCoverageLevel  # noqa: PLC0415
    from pyhanko_certvalidator import ValidationContext  # noqa: PLC0415

    if b"%PDF-" not in data[:1024]:
        raise NotAPdf
    keys.asn1_names_ready()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # pyHanko raises several kinds on a broken file
        # A PDF whose structure a changed byte broke (its end-of-file marker, a cross-reference
        # offset): not a valid signature, and the code may still be read from the raw bytes.
        match = _CODE_RE.search(data.decode("latin-1"))
        return PdfCheck(signature_valid=False, signer=None, code=match.group(1) if match else None)
    code = _embedded_code(reader)
    if not signatures:
        return PdfCheck(signature_valid=False, signer=None, code=code)
    embedded = signatures[-1]
    ours = keys.load_signer()[1]
    signer_name = None
    try:
        signer_cert = x509.load_der_x509_certificate(embedded.signer_cert.dump())
        signer_name = keys.certificate_name(signer_cert)
        context = ValidationContext(trust_roots=[_asn1(ours)], allow_fetching=False)
        status = _outside_event_loop(
            validate_pdf_signature, embedded, signer_validation_context=context
        )
    except Exception as exc:  # a mangled signature is a broken one, not an error
        log.info("PDF signature not checkable: %s", type(exc).__name__)
        return PdfCheck(signature_valid=False, signer=signer_name, code=code)
    valid = bool(
        status.intact
        and status.valid
        and status.trusted
        and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        and signer_cert == ours
    )
    return PdfCheck(signature_valid=valid, signer=signer_name, code=code)
