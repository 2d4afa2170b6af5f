"""A county programme and a city programme in one deployment (issue 13 §2): the banner's award
(150623, county) and the Ordos mayor's award (150600, city) taking nominations from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.enums import Role
from accounts.models import User
from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.documents import upload_document
from applications.services.drafting import save_form
from ladder.services import set_ladder
from programmes.models import Cycle, Programme
from tests.applications.conftest import complete_form, pdf_upload
from tests.factories import (
    ApplicationFactory,
    AwardFactory,
    CycleFactory,
    EnterpriseUserFactory,
    OrganisationFactory,
    staff_user,
)

TODAY = dt.date(2026, 9, 1)
UPPER_DEADLINE = dt.date(2026, 10, 31)


@pytest.fixture
def default_today():
    return TODAY


def login_api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


def awarded_application(cycle: Cycle, *, org=None, announced_on=dt.date(2025, 12, 20)):
    """A lower application that won: its form and one evidence file, and its award."""
    org = org or OrganisationFactory(
        name="绿原乳业有限公司", registered_on=dt.date(2012, 5, 1), industry="乳制品", rating=True
    )
    user = org.users.first() or EnterpriseUserFactory(organisation=org)
    app = ApplicationFactory(cycle=cycle, organisation=org, created_by=user)
    save_form(application=app, data=complete_form(app), actor=user)
    upload_document(application=app, upload=pdf_upload(), kind="management_system", actor=user)
    now = timezone.now()
    Application.objects.filter(pk=app.pk).update(
        status=S.AWARDED, submitted_at=now, last_submitted_at=now
    )
    app.refresh_from_db()
    AwardFactory(
        organisation=org,
        programme=cycle.programme,
        cycle=cycle,
        application=app,
        year=cycle.year,
        announced_on=announced_on,
    )
    return app


@dataclass
class Ladder:
    county: Programme
    city: Programme
    other: Programme
    county_cycle: Cycle
    city_cycle: Cycle
    lower: Application
    county_office: User
    city_office: User
    other_office: User
    expert: User
    city_industry: User
    city_leading: User
    city_government: User

    @property
    def enterprise(self) -> User:
        return self.lower.organisation.users.first()


@pytest.fixture
def ladder(db) -> Ladder:
    from tests.factories import ProgrammeFactory

    county = ProgrammeFactory(code="etkqq", name="鄂托克前旗旗长质量奖", region="150623")
    city = ProgrammeFactory(
        code="ordos",
        name="鄂尔多斯市市长质量奖",
        region="150600",
        level="city",
        government_name="鄂尔多斯市人民政府",
    )
    other = ProgrammeFactory(code="otog", name="鄂托克旗旗长质量奖", region="150624")
    county_cycle = CycleFactory(
        programme=county,
        year=2025,
        opens_on=dt.date(2025, 3, 1),
        submission_deadline=dt.date(2025, 5, 31),
        recommendation_deadline=dt.date(2025, 6, 30),
    )
    city_cycle = CycleFactory(
        programme=city,
        year=2026,
        opens_on=dt.date(2026, 3, 1),
        submission_deadline=UPPER_DEADLINE,
        recommendation_deadline=dt.date(2026, 11, 15),
    )
    city_office = staff_user(Role.OFFICE, programme=city, username="city_office")
    set_ladder(
        programme=city, actor=city_office, nominated_from=[county], requires_lower_award=True
    )
    industry = staff_user(Role.RECOMMENDER, programme=city, username="city_industry")
    industry.recommender_level = "industry"
    industry.industries = "乳制品"
    industry.save()
    leading = staff_user(Role.RECOMMENDER, programme=city, username="city_leading")
    leading.recommender_level = "leading_group"
    leading.save()
    return Ladder(
        county=county,
        city=city,
        other=other,
        county_cycle=county_cycle,
        city_cycle=city_cycle,
        lower=awarded_application(county_cycle),
        county_office=staff_user(Role.OFFICE, programme=county, username="county_office"),
        city_office=city_office,
        other_office=staff_user(Role.OFFICE, programme=other, username="other_office"),
        expert=staff_user(Role.EXPERT, programme=county, username="county_expert"),
        city_industry=industry,
        city_leading=leading,
        city_government=staff_user(Role.GOVERNMENT, programme=city, username="city_gov"),
    )


def nominate_api(ladder: Ladder, user: User | None = None, application: int | None = None):
    return login_api(user or ladder.county_office).post(
        f"/api/v1/cycles/{ladder.city_cycle.pk}/nominations/",
        {"application": application or ladder.lower.pk},
        format="json",
    )
