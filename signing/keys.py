"""The portal's signing key: one key and certificate for every signed document (certificate
PDFs, the public register's detached signature).

- Configured: ``SIGNING_PKCS12_FILE`` (a PKCS#12 file with the key, its certificate and any
  chain) and ``SIGNING_PKCS12_PASSWORD``, from the environment.
- Not configured (a fresh single-machine install): a self-signed demo key and certificate are
  made once in ``SIGNING_DEMO_FILE`` (``var/signing_demo.p12``, mode 0600, never committed) and
  loaded from there afterwards, like ``var/secret_key``.

Public functions: :func:`load_signer`, :func:`sign_cms_detached`, :func:`verify_cms_detached`,
:func:`signer_certificate_pem`, :func:`signer_certificate_der`, :func:`signer_name`,
:func:`certificate_fingerprint`. The loaded key is cached per process; :func:`reset_cache`
forgets it (tests that change the settings call it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from pathlib import Path

from asn1crypto import cms as asn1_cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
Signer = tuple[PrivateKey, x509.Certificate, list[x509.Certificate]]

DEMO_VALIDITY_YEARS = 20

_lock = threading.Lock()
_cache: dict[tuple, Signer] = {}


def _settings_key() -> tuple:
    return (
        str(getattr(settings, "SIGNING_PKCS12_FILE", "") or ""),
        str(getattr(settings, "SIGNING_PKCS12_PASSWORD", "") or ""),
        str(getattr(settings, "SIGNING_DEMO_FILE", "") or ""),
        str(getattr(settings, "SIGNING_DEMO_SUBJECT", "") or ""),
    )


def reset_cache() -> None:
    with _lock:
        _cache.clear()


def _load_pkcs12(data: bytes, password: str) -> Signer:
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except ValueError as exc:
        raise ImproperlyConfigured(
            "SIGNING_PKCS12_FILE cannot be opened (wrong SIGNING_PKCS12_PASSWORD?)."
        ) from exc
    if key is None or certificate is None:
        raise ImproperlyConfigured(
            "SIGNING_PKCS12_FILE must hold a private key and its certificate."
        )
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ImproperlyConfigured("The signing key must be RSA or EC.")
    return key, certificate, list(chain or [])


def make_self_signed(
    subject: str, *, years: int = DEMO_VALIDITY_YEARS
) -> tuple[PrivateKey, x509.Certificate]:
    """A new RSA-2048 key and a self-signed certificate for ``subject`` fit for document signing
    (also used by tests to make a foreign signer)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _demo_signer(path: Path, subject: str) -> Signer:
    """Load the demo key, or make it once (O_EXCL: of two processes racing, one writes it and
    the other reads what was written)."""
    try:
        return _load_pkcs12(path.read_bytes(), "")
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key, certificate = make_self_signed(subject)
    data = pkcs12.serialize_key_and_certificates(
        b"award-portal-demo", key, certificate, None, serialization.NoEncryption()
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _load_pkcs12(path.read_bytes(), "")
    except OSError as exc:
        raise ImproperlyConfigured(f"Set SIGNING_PKCS12_FILE, or make {path} writable.") from exc
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return key, certificate, []


def load_signer() -> Signer:
    """(private key, certificate, chain) of the portal's signer, as ``cryptography`` objects."""
    cache_key = _settings_key()
    with _lock:
        if cache_key in _cache:
            return _cache[cache_key]
        configured, password, demo_file, subject = cache_key
        if configured:
            try:
                data = Path(configured).read_bytes()
            except OSError as exc:
                raise ImproperlyConfigured(
                    f"SIGNING_PKCS12_FILE {configured} cannot be read."
                ) from exc
            signer = _load_pkcs12(data, password)
        else:
            if not demo_file:
                raise ImproperlyConfigured("Set SIGNING_PKCS12_FILE or SIGNING_DEMO_FILE.")
            signer = _demo_signer(Path(demo_file), subject or "award portal demo signer")
        _cache[cache_key] = signer
        return signer


def signer_certificate_der() -> bytes:
    return load_signer()[1].public_bytes(serialization.Encoding.DER)


def signer_certificate_pem() -> bytes:
    """The signer's certificate (then its chain) in PEM, to publish for integrators."""
    _key, certificate, chain = load_signer()
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [certificate, *chain])


def certificate_fingerprint(certificate: x509.Certificate | None = None) -> str:
    """SHA-256 of the (signer's) certificate in DER, lower-case hex."""
    certificate = certificate or load_signer()[1]
    return certificate.fingerprint(hashes.SHA256()).hex()


def certificate_name(certificate: x509.Certificate) -> str:
    """The human name of a certificate's subject: its common name, else organisation, else the
    whole distinguished name."""
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        attributes = certificate.subject.get_attributes_for_oid(oid)
        if attributes:
            return str(attributes[0].value)
    return certificate.subject.rfc4514_string()


def signer_name() -> str:
    return certificate_name(load_signer()[1])


def sign_cms_detached(data: bytes) -> bytes:
    """A detached CMS (PKCS#7) SignedData over ``data``, DER, SHA-256, carrying the signer's
    certificate and chain. Check it with ``openssl cms -verify -binary -inform DER -in sig
    -content data -CAfile signer.pem -purpose any`` or :func:`verify_cms_detached`."""
    key, certificate, chain = load_signer()
    builder = (
        pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(certificate, key, hashes.SHA256())
    )
    for extra in chain:
        builder = builder.add_certificate(extra)
    return builder.sign(
        serialization.Encoding.DER,
        [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
    )


def _verify_raw(public_key, signature: bytes, signed: bytes, hash_algorithm) -> None:
    if isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, signed, padding.PKCS1v15(), hash_algorithm)
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, signed, ec.ECDSA(hash_algorithm))
    else:  # pragma: no cover - load_signer refuses other keys
        raise InvalidSignature


_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def verify_cms_detached(
    data: bytes, signature: bytes, certificate: x509.Certificate | None = None
) -> bool:
    """True when ``signature`` (DER detached CMS) is a valid signature over ``data`` by
    ``certificate`` (default: the portal's signer), with signed attributes whose message digest
    matches. Any malformed input is simply False."""
    certificate = certificate or load_signer()[1]
    try:
        content = asn1_cms.ContentInfo.load(signature)
        if content["content_type"].native != "signed_data":
            return False
        signer_infos = content["content"]["signer_infos"]
        if len(signer_infos) != 1:
            return False
        info = signer_infos[0]
        algorithm = info["digest_algorithm"]["algorithm"].native
        if algorithm not in _HASHES:
            return False
        hash_algorithm = _HASHES[algorithm]()
        signed_attrs = info["signed_attrs"]
        if not signed_attrs:
            return False
        digest = next(
            (a["values"][0].native for a in signed_attrs if a["type"].native == "message_digest"),
            None,
        )
        h = hashes.Hash(hash_algorithm)
        h.update(data)
        if digest != h.finalize():
            return False
        # The signature is over the DER of the attributes as a SET (RFC 5652 §5.4).
        encoded = signed_attrs.dump()
        to_check = b"\x31" + encoded[1:]
        _verify_raw(certificate.public_key(), info["signature"].native, to_check, hash_algorithm)
    except (ValueError, TypeError, KeyError, InvalidSignature):
        return False
    return True


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
