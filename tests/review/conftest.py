import datetime as dt

import pytest
from django.utils import timezone

from accounts.enums import Role
from applications.enums import ApplicationStatus as S
from applications.models import Application
from programmes.selectors import criteria_items
from review.models import ExpertProfile
from review.services.experts import accept_pledge
from tests.factories import CycleFactory, EnterpriseUserFactory, OrganisationFactory, staff_user

TODAY = dt.date(2026, 9, 1)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def review_cycle(programme):
    return CycleFactory(
        programme=programme,
        year=2026,
        opens_on=dt.date(2026, 3, 1),
        submission_deadline=dt.date(2026, 5, 31),
        recommendation_deadline=dt.date(2026, 6, 30),
    )


def make_accepted(cycle, n: int = 1, industry: str = "乳制品") -> list[Application]:
    """Applications already through intake (the intake tests cover how they get there)."""
    apps = []
    for _ in range(n):
        org = OrganisationFactory(industry=industry)
        EnterpriseUserFactory(organisation=org)
        apps.append(
            Application.objects.create(
                cycle=cycle,
                organisation=org,
                status=S.ACCEPTED,
                submitted_at=timezone.now(),
                last_submitted_at=timezone.now(),
            )
        )
    return apps


def make_experts(programme, n: int, *, industries: str = "", pledge: bool = True) -> list:
    experts = []
    for i in range(n):
        user = staff_user(Role.EXPERT, programme=programme, is_staff=False)
        ExpertProfile.objects.create(user=user, industries=industries, employer=f"单位{i}")
        if pledge:
            accept_pledge(expert=user)
        experts.append(user)
    return experts


def sheet(cycle, percent: int | dict) -> list[dict]:
    """A full score sheet: one percentage for all items, or per item code."""
    items = criteria_items(cycle.criteria_set_id)
    pick = (
        (lambda code: percent.get(code, 50))
        if isinstance(percent, dict)
        else (lambda code: percent)
    )
    return [
        {
            "item": i.code,
            "percent": pick(i.code),
            "strengths": f"{i.name}方法系统",
            "improvements": f"{i.name}可加强对比",
        }
        for i in items
    ]


@pytest.fixture
def accepted(review_cycle):
    return make_accepted(review_cycle, 1)[0]


@pytest.fixture
def experts(programme):
    return make_experts(programme, 6)
