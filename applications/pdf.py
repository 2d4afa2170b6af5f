"""The PDF of an application form: the frozen record of a submission, and the preview of a draft.

Both come from one template, so what the enterprise previews is what it will submit: the form,
then the integrity pledge (诚信承诺书) and the seal and signature blocks of the paper form. A
preview is watermarked and names no version."""

from __future__ import annotations

from common.pdf import render_pdf

from .detail import application_form, draft_content
from .models import Application, ApplicationVersion, Document
from .selectors import live_documents


def render_application_pdf(version: ApplicationVersion) -> bytes:
    app = version.application
    documents = Document.objects.filter(pk__in=version.document_ids).order_by("kind", "id")
    context = application_form(app, version.content, documents, submitted_at=version.submitted_at)
    return render_pdf("applications/pdf/application.html", {**context, "version": version})


def render_preview_pdf(app: Application) -> bytes:
    """The draft as it would be submitted now, watermarked "预览 · 未提交"; nothing is stored."""
    context = application_form(app, draft_content(app), live_documents(app), submitted_at=None)
    return render_pdf("applications/pdf/application.html", {**context, "preview": True})
