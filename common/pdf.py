"""Rendering documents to PDF with WeasyPrint (application forms, reports, certificates).

Fonts come from the system (Debian's fonts-noto-cjk); the templates ask for "Noto Sans CJK SC"
or "Noto Serif CJK SC" and declare ``lang="zh-CN"`` so Simplified Chinese glyph forms are used.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint adds about a second to start-up.
    from weasyprint import HTML  # noqa: PLC0415

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
