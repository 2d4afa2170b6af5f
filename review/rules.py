"""Who may do what in the review (django-rules)."""

import rules

from accounts.rules import (
    is_committee,
    is_expert,
    is_government,
    is_office,
    is_supervisor,
    reads_programme,
    serves_programme,
)
from applications.enums import ApplicationStatus as S
from applications.rules import is_own_application, is_submitted, register_reader
from programmes.enums import CycleStatus

from .enums import LIVE_ASSIGNMENT_STATES, ExpertStatus
from .models import ConflictOfInterest

# The applicant sees the document-review feedback once the document stage is over for it.
FEEDBACK_RELEASED = frozenset(
    {
        S.NOT_SHORTLISTED,
        S.ONSITE_REVIEW,
        S.CANDIDATE,
        S.NOT_CANDIDATE,
        S.PROPOSED,
        S.NOT_PROPOSED,
        S.PUBLICITY,
        S.AWARDED,
    }
)


@rules.predicate
def is_assigned_expert(user, application) -> bool:
    """An active expert with a live assignment on the application, who has signed the
    confidentiality pledge and declared no conflict with the applicant (R23: a declared
    conflict ends access at once, whatever becomes of the sheets already submitted)."""
    if application is None or not user.is_authenticated:
        return False
    profile = getattr(user, "expert_profile", None)
    if profile is None or profile.status != ExpertStatus.ACTIVE or not profile.pledge_accepted_at:
        return False
    return (
        application.cycle.status == CycleStatus.OPEN  # access ends when the cycle closes
        and application.assignments.filter(expert=user, status__in=LIVE_ASSIGNMENT_STATES).exists()
        and not ConflictOfInterest.objects.filter(
            expert=user, organisation_id=application.organisation_id
        ).exists()
    )


# Experts read the applications assigned to them (and nothing else of intake).
register_reader(is_assigned_expert)

reads_review = is_office | is_committee | is_supervisor | is_government
rules.add_perm("review.manage_review", is_office & serves_programme)
rules.add_perm("review.view_ranking", (is_office | is_committee | is_supervisor) & reads_programme)
rules.add_perm("review.view_dashboard", reads_review & reads_programme)
rules.add_perm("review.decide_winners", is_committee & serves_programme)
rules.add_perm("review.manage_experts", is_office)
rules.add_perm("review.view_experts", is_office | is_supervisor)
# Issue 14 item 4: the experts' calibration (informs; never changes a score).
rules.add_perm("review.view_calibration", is_office | is_supervisor)
rules.add_perm("review.score", is_expert)
rules.add_perm("review.open_dashboard", reads_review)
# Issue 11: every year's cycles of the programmes read, past ones too.
rules.add_perm("review.list_cycles", reads_review)
# An expert (who is not also the office) declares conflicts for themself only.
rules.add_perm("review.declare_own_conflict", is_expert & ~is_office)


@rules.predicate
def feedback_released(user, application) -> bool:
    """The feedback report exists once the document stage has ended for the application
    (R12.4); before, it would be a report of empty scores."""
    return application is not None and application.status in FEEDBACK_RELEASED


rules.add_perm(
    "review.view_feedback",
    feedback_released
    & (
        is_own_application
        | ((is_office | is_committee | is_supervisor) & reads_programme & is_submitted)
    ),
)
