"""Certificates: idempotent rendering (twice, after a crash), real WeasyPrint text, verification."""

import datetime as dt

import pytest
from pypdf import PdfReader

from awards.models import Certificate
from awards.services import certificates
from awards.services.certificates import queue_certificates, reissue_certificate
from awards.tasks import render_certificate
from tests.awards.conftest import make_award

pytestmark = pytest.mark.unit


def _text(certificate) -> str:
    with certificate.pdf.open("rb") as f:
        return "".join(page.extract_text() for page in PdfReader(f).pages)


def test_certificate_is_queued_after_commit_and_rendered_once(
    programme, office, django_capture_on_commit_callbacks
):
    award = make_award(programme, name="绿原乳业有限公司")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        (certificate,) = queue_certificates(awards=[award], actor=office)
    # One render queued after commit (the other callback replaces the public register's cache).
    assert [c.__qualname__ for c in callbacks].count("enqueue.<locals>.dispatch_after_commit") == 1
    certificate.refresh_from_db()
    text = _text(certificate)
    assert "绿原乳业有限公司" in text
    assert certificate.serial in text
    assert "荣誉证书" in text.replace(" ", "")
    assert len(certificate.sha256) == 64
    # Running the task again, or queueing again, yields the same single certificate.
    assert render_certificate(certificate_id=certificate.pk) == certificate.serial
    assert queue_certificates(awards=[award], actor=office) == []
    assert Certificate.objects.filter(award=award).count() == 1
    certificate.refresh_from_db()
    assert certificate.rendered_at is not None


def test_certificate_task_after_a_simulated_crash_still_one_certificate(
    programme, office, monkeypatch
):
    award = make_award(programme)
    (certificate,) = queue_certificates(awards=[award], actor=office)
    calls = {"n": 0}
    real = certificates.render_certificate_pdf

    def crash_once(c):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("worker lost")
        return real(c)

    monkeypatch.setattr(certificates, "render_certificate_pdf", crash_once)
    with pytest.raises(OSError):
        certificates.render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert not certificate.pdf
    certificates.render(certificate_id=certificate.pk)  # the retry
    certificate.refresh_from_db()
    assert certificate.pdf
    assert Certificate.objects.filter(award=award).count() == 1
    assert Certificate.objects.get(award=award).serial == certificate.serial


def test_serials_are_unique_per_programme_and_year(programme, office):
    awards = [make_award(programme, announced_on=dt.date(2026, 1, 10)) for _ in range(3)]
    made = queue_certificates(awards=awards, actor=office)
    assert [c.serial for c in made] == ["ETKQQ-2026-001", "ETKQQ-2026-002", "ETKQQ-2026-003"]


def test_reissue_keeps_the_old_certificate_on_record(programme, office):
    award = make_award(programme)
    (old,) = queue_certificates(awards=[award], actor=office)
    new = reissue_certificate(award=award, reason="单位更名", actor=office)
    old.refresh_from_db()
    assert old.superseded_at is not None
    assert new.replaces == old
    assert new.serial != old.serial
    assert Certificate.objects.filter(award=award).count() == 2


def test_qr_code_points_at_the_verification_page(programme, settings):
    settings.SITE_URL = "https://award.example.gov.cn"
    award = make_award(programme)
    url = certificates.verification_url(award.code)
    assert url == f"https://award.example.gov.cn/verify/{award.code}/"
    assert "<svg" in certificates.qr_svg(url)
