"""Handing out an award's certificate PDF to those who may have it."""

from __future__ import annotations

from django.http import FileResponse

from common.downloads import private_download


def certificate_response(certificate) -> FileResponse:
    return private_download(
        certificate.pdf, filename=f"{certificate.serial}.pdf", content_type="application/pdf"
    )
