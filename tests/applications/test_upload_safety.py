"""Evidence packages that cost too much to open, carry macros under any name, or pretend to be
another type (issue 8 items 7 and 8)."""

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from applications.models import Document
from applications.services.documents import upload_document
from common.exceptions import ApplicationError
from common.zipsafe import MB
from tests.applications.conftest import pdf_bytes
from tests.conftest import login_api
from tests.factories.files import (
    DOCX_MAIN,
    OLE_MAGIC,
    content_types,
    docx,
    docx_bomb,
    forge_declared_size,
    rels,
)

pytestmark = pytest.mark.unit

VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return docx_bomb(400)


def _upload(draft, applicant, name: str, data: bytes) -> Document:
    return upload_document(
        application=draft, upload=SimpleUploadedFile(name, data), kind="other", actor=applicant
    )


def _refusal(draft, applicant, name: str, data: bytes) -> tuple[str, int]:
    """The refusal's message and the peak memory (bytes) the check cost."""
    tracemalloc.start()
    try:
        with pytest.raises(ApplicationError) as refused:
            _upload(draft, applicant, name, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not draft.documents.exists()
    return refused.value.message, peak


# --- item 7: ZIP bombs ------------------------------------------------------------------------


def test_docx_zip_bomb_is_refused_issue8_item7(draft, applicant, bomb):
    """398 KB whose [Content_Types].xml inflates to 400 MB: refused from the directory, with a
    few MB of memory (the code before read the whole part: 400 MB and more)."""
    assert len(bomb) // 1024 == 398
    message, peak = _refusal(draft, applicant, "报告.docx", bomb)
    assert message == (
        "文件“报告.docx”：压缩包内的“[Content_Types].xml”解压后为400 MB，"
        "超过100 MB的上限（疑似“压缩炸弹”），已拒收。"
    )
    assert peak < 50 * MB


def test_docx_with_forged_sizes_is_refused_issue8_item7(draft, applicant, bomb):
    """The directory claims 300 bytes for the 400 MB part: the reader stops at 300."""
    forged = forge_declared_size(bomb, "[Content_Types].xml", 300)
    message, peak = _refusal(draft, applicant, "报告.docx", forged)
    assert message == (
        "文件“报告.docx”：压缩包内的“[Content_Types].xml”已损坏或与其声明的大小不符，已拒收。"
    )
    assert peak < 50 * MB


def test_docx_zip_bomb_through_the_api_is_a_400_issue8_item7(draft, applicant, bomb):
    response = login_api(applicant).post(
        f"/api/v1/applications/{draft.pk}/documents/",
        {"file": SimpleUploadedFile("报告.docx", bomb), "kind": "other"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "疑似“压缩炸弹”" in response.json()["detail"]


# --- item 8: macros under any name ------------------------------------------------------------

MACRO = "含有宏（VBA）或嵌入的OLE对象，不予接收；请另存为不含宏的DOCX或XLSX后再上传。"


@pytest.mark.parametrize(
    "package",
    [
        pytest.param(docx({"word/VBAPROJECT.BIN": OLE_MAGIC + bytes(100)}), id="upper-case"),
        pytest.param(docx({"word/vbaProject.bin": b"not even OLE"}), id="usual-name"),
        pytest.param(docx({"word/media/image1.png": OLE_MAGIC + bytes(500)}), id="ole-renamed"),
        pytest.param(
            docx(
                {"word/data.dat": b"x"},
                types=content_types(
                    ("/word/document.xml", DOCX_MAIN),
                    defaults=(("dat", "application/vnd.ms-office.VBAPROJECT"),),
                ),
            ),
            id="content-type",
        ),
        pytest.param(
            docx(
                {
                    "word/data.dat": b"x",
                    "word/_rels/document.xml.rels": rels((VBA_REL, "data.dat")),
                }
            ),
            id="relationship",
        ),
        pytest.param(
            docx(
                types=content_types(
                    ("/word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml")
                )
                .replace('encoding="UTF-8"', 'encoding="UTF-16"')
                .encode("utf-16")
            ),
            id="utf16-content-types",
        ),
        pytest.param(
            docx(
                types=content_types(
                    ("/word/x.xml", "application/vnd.ms-word.document.&#109;acroEnabled.main+xml")
                )
            ),
            id="character-reference",
        ),
        pytest.param(docx({"xl/macrosheets/sheet1.xml": "<xm:macrosheet/>"}), id="excel4-macro"),
    ],
)
def test_docx_with_macro_under_any_name_is_refused_issue8_item8(draft, applicant, package):
    message, _ = _refusal(draft, applicant, "a.docx", package)
    assert message == f"文件“a.docx”{MACRO}"


def test_doctype_in_content_types_is_not_accepted_issue8_item8(draft, applicant):
    types = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY m "macroEnabled">]><Types/>'
    message, _ = _refusal(draft, applicant, "a.docx", docx(types=types))
    assert "不是允许的格式" in message


def test_plain_docx_with_an_external_link_and_printer_settings_is_accepted_issue8_item8(
    draft, applicant
):
    package = docx(
        {
            "word/_rels/document.xml.rels": rels(
                (HYPERLINK_REL, "http://example.com/vbaProject"), external=True
            ),
            "word/printerSettings/printerSettings1.bin": b"\x00\x01DEVMODE",
        }
    )
    document = _upload(draft, applicant, "a.docx", package)
    assert document.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


# --- item 8: stored and served as the detected type -------------------------------------------


def test_pdf_named_html_is_stored_and_served_as_pdf_issue8_item8(draft, applicant):
    api = login_api(applicant)
    response = api.post(
        f"/api/v1/applications/{draft.pk}/documents/",
        {"file": SimpleUploadedFile("poly.html", pdf_bytes(), "text/html"), "kind": "other"},
        format="multipart",
    )
    assert response.status_code == 201
    document = Document.objects.get(pk=response.json()["id"])
    assert (document.original_name, document.content_type) == ("poly.pdf", "application/pdf")
    assert document.file.name.endswith(".pdf")
    assert "poly" not in document.file.name
    page = Client()
    page.force_login(applicant)
    for response in (
        api.get(f"/api/v1/applications/{draft.pk}/documents/{document.pk}/file/"),
        page.get(f"/applications/{draft.pk}/documents/{document.pk}/"),
    ):
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf_bytes()
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="poly.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"


def test_row_stored_with_its_uploaded_extension_is_served_as_its_type_issue8_item8(
    draft, applicant
):
    """A row from before the names were normalised keeps ``poly.html``; it is served as PDF."""
    document = _upload(draft, applicant, "poly.pdf", pdf_bytes())
    Document.objects.filter(pk=document.pk).update(original_name="poly.html")
    response = login_api(applicant).get(
        f"/api/v1/applications/{draft.pk}/documents/{document.pk}/file/"
    )
    b"".join(response.streaming_content)
    assert response["Content-Disposition"] == 'attachment; filename="poly.pdf"'
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("营业执照.pdf", "营业执照.pdf"),
        ("poly.html", "poly.pdf"),
        ("report", "report.pdf"),
        ("a.tar.exe", "a.tar.pdf"),
        (".pdf", "file.pdf"),
        ("..\\..\\evil.PDF", "evil.pdf"),
    ],
)
def test_kept_name_has_the_detected_extension_issue8_item8(draft, applicant, uploaded, kept):
    assert _upload(draft, applicant, uploaded, pdf_bytes()).original_name == kept
