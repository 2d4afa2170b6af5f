import datetime as dt

import pytest

from accounts.enums import RecommenderLevel
from honours.enums import HonourKind
from honours.services import record_honour
from tests.factories import (
    AwardFactory,
    EnterpriseUserFactory,
    OrganisationFactory,
    ProgrammeFactory,
    make_uscc,
    staff_user,
)

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def default_today():
    return TODAY


@pytest.fixture
def city(db):
    return ProgrammeFactory(
        code="ordos",
        name="鄂尔多斯市市长质量奖",
        region="150600",
        level="city",
        government_name="鄂尔多斯市人民政府",
    )


@pytest.fixture
def dongsheng(db):
    return ProgrammeFactory(code="dsq", name="东胜区区长质量奖", region="150602")


@pytest.fixture
def hohhot(db):
    return ProgrammeFactory(code="hhxc", name="呼和浩特市新城区区长质量奖", region="150102")


@pytest.fixture
def org(db):
    return OrganisationFactory(name="绿原乳业有限公司", uscc=make_uscc("150623"))


@pytest.fixture
def member(org):
    return EnterpriseUserFactory(username="member1", organisation=org)


@pytest.fixture
def stranger(db):
    return EnterpriseUserFactory(username="stranger1")


@pytest.fixture
def city_office(city):
    return staff_user("office", programme=city, username="cityoffice")


@pytest.fixture
def city_supervisor(city):
    return staff_user("supervisor", programme=city, username="citysupervisor")


@pytest.fixture
def hohhot_office(hohhot):
    return staff_user("office", programme=hohhot, username="hhoffice")


@pytest.fixture
def recommender(programme):
    return staff_user(
        "recommender",
        programme=programme,
        username="recommender1",
        recommender_level=RecommenderLevel.LEADING_GROUP,
    )


@pytest.fixture
def honour(org, office):
    return record_honour(
        organisation=org,
        kind=HonourKind.CITY_MAYOR_AWARD,
        title="鄂尔多斯市市长质量奖",
        issuer="鄂尔多斯市人民政府",
        granted_on=dt.date(2026, 1, 15),
        valid_until=dt.date(2029, 1, 14),
        actor=office,
    )


def make_award(programme, org, *, announced_on, year=None, cycle=None, status="active"):
    return AwardFactory(
        organisation=org,
        programme=programme,
        cycle=cycle,
        year=year or announced_on.year,
        announced_on=announced_on,
        status=status,
    )
