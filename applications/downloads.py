"""Handing out an application's files (evidence) to those who may read them."""

from __future__ import annotations

from django.http import FileResponse

from common.downloads import private_download

from .models import Document
from .services.documents import served_as


def document_response(document: Document) -> FileResponse:
    """Always a download, named and typed by the detected content (issue 8 item 8)."""
    filename, content_type = served_as(document)
    return private_download(document.file, filename=filename, content_type=content_type)
