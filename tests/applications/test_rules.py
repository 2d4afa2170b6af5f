"""The applications app's named permissions, predicate by predicate (issue 10 §2; R12.2)."""

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from tests.factories import ApplicationFactory, CycleFactory, ProgrammeFactory
from tests.rules_matrix import FOREIGN, STAFF, People

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    programme = ProgrammeFactory()
    people = People(programme)
    app = ApplicationFactory(
        cycle=CycleFactory(programme=programme), organisation=people.organisation
    )
    return people, app


def test_a_draft_is_the_applicants_own(world):
    people, app = world
    assert people.holders("applications.view_application", app) == {"applicant"}
    assert people.holders("applications.change_application", app) == {"applicant"}
    assert people.holders("applications.submit_application", app) == {"applicant"}


def test_once_submitted_the_programmes_readers_see_it_but_not_experts_or_others(world):
    people, app = world
    app.status, app.submitted_at = S.SUBMITTED, timezone.now()
    readers = people.holders("applications.view_application", app)
    assert readers == {
        "applicant",
        "office",
        "committee",
        "supervisor",
        "government",
        "recommender",
    }
    assert not readers & FOREIGN  # staff of another programme: 404


def test_an_industry_recommender_reads_and_signs_only_its_industries_R12_2(world):
    people, app = world
    app.status, app.submitted_at = S.SUBMITTED, timezone.now()
    recommender = people["recommender"]
    recommender.recommender_level, recommender.industries = "industry", "纺织"
    app.organisation.industry = "乳制品"
    assert "recommender" not in people.holders("applications.view_application", app)
    assert "recommender" not in people.holders("applications.recommend_application", app)
    recommender.industries = "乳制品"
    assert "recommender" in people.holders("applications.recommend_application", app)


def test_pages_of_their_own(world):
    people, _ = world
    assert people.holders("applications.list_own_applications") == {"applicant", "enterprise"}
    assert people.holders("applications.create_application") == {"applicant", "enterprise"}
    assert people.holders("applications.view_recommendation_queue") == {
        "recommender",
        "foreign_recommender",
    }
    assert people.holders("applications.view_intake_list") == {
        "office",
        "supervisor",
        "foreign_office",
        "foreign_supervisor",
    }
    staff = people.holders("applications.view_review_record")
    assert staff == set(STAFF) | FOREIGN


def test_only_the_programmes_office_decides_eligibility(world):
    people, app = world
    assert people.holders("applications.decide_eligibility", app) == {"office"}
    assert people.holders("applications.follow_application", app) == {"applicant"}
