"""Evidence uploads: judged by content, capped, confidential."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.services.documents import MAX_FILE_BYTES, upload_document
from common.exceptions import ApplicationError
from tests.applications.conftest import docx_bytes, pdf_bytes, pdf_upload

pytestmark = pytest.mark.unit

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def test_valid_pdf_is_stored_under_a_random_name_with_its_hash(draft, applicant, settings):
    import hashlib

    doc = upload_document(
        application=draft, upload=pdf_upload("营业执照.pdf"), kind="credit", actor=applicant
    )
    assert doc.original_name == "营业执照.pdf"
    assert doc.content_type == "application/pdf"
    assert doc.sha256 == hashlib.sha256(pdf_bytes()).hexdigest()
    assert "营业执照" not in doc.file.name
    assert doc.file.name.startswith(f"evidence/{draft.pk}/")
    assert str(settings.MEDIA_ROOT) in doc.file.path


def test_renamed_executable_is_refused(draft, applicant):
    upload = SimpleUploadedFile("report.pdf", ELF, content_type="application/pdf")
    with pytest.raises(ApplicationError, match="内容不是允许的格式"):
        upload_document(application=draft, upload=upload, kind="other", actor=applicant)
    assert not draft.documents.exists()


def test_empty_file_is_refused(draft, applicant):
    with pytest.raises(ApplicationError, match="空文件"):
        upload_document(
            application=draft,
            upload=SimpleUploadedFile("a.pdf", b""),
            kind="other",
            actor=applicant,
        )


def test_oversized_file_is_refused(draft, applicant):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_FILE_BYTES)
    with pytest.raises(ApplicationError, match="超过单个文件20 MB"):
        upload_document(application=draft, upload=big, kind="other", actor=applicant)


def test_docx_accepted_and_macro_docx_refused(draft, applicant):
    doc = upload_document(
        application=draft,
        upload=SimpleUploadedFile("a.docx", docx_bytes()),
        kind="brand",
        actor=applicant,
    )
    assert doc.content_type.endswith("wordprocessingml.document")
    with pytest.raises(ApplicationError):
        upload_document(
            application=draft,
            upload=SimpleUploadedFile("b.docx", docx_bytes(macro=True)),
            kind="brand",
            actor=applicant,
        )


def test_png_and_jpeg_by_magic_bytes(draft, applicant):
    png = SimpleUploadedFile("x.bin", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    jpeg = SimpleUploadedFile("y.bin", b"\xff\xd8\xff\xe0" + b"\x00" * 50)
    assert (
        upload_document(application=draft, upload=png, kind="other", actor=applicant).content_type
        == "image/png"
    )
    assert (
        upload_document(application=draft, upload=jpeg, kind="other", actor=applicant).content_type
        == "image/jpeg"
    )


def test_total_cap_per_application(draft, applicant, programme):
    # The cycle's own copy of the rules decides (issue 9 §5), not the programme's later edits.
    cycle = draft.cycle
    cycle.settings_snapshot = {**cycle.settings_snapshot, "evidence_total_mb": 20}
    cycle.save(update_fields=["settings_snapshot"])
    big = b"%PDF-1.4\n" + b"0" * (15 * 1024 * 1024)
    upload_document(
        application=draft, upload=SimpleUploadedFile("a.pdf", big), kind="other", actor=applicant
    )
    with pytest.raises(ApplicationError, match="总量上限为20 MB"):
        upload_document(
            application=draft,
            upload=SimpleUploadedFile("b.pdf", big),
            kind="other",
            actor=applicant,
        )


def test_upload_after_submission_is_a_conflict(submitted, applicant):
    from common.exceptions import StateConflict

    with pytest.raises(StateConflict):
        upload_document(application=submitted, upload=pdf_upload(), kind="other", actor=applicant)
