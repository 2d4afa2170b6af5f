"""Signed certificates (issue 14 item 1): every certificate PDF carries the government's PAdES
signature over the whole file; anyone can check a PDF they hold (API and verification page);
re-issue signs the new file; revocation leaves the old file alone and the status check says so."""

import datetime as dt
import hashlib

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator

from awards.enums import AwardStatus
from awards.models import Certificate
from awards.services import certificates, verification
from awards.services.certificates import queue_certificates, reissue_certificate
from awards.services.sanctions import approve_revocation, decide_case, open_case
from signing.pdf import check_pdf, sign_pdf
from tests.awards.conftest import TODAY, make_award
from tests.clock import travel_to
from tests.signing.conftest import blank_pdf, flip_byte, signed_pdf

pytestmark = pytest.mark.unit
URL = "/api/v1/public/verify-pdf/"


@pytest.fixture(autouse=True)
def _fresh_counters():
    travel_to(TODAY)
    cache.clear()
    yield
    cache.clear()


def _rendered(award, office) -> Certificate:
    (certificate,) = queue_certificates(awards=[award], actor=office)
    return certificates.render(certificate_id=certificate.pk)


def _bytes(certificate) -> bytes:
    with certificate.pdf.open("rb") as f:
        return f.read()


def _upload(api, data: bytes, name="证书.pdf"):
    return api.post(URL, {"file": SimpleUploadedFile(name, data, "application/pdf")})


def test_certificate_rendered_by_weasyprint_is_signed_checked_tampered_and_revoked_R20(
    api, programme, office, committee, government
):
    award = make_award(programme, office=office, name="绿原乳业有限公司")
    certificate = _rendered(award, office)
    data = _bytes(certificate)
    assert certificate.sha256 == hashlib.sha256(data).hexdigest()
    assert b"/Sig" in data
    check = check_pdf(data)
    assert (check.signature_valid, check.code) == (True, award.code)

    body = _upload(api, data).json()
    assert body == {
        "signature_valid": True,
        "signer": "award portal demo signer",
        "award": {
            "code": award.code,
            "organisation": "绿原乳业有限公司",
            "status": "active",
            "valid_until": award.valid_until.isoformat(),
        },
    }
    tampered = _upload(api, flip_byte(data, len(data) // 3)).json()
    assert tampered["signature_valid"] is False
    assert tampered["award"]["code"] == award.code

    # Revocation (R20) does not touch the issued file: the status check does the work.
    case = open_case(
        award=award,
        trigger="fraud",
        occurred_on=dt.date(2026, 6, 1),
        description="申报材料伪造专利证书",
        actor=office,
    )
    decide_case(case=case, sanction="revoke", reasons="弄虚作假骗取荣誉", actor=committee)
    approve_revocation(case=case, actor=government)
    certificate.refresh_from_db()
    assert _bytes(certificate) == data
    assert certificate.sha256 == hashlib.sha256(data).hexdigest()
    after = _upload(api, data).json()
    assert after["signature_valid"] is True
    assert after["award"]["status"] == "revoked"


def test_reissue_signs_the_new_file_and_keeps_the_old_one(programme, office):
    award = make_award(programme, office=office)
    old = _rendered(award, office)
    old_bytes = _bytes(old)
    new = reissue_certificate(award=award, reason="单位更名", actor=office)
    new = certificates.render(certificate_id=new.pk)
    new_bytes = _bytes(new)
    assert new_bytes != old_bytes
    assert check_pdf(new_bytes).signature_valid
    assert check_pdf(new_bytes).code == award.code
    old.refresh_from_db()
    assert _bytes(old) == old_bytes
    assert check_pdf(old_bytes).signature_valid


def test_an_unsigned_pdf_is_not_valid_and_names_no_signer(api, programme):
    award = make_award(programme)
    body = _upload(api, blank_pdf(award.code)).json()
    assert (body["signature_valid"], body["signer"]) == (False, None)
    assert body["award"]["code"] == award.code


def test_a_foreign_signed_pdf_is_not_valid_and_names_its_signer(api, programme, as_foreign_signer):
    award = make_award(programme)
    as_foreign_signer()
    forged = sign_pdf(blank_pdf(award.code))
    as_foreign_signer(False)
    body = _upload(api, forged).json()
    assert (body["signature_valid"], body["signer"]) == (False, "某冒名签发机构")


def test_a_signed_pdf_of_no_known_award_has_award_null(api, db):
    body = _upload(api, signed_pdf("no-such-code")).json()
    assert (body["signature_valid"], body["award"]) == (True, None)


def test_expired_today_shows_expired_even_before_the_nightly_job(api, programme):
    award = make_award(programme, announced_on=dt.date(2020, 1, 10))
    assert award.status == AwardStatus.ACTIVE  # the stored status lags
    body = _upload(api, signed_pdf(award.code)).json()
    assert body["award"]["status"] == "expired"


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"hello, not a pdf", "PDF"), (b"", "空"), (b"PK\x03\x04zip", "PDF")],
)
def test_bad_uploads_are_400_with_a_clear_message(api, db, data, message):
    response = _upload(api, data)
    assert response.status_code == 400
    assert message in response.json()["file"][0]


