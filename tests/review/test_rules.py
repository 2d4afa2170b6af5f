"""The review app's named permissions, predicate by predicate (issue 10 §2; R12.4, R22, R23)."""

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from programmes.models import Cycle
from review.enums import AssignmentStatus
from review.services.experts import accept_pledge
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    CycleFactory,
    ExpertProfileFactory,
    ProgrammeFactory,
)
from tests.rules_matrix import FOREIGN, People

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    programme = ProgrammeFactory()
    people = People(programme)
    cycle = CycleFactory(programme=programme)
    app = ApplicationFactory(
        cycle=cycle,
        organisation=people.organisation,
        status=S.DOCUMENT_REVIEW,
        submitted_at=timezone.now(),
    )
    return people, cycle, app


def test_the_office_manages_the_committee_decides_overseers_read(world):
    people, cycle, _ = world
    assert people.holders("review.manage_review", cycle) == {"office"}
    assert people.holders("review.decide_winners", cycle) == {"committee"}
    assert people.holders("review.view_ranking", cycle) == {"office", "committee", "supervisor"}
    assert people.holders("review.view_dashboard", cycle) == {
        "office",
        "committee",
        "supervisor",
        "government",
    }
    assert people.holders("review.open_dashboard") == {
        "office",
        "committee",
        "supervisor",
        "government",
        "foreign_office",
        "foreign_committee",
        "foreign_supervisor",
        "foreign_government",
    }


def test_feedback_reaches_the_applicant_only_after_the_document_stage_R12_4(world):
    people, _, app = world
    assert "applicant" not in people.holders("review.view_feedback", app)
    app.status = S.ONSITE_REVIEW
    assert people.holders("review.view_feedback", app) == {
        "applicant",
        "office",
        "committee",
        "supervisor",
    }


def test_an_expert_reads_only_what_is_assigned_while_the_cycle_is_open_R23(world):
    people, cycle, app = world
    expert = people["expert"]
    ExpertProfileFactory(user=expert, employer="某大学")
    accept_pledge(expert=expert)
    expert.refresh_from_db()  # the profile as the pledge left it
    assert "expert" not in people.holders("applications.view_application", app)
    AssignmentFactory(
        application=app, expert=expert, stage="document", status=AssignmentStatus.ASSIGNED
    )
    assert "expert" in people.holders("applications.view_application", app)
    Cycle.objects.filter(pk=cycle.pk).update(status="closed")
    app.cycle.refresh_from_db()
    assert "expert" not in people.holders("applications.view_application", app)


def test_experts_score_and_declare_their_own_conflicts(world):
    people, _, _ = world
    assert people.holders("review.score") == {"expert", "foreign_expert"}
    assert people.holders("review.declare_own_conflict") == {"expert", "foreign_expert"}
    assert people.holders("review.manage_experts") == {"office", "foreign_office"}
    assert people.holders("review.view_experts") == {
        "office",
        "supervisor",
        "foreign_office",
        "foreign_supervisor",
    }
    assert not people.holders("review.view_ranking") & FOREIGN
