"""The awards app's named permissions, predicate by predicate (issue 10 §2; R12.7, R12.8, R22)."""

import datetime as dt

import pytest

from awards.models import Award
from tests.factories import AwardFactory, ProgrammeFactory
from tests.rules_matrix import FOREIGN, STAFF, People

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    programme = ProgrammeFactory()
    people = People(programme)
    on = dt.date(2025, 1, 10)
    award = AwardFactory(
        organisation=people.organisation,
        programme=programme,
        year=2025,
        announced_on=on,
        valid_until=Award.validity_end(on, 3),
    )
    return people, award


def test_the_objectors_identity_is_the_offices_alone_R12_7(world):
    people, award = world
    assert people.holders("awards.view_objector", award) == {"office"}


def test_the_government_announces_and_approves_revocation_R12_8(world):
    people, award = world
    assert people.holders("awards.announce", award) == {"government"}
    assert people.holders("awards.approve_revocation", award) == {"government"}
    assert people.holders("awards.view_approvals") == {"government", "foreign_government"}


def test_the_committee_decides_cases_and_the_office_manages(world):
    people, award = world
    assert people.holders("awards.decide_case", award) == {"committee"}
    assert people.holders("awards.manage_award", award) == {"office"}
    assert people.holders("awards.run_publicity", award) == {"office"}
    assert people.holders("awards.resolve_objection", award) == {"office"}


def test_the_record_is_the_holders_and_the_programmes_overseers_R22(world):
    people, award = world
    assert people.holders("awards.view_award_record", award) == {
        "applicant",
        "office",
        "committee",
        "supervisor",
        "government",
    }
    assert people.holders("awards.view_award_internals") == set(STAFF) | FOREIGN
    assert people.holders("awards.import_history") == {"office", "foreign_office"}
    assert people.holders("awards.list_awards") == {
        "office",
        "committee",
        "supervisor",
        "government",
        "foreign_office",
        "foreign_committee",
        "foreign_supervisor",
        "foreign_government",
    }
