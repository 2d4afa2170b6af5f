"""The review's documents: the feedback report for applicants (no expert names) and the
on-site evaluation report (测评报告)."""

from __future__ import annotations

from django.utils import timezone

from common.pdf import render_pdf
from programmes.selectors import criteria_categories, criteria_items

from .enums import AssignmentStatus, Stage
from .scores import composite, dispersion, stage_score


def _comments(application, stage: str) -> dict[int, dict[str, list[str]]]:
    """Strengths and improvements per item, from every submitted sheet, without names."""
    out: dict[int, dict[str, list[str]]] = {}
    for a in application.assignments.all():
        if a.stage != stage or a.status != AssignmentStatus.SUBMITTED:
            continue
        for s in a.scores.all():
            slot = out.setdefault(s.item_id, {"strengths": [], "improvements": []})
            if s.strengths:
                slot["strengths"].append(s.strengths)
            if s.improvements:
                slot["improvements"].append(s.improvements)
    return out


def _category_rows(application, score) -> list[dict]:
    rows = []
    for category in criteria_categories(application.cycle.criteria_set_id):
        got = score.by_category.get(category.code)
        rows.append(
            {
                "category": category,
                "points": got,
                "percent": round(100 * got / category.points) if got is not None else None,
            }
        )
    return rows


def feedback_report_pdf(application) -> bytes:
    """The document-review feedback (Baldrige gives every applicant one): scores per category,
    strengths and opportunities for improvement, never who wrote them."""
    items = criteria_items(application.cycle.criteria_set_id)
    programme = application.cycle.programme
    score = stage_score(application, Stage.DOCUMENT, items, programme)
    comments = _comments(application, Stage.DOCUMENT)
    return render_pdf(
        "review/pdf/feedback.html",
        {
            "app": application,
            "score": score,
            "categories": _category_rows(application, score),
            "items": [(i, comments.get(i.pk, {})) for i in items],
            "generated": timezone.localtime(),
        },
    )


def evaluation_report_pdf(application) -> bytes:
    """The on-site evaluation report: the group's consensus sheet, the satisfaction index and
    the composite with its parts."""
    items = criteria_items(application.cycle.criteria_set_id)
    programme = application.cycle.programme
    result = composite(application, items, programme)
    consensus = {
        c.item_id: c for c in application.consensus_scores.all() if c.stage == Stage.ONSITE
    }
    comments = _comments(application, Stage.ONSITE)
    return render_pdf(
        "review/pdf/evaluation.html",
        {
            "app": application,
            "result": result,
            "categories": _category_rows(application, result.onsite),
            "items": [(i, consensus.get(i.pk), comments.get(i.pk, {})) for i in items],
            "flags": [d for d in dispersion(application, items, programme) if d.flagged],
            "visit": getattr(application, "site_visit", None),
            "generated": timezone.localtime(),
        },
    )
