"""The expert's scoring page: which sheet the caller may open, what the page shows beside the
form (evidence, band guide, running total, items still to score) and, for the on-site group's
leader, the group's marks and the consensus form."""

from __future__ import annotations

from django.http import Http404

from applications.enums import ApplicationStatus as S
from applications.forms import BANDS
from applications.selectors import live_documents
from programmes.selectors import criteria_items

from .enums import AssignmentStatus, Stage
from .forms import ConsensusForm, ScoreSheetForm
from .models import Assignment
from .selectors import assignments_of

TEMPLATE = "review/score.html"


def scoring_assignment(user, pk: int) -> Assignment:
    """The caller's own sheet, while they may read the application (404 otherwise: no pledge
    yet, a conflict declared, or another expert's sheet)."""
    assignment = assignments_of(user).filter(pk=pk).first()
    if assignment is None or not user.has_perm(
        "applications.view_application", assignment.application
    ):
        raise Http404
    return assignment


def sheet_form(assignment: Assignment, data=None, form_class=ScoreSheetForm) -> ScoreSheetForm:
    items = criteria_items(assignment.application.cycle.criteria_set_id)
    if data is not None:
        return form_class(data, items=items)
    initial = ScoreSheetForm.initial_for(assignment.scores.select_related("item"))
    return form_class(items=items, initial=initial)


def leads_open_consensus(assignment: Assignment) -> bool:
    """The on-site leader records the group's consensus once their own sheet is in, while the
    application is in on-site review (SCORING.md, R12.5)."""
    return (
        assignment.leader
        and assignment.stage == Stage.ONSITE
        and assignment.status == AssignmentStatus.SUBMITTED
        and assignment.application.status == S.ONSITE_REVIEW
    )


def consensus_form(assignment: Assignment, data=None) -> ConsensusForm | None:
    if not leads_open_consensus(assignment):
        return None
    items = criteria_items(assignment.application.cycle.criteria_set_id)
    initial = {}
    for c in assignment.application.consensus_scores.filter(
        voided_at=None, stage=Stage.ONSITE
    ).select_related("item"):
        initial[f"p_{c.item.code}"], initial[f"c_{c.item.code}"] = str(c.percent), c.comment
    return ConsensusForm(data, items=items, initial=initial)


def group_marks(assignment: Assignment) -> dict[str, list[tuple[str, int]]]:
    """The on-site group's own marks per item, for the leader's consensus (R12.5)."""
    marks: dict[str, list[tuple[str, int]]] = {}
    sheets = (
        Assignment.objects.filter(
            application=assignment.application,
            stage=Stage.ONSITE,
            status=AssignmentStatus.SUBMITTED,
        )
        .select_related("expert")
        .prefetch_related("scores__item")
        .order_by("-leader", "expert__username")
    )
    for sheet in sheets:
        for score in sheet.scores.all():
            marks.setdefault(score.item.code, []).append((sheet.expert.display_name, score.percent))
    return marks


def score_page(assignment: Assignment, form: ScoreSheetForm, consensus=None) -> dict:
    app = assignment.application
    missing = form.missing_items()
    return {
        "assignment": assignment,
        "app": app,
        "form": form,
        "documents": live_documents(app),
        "total": form.running_total(),
        "missing": missing,
        "scored": len(form.items) - len(missing),
        "consensus_form": consensus,
        "group_marks": group_marks(assignment) if consensus else {},
        "bands": BANDS,
        "locked": assignment.status == AssignmentStatus.SUBMITTED,
    }
