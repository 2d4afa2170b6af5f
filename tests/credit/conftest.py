import datetime as dt

import pytest

from applications.enums import ApplicationStatus as S
from tests.conftest import login_api
from tests.factories import (
    ApplicationFactory,
    CycleFactory,
    EnterpriseUserFactory,
    OrganisationFactory,
    staff_user,
)

TODAY = dt.date(2026, 5, 20)


@pytest.fixture
def default_today():
    """Inside the cycle's application window."""
    return TODAY


@pytest.fixture
def open_cycle(programme):
    return CycleFactory(
        programme=programme,
        year=2026,
        opens_on=dt.date(2026, 3, 1),
        submission_deadline=dt.date(2026, 5, 31),
        recommendation_deadline=dt.date(2026, 6, 30),
    )


@pytest.fixture
def organisation(db):
    return OrganisationFactory(
        name="绿原乳业有限公司", registered_on=dt.date(2012, 5, 1), rating=True
    )


@pytest.fixture
def applicant(organisation):
    return EnterpriseUserFactory(organisation=organisation, username="greenmilk")


@pytest.fixture
def live(organisation, open_cycle):
    """An application in the document review."""
    return ApplicationFactory(cycle=open_cycle, organisation=organisation, status=S.DOCUMENT_REVIEW)


@pytest.fixture
def office_api(office):
    return login_api(office)


@pytest.fixture
def users(programme, office, committee, supervisor, government, expert, applicant):
    return {
        "office": office,
        "committee": committee,
        "supervisor": supervisor,
        "government": government,
        "expert": expert,
        "recommender": staff_user("recommender", programme=programme, username="rec1"),
        "enterprise": applicant,
    }