def test_no_file_or_json_is_refused_not_a_500(api, db):
    response = api.post(URL, {}, format="multipart")
    assert response.status_code == 400
    assert "PDF" in response.json()["file"][0]
    assert api.post(URL, {"file": "x"}, format="json").status_code == 415


def test_a_file_over_the_cap_is_400(api, db, monkeypatch):
    monkeypatch.setattr(verification, "MAX_PDF_BYTES", 1000)
    response = _upload(api, signed_pdf())
    assert response.status_code == 400
    assert "MB" in response.json()["file"][0]


@pytest.mark.parametrize("role", ["anonymous", "enterprise", "office"])
def test_verify_pdf_is_public_for_every_role(api, db, role, enterprise_user, office):
    user = {"anonymous": None, "enterprise": enterprise_user, "office": office}[role]
    if user:
        api.force_login(user)
    response = _upload(api, signed_pdf())
    assert response.status_code == 200
    assert response.json()["signature_valid"] is True


def test_verify_pdf_is_throttled_and_shares_its_counter_with_the_page(
    api, client, programme, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "public_verify_pdf": "2/hour",
        },
    }
    award = make_award(programme)
    data = blank_pdf(award.code)
    assert [_upload(api, data).status_code for _ in range(2)] == [200, 200]
    assert _upload(api, data).status_code == 429
    page = client.post(
        f"/verify/{award.code}/", {"file": SimpleUploadedFile("a.pdf", data, "application/pdf")}
    )
    assert page.status_code == 429


def test_verify_pdf_is_in_the_openapi_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/public/verify-pdf/"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert set(schema["components"]["schemas"]["VerifyPdfResult"]["properties"]) == {
        "signature_valid",
        "signer",
        "award",
    }


# --- the verification page ---------------------------------------------------------------


def test_the_page_shows_the_certificate_hash_and_the_signer(client, programme, office):
    award = make_award(programme, office=office)
    certificate = _rendered(award, office)
    page = client.get(f"/verify/{award.code}/").content.decode()
    assert certificate.sha256 in page
    assert "award portal demo signer" in page
    assert 'enctype="multipart/form-data"' in page
    assert "核验证书文件" in page


def test_the_page_checks_an_uploaded_pdf(client, programme):
    award = make_award(programme)
    good = signed_pdf(award.code)

    def post(data):
        return client.post(
            f"/verify/{award.code}/", {"file": SimpleUploadedFile("a.pdf", data, "application/pdf")}
        )

    response = post(good)
    assert response.status_code == 200
    page = response.content.decode()
    assert "签名有效" in page
    assert hashlib.sha256(good).hexdigest() in page
    broken = post(flip_byte(good, len(good) // 2)).content.decode()
    assert "签名无效" in broken
    unsigned = post(blank_pdf(award.code)).content.decode()
    assert "文件没有电子签名" in unsigned
    refused = post(b"not a pdf")
    assert refused.status_code == 400
    assert "不是可读取的 PDF" in refused.content.decode()
    empty = client.post(f"/verify/{award.code}/", {})
    assert empty.status_code == 400


def test_the_page_of_an_unknown_code_is_404_for_get_and_post(client, db):
    assert client.get("/verify/guess/").status_code == 404
    assert client.post("/verify/guess/", {}).status_code == 404
