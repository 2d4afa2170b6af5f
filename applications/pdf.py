"""The PDF of a submitted application form: the frozen record of what was submitted."""

from __future__ import annotations

from django.utils import timezone

from common.pdf import render_pdf
from programmes.selectors import criteria_categories

from .models import ApplicationVersion, Document
from .services.form import self_evaluation_total


def render_application_pdf(version: ApplicationVersion) -> bytes:
    app = version.application
    content = version.content
    categories = criteria_categories(app.cycle.criteria_set_id)
    marks = {row["item"]: row for row in content.get("self_evaluation", [])}
    rows = []
    for category in categories:
        for item in category.items.all():
            row = marks.get(item.code, {})
            percent = row.get("percent")
            rows.append(
                {
                    "category": category,
                    "item": item,
                    "percent": percent,
                    "points": item.points_for(percent) if percent is not None else None,
                    "comment": row.get("comment", ""),
                }
            )

    documents = Document.objects.filter(pk__in=version.document_ids).order_by("kind", "id")
    return render_pdf(
        "applications/pdf/application.html",
        {
            "app": app,
            "version": version,
            "content": content,
            "rows": rows,
            "total": self_evaluation_total(
                content.get("self_evaluation", []), [r["item"] for r in rows]
            ),
            "documents": documents,
            "submitted_at": timezone.localtime(version.submitted_at),
        },
    )
