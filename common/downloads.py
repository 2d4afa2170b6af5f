"""Private downloads: one way to hand a person a file the public must not see.

Every confidential or personal file (evidence, certificates, reports, exports, dossiers) leaves
the portal through ``private_download``: always an attachment (never rendered in the browser,
whatever its bytes claim), typed as stated and not sniffed, and never kept by a shared cache or
the browser's back button (``Cache-Control: private, no-store``).
"""

from __future__ import annotations

from django.core.files import File
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def private_download(
    content: bytes | File, *, filename: str, content_type: str
) -> HttpResponse | FileResponse:
    """``content`` is the bytes of a rendered file, or a stored file (a FieldFile), streamed."""
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            content.open("rb"), as_attachment=True, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
