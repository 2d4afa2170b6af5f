"""The accounts and notifications apps' named permissions, predicate by predicate (issue 10 §2;
issue 8 item 13: organisation claims)."""

import pytest

from accounts.enums import Role
from tests.factories import OrganisationClaimFactory, ProgrammeFactory, UserFactory
from tests.rules_matrix import FOREIGN, People

pytestmark = pytest.mark.django_db


def test_claims_are_decided_by_the_office_watched_by_the_supervisor():
    people = People(ProgrammeFactory())
    claimant = UserFactory()
    people["claimant"] = claimant
    claim = OrganisationClaimFactory(
        claimant=claimant,
        organisation=people.organisation,
        uscc=people.organisation.uscc,
        submitted_name=people.organisation.name,
    )
    assert people.holders("accounts.view_claim", claim) == {
        "claimant",
        "office",
        "supervisor",
        "foreign_office",
        "foreign_supervisor",
    }
    assert people.holders("accounts.submit_claim", claim) == {"claimant"}
    assert people.holders("accounts.decide_claim", claim) == {"office", "foreign_office"}
    # Only a person with neither organisation nor role follows claims from the menu.
    assert people.holders("accounts.follow_own_claims") == {"claimant"}


def test_two_factor_is_offered_to_staff_and_the_inbox_to_everyone_logged_in():
    people = People(ProgrammeFactory())
    staff = set(Role.values) | FOREIGN
    assert people.holders("accounts.use_two_factor") == staff
    assert people.holders("notifications.read_inbox") == set(people) - {"anonymous"}
    assert people.holders("notifications.view_jobs") == {
        "office",
        "supervisor",
        "foreign_office",
        "foreign_supervisor",
    }
    assert people.holders("notifications.retry_jobs") == {"office", "foreign_office"}
