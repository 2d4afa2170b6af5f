"""Checking a certificate PDF someone holds (issue 14): is its signature ours and intact, who
signed it, and what is the award's status today. Revocation never touches the issued file; this
check is what tells a revoked award's certificate from a valid one."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from common.dates import today
from common.exceptions import ApplicationError
from signing.pdf import NotAPdf, check_pdf

from ..enums import AwardStatus
from ..models import Award, Certificate

MAX_PDF_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class PdfVerdict:
    signature_valid: bool
    signer: str | None
    award: Award | None
    sha256: str

    def as_dict(self) -> dict:
        return {
            "signature_valid": self.signature_valid,
            "signer": self.signer,
            "award": award_summary(self.award) if self.award else None,
        }


def status_today(award: Award) -> str:
    """The award's status on today's date: a title past its validity is ``expired`` even before
    the nightly job records it."""
    if award.status == AwardStatus.REVOKED:
        return AwardStatus.REVOKED
    if award.valid_until < today():
        return AwardStatus.EXPIRED
    return award.status


def award_summary(award: Award) -> dict:
    return {
        "code": award.code,
        "organisation": award.organisation.name,
        "status": status_today(award),
        "valid_until": award.valid_until.isoformat(),
    }


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, refused (400) when missing, empty or over the cap."""
    if upload is None:
        raise ApplicationError(_("请选择要核验的 PDF 文件。"), field="file")
    if upload.size > MAX_PDF_BYTES:
        raise ApplicationError(
            _("文件超过 %(mb)d MB，不是本系统签发的证书。")
            % {"mb": MAX_PDF_BYTES // (1024 * 1024)},
            field="file",
        )
    data = upload.read(MAX_PDF_BYTES + 1)
    if not data:
        raise ApplicationError(_("文件为空。"), field="file")
    return data


def verify_certificate_pdf(data: bytes) -> PdfVerdict:
    """Check the signature of ``data`` against the portal's signer only, and find its award: by
    the file's hash among issued certificates, else by the verification code it carries."""
    if len(data) > MAX_PDF_BYTES:
        raise ApplicationError(_("文件过大。"), field="file")
    try:
        check = check_pdf(data)
    except NotAPdf:
        raise ApplicationError(_("文件不是可读取的 PDF。"), field="file") from None
    sha256 = hashlib.sha256(data).hexdigest()
    award = None
    issued = Certificate.objects.filter(sha256=sha256).only("award_id").first()
    if issued is not None:
        award = Award.objects.select_related("organisation").filter(pk=issued.award_id).first()
    elif check.code:
        award = Award.objects.select_related("organisation").filter(code=check.code).first()
    return PdfVerdict(
        signature_valid=check.signature_valid, signer=check.signer, award=award, sha256=sha256
    )
