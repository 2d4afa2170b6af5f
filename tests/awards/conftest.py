import datetime as dt

import pytest

from awards.models import Award
from awards.services.ledger import record_owed
from tests.factories import AwardFactory, EnterpriseUserFactory, OrganisationFactory

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def default_today():
    return TODAY


def make_award(
    programme, *, announced_on=dt.date(2025, 1, 10), year=None, office=None, **org_kwargs
) -> Award:
    org = OrganisationFactory(**org_kwargs)
    EnterpriseUserFactory(organisation=org)
    award = AwardFactory(
        organisation=org,
        programme=programme,
        year=year or announced_on.year,
        announced_on=announced_on,
    )
    record_owed(award=award, actor=office, on=announced_on)
    return award


@pytest.fixture
def award(programme, office):
    return make_award(programme, office=office, name="绿原乳业有限公司")
