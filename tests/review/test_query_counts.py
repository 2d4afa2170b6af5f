"""The review's lists cost a fixed number of queries, whatever the number of applications (and,
for the expert pool, whatever the number of experts): no N+1.

Each test measures a page with one application, adds 99 more (bulk-created: every row that
the scores read, for every application), measures again, and asserts the counts are equal.
Both measurements follow a warm-up request, so that per-process caches do not count.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application
from awards.models import Objection
from organisations.models import Organisation
from programmes.selectors import criteria_items
from review.enums import AssignmentStatus, Stage
from review.models import (
    Assignment,
    ConflictOfInterest,
    ConsensusScore,
    ItemScore,
    SurveyResponse,
)
from tests.factories import OrganisationFactory
from tests.review.conftest import make_experts

pytestmark = pytest.mark.unit

MANY = 100


def add_applications(cycle, experts, office, n: int) -> list[Application]:
    """``n`` applications in on-site review, each with 3 submitted document sheets, a 2-expert
    on-site group (leader first) with submitted sheets, a document consensus on one item, the
    leader's complete on-site consensus, 2 survey responses and an objection."""
    now = timezone.now()
    items = criteria_items(cycle.criteria_set_id)
    orgs = Organisation.objects.bulk_create(OrganisationFactory.build() for _ in range(n))
    apps = Application.objects.bulk_create(
        Application(
            cycle=cycle,
            organisation=org,
            status=S.ONSITE_REVIEW,
            submitted_at=now,
            last_submitted_at=now,
        )
        for org in orgs
    )
    plan = [(experts[i], Stage.DOCUMENT, False) for i in range(3)]
    plan += [(experts[3], Stage.ONSITE, True), (experts[4], Stage.ONSITE, False)]
    assignments = Assignment.objects.bulk_create(
        Assignment(
            application=app,
            expert=expert,
            stage=stage,
            leader=leader,
            status=AssignmentStatus.SUBMITTED,
            submitted_at=now,
            assigned_by=office,
        )
        for app in apps
        for expert, stage, leader in plan
    )
    ItemScore.objects.bulk_create(
        ItemScore(
            assignment=a,
            item=item,
            percent=60 + 5 * (k % 5),
            strengths="方法系统",
            improvements="可加强对比",
        )
        for a in assignments
        for k, item in enumerate(items)
    )
    ConsensusScore.objects.bulk_create(
        [
            ConsensusScore(
                application=app, stage=Stage.DOCUMENT, item=items[0], percent=70, recorded_by=office
            )
            for app in apps
        ]
        + [
            ConsensusScore(
                application=app, stage=Stage.ONSITE, item=item, percent=75, recorded_by=experts[3]
            )
            for app in apps
            for item in items
        ]
    )
    SurveyResponse.objects.bulk_create(
        SurveyResponse(application=app, score=score, respondent_kind="customer")
        for app in apps
        for score in (80, 90)
    )
    Objection.objects.bulk_create(
        Objection(application=app, text="异议内容十个字以上的", name="王某某", phone="13900001111")
        for app in apps
    )
    return apps


def count_queries(client, url: str) -> tuple[int, list[str]]:
    assert client.get(url).status_code == 200  # warm-up
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def repeated(sqls: list[str], times: int) -> list[str]:
    """The statements (literals masked) run at least ``times`` times: the N+1 suspects."""
    shapes = Counter(re.sub(r"\b\d+\b|'[^']*'", "?", sql)[:160] for sql in sqls)
    return [f"{n}× {shape}" for shape, n in shapes.most_common() if n >= times]


@pytest.fixture
def group(programme):
    return make_experts(programme, 5)


@pytest.fixture
def staff_client(client, office):
    client.force_login(office)
    return client


def constant(staff_client, url: str, grow) -> None:
    few, _ = count_queries(staff_client, url)
    grow()
    many, sqls = count_queries(staff_client, url)
    assert many == few, "\n".join(repeated(sqls, MANY // 2))


@pytest.mark.parametrize(
    "url",
    [
        "/review/cycles/{pk}/ranking/",
        "/api/v1/cycles/{pk}/ranking/",
        "/review/cycles/{pk}/",
    ],
    ids=["ranking page", "ranking api", "cycle page"],
)
def test_cycle_lists_cost_the_same_for_1_and_100_applications(
    staff_client, review_cycle, group, office, url
):
    add_applications(review_cycle, group, office, 1)
    url = url.format(pk=review_cycle.pk)
    constant(staff_client, url, lambda: add_applications(review_cycle, group, office, MANY - 1))
    assert Application.objects.filter(cycle=review_cycle).count() == MANY


def test_ranking_api_lists_every_application(staff_client, review_cycle, group, office):
    add_applications(review_cycle, group, office, MANY)
    rows = staff_client.get(f"/api/v1/cycles/{review_cycle.pk}/ranking/").json()["results"]
    assert len(rows) == MANY
    assert [r["onsite"]["method"] for r in rows] == ["consensus"] * MANY


def test_expert_pool_page_costs_the_same_for_1_and_100_applications(
    staff_client, review_cycle, group, office
):
    apps = add_applications(review_cycle, group, office, 1)
    ConflictOfInterest.objects.create(
        expert=group[0], organisation=apps[0].organisation, reason="曾任顾问", declared_by=office
    )

    def grow():
        more = add_applications(review_cycle, group, office, MANY - 1)
        ConflictOfInterest.objects.bulk_create(
            ConflictOfInterest(
                expert=group[k % 5],
                organisation=app.organisation,
                reason="曾任顾问",
                declared_by=office,
            )
            for k, app in enumerate(more)
        )

    constant(staff_client, "/review/experts/", grow)


def test_expert_pool_page_costs_the_same_for_5_and_30_experts(
    staff_client, programme, review_cycle, group, office
):
    apps = add_applications(review_cycle, group, office, 1)
    ConflictOfInterest.objects.create(
        expert=group[0], organisation=apps[0].organisation, reason="曾任顾问", declared_by=office
    )

    def grow():
        more = make_experts(programme, 25, industries="乳制品")
        ConflictOfInterest.objects.bulk_create(
            ConflictOfInterest(
                expert=e, organisation=apps[0].organisation, reason="亲属任职", declared_by=office
            )
            for e in more
        )

    few, _ = count_queries(staff_client, "/review/experts/")
    grow()
    many, sqls = count_queries(staff_client, "/review/experts/")
    assert many == few, "\n".join(repeated(sqls, 10))
