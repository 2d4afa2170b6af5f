"""What the office's page of one cycle shows: every submitted application that reached review,
with its composite, its panels and its open dispersion flags; the shortlist and candidate forms
of the step; the calibration of the programme's pool."""

from __future__ import annotations

from applications.enums import ApplicationStatus as S
from programmes.models import Cycle
from programmes.selectors import criteria_items

from .calibration import expert_calibration
from .enums import Stage
from .forms import IdsForm
from .scores import composite
from .selectors import dispersion_flags, expert_pool, with_score_totals

# The statuses an application shows on the cycle page: accepted for review, and every end it
# can reach from there.
ON_THE_CYCLE_PAGE = (
    S.ACCEPTED,
    S.DOCUMENT_REVIEW,
    S.ONSITE_REVIEW,
    S.CANDIDATE,
    S.PROPOSED,
    S.PUBLICITY,
    S.NOT_SHORTLISTED,
    S.NOT_CANDIDATE,
    S.NOT_PROPOSED,
    S.AWARDED,
    S.WITHDRAWN,
)


def cycle_rows(cycle: Cycle) -> list[dict]:
    """Stored sheet totals and a grouped query: no item score is read here (issue 12)."""
    items = criteria_items(cycle.criteria_set_id)
    apps = list(
        with_score_totals(
            cycle.applications.filter(status__in=ON_THE_CYCLE_PAGE, submitted_at__isnull=False)
        ).order_by("organisation__name")
    )
    flags = dispersion_flags(apps, cycle.settings.dispersion_threshold)
    return [
        {
            "app": app,
            "result": composite(app, items, cycle.settings),
            "document_experts": [a for a in app.assignments.all() if a.stage == Stage.DOCUMENT],
            "onsite_experts": [a for a in app.assignments.all() if a.stage == Stage.ONSITE],
            "flags": flags.get(app.pk, 0),
        }
        for app in apps
    ]


def step_forms(rows: list[dict], can_manage: bool) -> dict:
    """The shortlist (from document review) and the candidates (from on-site review)."""

    def choices(status):
        return [
            (str(r["app"].pk), r["app"].organisation.name)
            for r in rows
            if r["app"].status == status
        ]

    in_document, in_onsite = choices(S.DOCUMENT_REVIEW), choices(S.ONSITE_REVIEW)
    return {
        "shortlist_form": IdsForm(choices=in_document) if in_document and can_manage else None,
        "candidates_form": IdsForm(choices=in_onsite) if in_onsite and can_manage else None,
    }


def pool_calibration(user, cycle: Cycle) -> list | None:
    """The calibration of the experts who may sit on this programme's panels (issue 14 item
    4), for the office and the supervisor."""
    if not user.has_perm("review.view_calibration"):
        return None
    # Bounded by the pool's own panels, not by every sheet of the programmes served (issue 12).
    return expert_calibration(user, experts=expert_pool(cycle.programme_id))


def cycle_page(user, cycle: Cycle) -> dict:
    rows = cycle_rows(cycle)
    can_manage = user.has_perm("review.manage_review", cycle)
    return {
        "cycle": cycle,
        "rows": rows,
        "can_manage": can_manage,
        "calibration": pool_calibration(user, cycle),
        **step_forms(rows, can_manage),
    }
