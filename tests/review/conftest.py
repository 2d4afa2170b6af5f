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
from programmes.models import Cycle, Programme
from programmes.selectors import criteria_items
from review.enums import AssignmentStatus
from review.models import Assignment, ItemScore
from review.services.experts import accept_pledge
from tests.clock import moment
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    CycleFactory,
    EnterpriseUserFactory,
    ExpertProfileFactory,
    ItemScoreFactory,
    OrganisationFactory,
    ProgrammeFactory,
    staff_user,
)

TODAY = dt.date(2026, 9, 1)


@pytest.fixture
def default_today():
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
        org = OrganisationFactory(industry=industry, rating=True)
        EnterpriseUserFactory(organisation=org)
        apps.append(
            ApplicationFactory(
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
        ExpertProfileFactory(user=user, industries=industries, employer=f"单位{i}")
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


def login_api(user: User) -> APIClient:
    """A client for ``user`` as a request would load it: fresh from the database, without the
    relations cached on the test's object (an expert's profile read before the pledge)."""
    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


# --- the world of the API and permission tests -----------------------------------------


@dataclass
class World:
    programme: Programme
    cycle: Cycle
    app: Application
    owner: User
    stranger: User
    office: User
    committee: User
    supervisor: User
    government: User
    recommender: User
    expert: User  # the expert of the matrix: serves the programme, pledge signed
    pool: list[User]  # expert + three more
    foreign: User  # every staff role, for another programme

    def user(self, role: str) -> User | None:
        return {
            "office": self.office,
            "committee": self.committee,
            "supervisor": self.supervisor,
            "government": self.government,
            "recommender": self.recommender,
            "expert": self.expert,
            "owner": self.owner,
            "other_enterprise": self.stranger,
            "anonymous": None,
            "other_programme": self.foreign,
        }[role]

    def client(self, role: str) -> APIClient:
        user = self.user(role)
        return APIClient() if user is None else login_api(user)

    def refresh(self) -> Application:
        self.app.refresh_from_db()
        return self.app


ROLES = (
    "office",
    "committee",
    "supervisor",
    "government",
    "recommender",
    "expert",
    "owner",
    "other_enterprise",
    "anonymous",
    "other_programme",
)


@pytest.fixture
def w(programme, review_cycle, accepted, office, committee, supervisor, government) -> World:
    recommender = staff_user(Role.RECOMMENDER, programme=programme, username="recommender1")
    recommender.recommender_level = "industry"
    recommender.industries = "制造业,乳制品,建材,纺织"  # R12.2: the industries it oversees
    recommender.save()
    pool = make_experts(programme, 4)
    for i, user in enumerate(pool):
        user.username, user.name = f"expert_pool_{i}", f"评审专家{'甲乙丙丁'[i]}"
        user.save()
    other = ProgrammeFactory(code="otherqq", name="鄂托克旗旗长质量奖", region="鄂托克旗")
    foreign = staff_user(
        [Role.OFFICE, Role.COMMITTEE, Role.SUPERVISOR, Role.GOVERNMENT, Role.RECOMMENDER],
        programme=other,
        username="foreign",
    )
    return World(
        programme=programme,
        cycle=review_cycle,
        app=accepted,
        owner=accepted.organisation.users.get(),
        stranger=EnterpriseUserFactory(username="stranger"),
        office=office,
        committee=committee,
        supervisor=supervisor,
        government=government,
        recommender=recommender,
        expert=pool[0],
        pool=pool,
        foreign=foreign,
    )


def set_status(app: Application, status: str) -> None:
    Application.objects.filter(pk=app.pk).update(status=status)
    app.refresh_from_db()


def scored_sheet(
    app: Application,
    expert: User,
    stage: str,
    percent: int | dict = 70,
    *,
    leader: bool = False,
    text: bool = False,
) -> Assignment:
    """A submitted score sheet, written straight to the database (the scoring service is
    exercised through the API below)."""
    assignment = AssignmentFactory(
        application=app,
        expert=expert,
        stage=stage,
        leader=leader,
        status=AssignmentStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    pick = percent.get if isinstance(percent, dict) else (lambda code, default: percent)
    ItemScore.objects.bulk_create(
        ItemScoreFactory.build(
            assignment=assignment,
            item=item,
            percent=pick(item.code, 70),
            strengths=f"{item.code}方法系统完整" if text else "",
            improvements=f"{item.code}可加强对比分析" if text else "",
        )
        for item in criteria_items(app.cycle.criteria_set_id)
    )
    return assignment


def proposed_by_committee(cycle, apps, on: dt.date) -> None:
    """The committee proposed ``apps`` as winners on ``on`` (R12.7: publicity follows it)."""
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(status=S.PROPOSED)
    for app in apps:
        app.refresh_from_db()
    Cycle.objects.filter(pk=cycle.pk).update(decided_at=moment(on, 9))
    cycle.refresh_from_db()
