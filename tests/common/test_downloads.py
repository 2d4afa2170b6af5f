"""One helper for private file downloads (issue 10 §3)."""

from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from common.downloads import private_download

ROOT = Path(__file__).resolve().parents[2]


def _headers_are_private(response):
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_rendered_bytes_leave_as_a_private_attachment_with_a_chinese_name():
    response = private_download(
        b"%PDF-1.7", filename="评审报告-7.pdf", content_type="application/pdf"
    )
    _headers_are_private(response)
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''%E8%AF%84%E5%AE%A1" in response["Content-Disposition"]
    assert response.content == b"%PDF-1.7"


def test_a_stored_file_is_streamed_privately(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("evidence.bin", ContentFile(b"<html>not rendered</html>"))
    stored = storage.open(name)
    response = private_download(stored, filename="evidence.html", content_type="text/html")
    _headers_are_private(response)
    assert b"".join(response.streaming_content) == b"<html>not rendered</html>"
    response.file_to_stream.close()  # (response.close() would fire request_finished)


def test_no_module_sets_its_own_private_cache_header():
    """Every download goes through the helper: a new one that builds its own response would
    be the one that forgets ``no-store``."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/**/*.py")
        if path.parts[len(ROOT.parts)] not in {".venv", "tests", "bench", "common"}
        and "private, no-store" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
