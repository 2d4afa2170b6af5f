"""What the office's review page of one application shows: the stage scores and the composite,
the dispersion flags, who is assigned, and the forms open to the office at this step."""

from __future__ import annotations

from applications.enums import ApplicationStatus as S
from applications.models import Application
from programmes.enums import CycleStatus
from programmes.selectors import criteria_items

from .enums import AssignmentStatus, Stage
from .forms import (
    AssignForm,
    ConsensusForm,
    RevokeAssignmentForm,
    SurveyEntryForm,
    TokensForm,
    VisitForm,
)
from .models import SurveyToken
from .scores import composite, dispersion, stage_score
from .selectors import assignments_on, expert_pool

ASSIGNABLE = (S.ACCEPTED, S.DOCUMENT_REVIEW, S.ONSITE_REVIEW)


def assignment_rows(app: Application, can_manage: bool) -> list[dict]:
    """Who is (and was) assigned, by stage; the office may withdraw an unfinished one while
    the cycle runs (review.services.assignment.revoke_assignment)."""
    revocable = can_manage and app.cycle.status == CycleStatus.OPEN
    return [
        {
            "assignment": a,
            "revoke_form": RevokeAssignmentForm(auto_id=f"id_a{a.pk}_%s")
            if revocable and a.status == AssignmentStatus.ASSIGNED
            else None,
        }
        for a in assignments_on(app)
    ]


def office_forms(app: Application, flagged: list, can_manage: bool, posted: dict) -> dict:
    """The forms of this step (a posted form with its errors takes the place of its blank)."""
    if not can_manage:
        return {f: posted.get(f) for f in ("consensus_form", "assign_form", "survey_form")}
    onsite = app.status == S.ONSITE_REVIEW
    visit = getattr(app, "site_visit", None)
    blank = {
        "consensus_form": ConsensusForm(items=flagged)
        if flagged and app.status == S.DOCUMENT_REVIEW
        else None,
        "assign_form": AssignForm(experts=expert_pool(app.cycle.programme_id))
        if app.status in ASSIGNABLE
        else None,
        "survey_form": SurveyEntryForm() if onsite else None,
    }
    return {
        **{name: posted.get(name) or form for name, form in blank.items()},
        "visit_form": VisitForm(initial={"scheduled_on": getattr(visit, "scheduled_on", None)})
        if onsite
        else None,
        "tokens_form": TokensForm() if onsite else None,
    }


def review_page(user, app: Application, posted: dict) -> dict:
    cycle = app.cycle
    items = criteria_items(cycle.criteria_set_id)
    flags = dispersion(app, items, cycle.settings)
    can_manage = user.has_perm("review.manage_review", cycle)
    return {
        "app": app,
        "cycle": cycle,
        "can_manage": can_manage,
        # R12.4: the feedback report exists once the document stage has ended.
        "can_feedback": user.has_perm("review.view_feedback", app),
        "document": stage_score(app, Stage.DOCUMENT, items, cycle.settings),
        "onsite": stage_score(app, Stage.ONSITE, items, cycle.settings),
        "result": composite(app, items, cycle.settings),
        "flags": flags,
        "tokens": SurveyToken.objects.filter(application=app, used_at=None) if can_manage else [],
        "site_visit": getattr(app, "site_visit", None),
        "assignments": assignment_rows(app, can_manage),
        **office_forms(app, [d.item for d in flags if d.flagged], can_manage, posted),
    }
