"""The organisations app's named permissions, predicate by predicate (issue 10 §2; R22)."""

import pytest

from tests.factories import ProgrammeFactory
from tests.rules_matrix import People

pytestmark = pytest.mark.django_db


def test_an_organisations_record_is_its_members_and_the_overseers():
    people = People(ProgrammeFactory())
    org = people.organisation
    assert people.holders("organisations.view_organisation_record", org) == {
        "applicant",
        "office",
        "committee",
        "supervisor",
        "government",
        "foreign_office",
        "foreign_committee",
        "foreign_supervisor",
        "foreign_government",
    }
    assert people.holders("organisations.edit_profile", org) == {
        "applicant",
        "office",
        "foreign_office",
    }


def test_credit_and_incidents_are_the_offices_R11_5_R11_6():
    people = People(ProgrammeFactory())
    for perm in ("organisations.rate_credit", "organisations.record_incident"):
        assert people.holders(perm, people.organisation) == {"office", "foreign_office"}
    assert people.holders("organisations.list_organisations") == {
        "office",
        "supervisor",
        "foreign_office",
        "foreign_supervisor",
    }
    assert people.holders("organisations.view_own_organisation") == {"applicant", "enterprise"}
