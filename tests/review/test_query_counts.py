"""The review's lists cost a fixed number of queries, whatever the number of applications (and,
for the expert pool, whatever the number of experts): no N+1.

Each test builds 1 or 3 applications (bulk-created: every row that the scores read, for every
application) and expects the same literal count for both (tests/queries.py), measured after a
warm-up request, so that per-process caches do not count.
"""

from __future__ import annotations

import pytest
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
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    ConflictOfInterestFactory,
    ConsensusScoreFactory,
    ItemScoreFactory,
    ObjectionFactory,
    OrganisationFactory,
    SurveyResponseFactory,
)
from tests.queries import assert_get_queries
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
        ApplicationFactory.build(
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
        AssignmentFactory.build(
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
        ItemScoreFactory.build(
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
            ConsensusScoreFactory.build(
                application=app, stage=Stage.DOCUMENT, item=items[0], percent=70, recorded_by=office
            )
            for app in apps
        ]
        + [
            ConsensusScoreFactory.build(
                application=app, stage=Stage.ONSITE, item=item, percent=75, recorded_by=experts[3]
            )
            for app in apps
            for item in items
        ]
    )
    SurveyResponse.objects.bulk_create(
        SurveyResponseFactory.build(application=app, score=score, respondent_kind="customer")
        for app in apps
        for score in (80, 90)
    )
    Objection.objects.bulk_create(
        ObjectionFactory.build(
            application=app, text="异议内容十个字以上的", name="王某某", phone="13900001111"
        )
        for app in apps
    )
    return apps


@pytest.fixture
def group(programme):
    return make_experts(programme, 5)


@pytest.fixture
def staff_client(client, office):
    client.force_login(office)
    return client


@pytest.mark.parametrize("item_count", (1, 3))
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/review/cycles/{pk}/ranking/", 14),
        ("/api/v1/cycles/{pk}/ranking/", 12),
        # + the open dispersion flags, one grouped query; the pool is a subquery of the
        # calibration's first query (issue 12)
        ("/review/cycles/{pk}/", 18),
    ],
    ids=["ranking page", "ranking api", "cycle page"],
)
def test_cycle_lists_cost_a_fixed_number_of_queries(
    staff_client, review_cycle, group, office, url, queries, item_count
):
    add_applications(review_cycle, group, office, item_count)
    assert_get_queries(queries, staff_client, url.format(pk=review_cycle.pk))


def test_ranking_api_lists_every_application(staff_client, review_cycle, group, office):
    add_applications(review_cycle, group, office, MANY)
    rows = staff_client.get(f"/api/v1/cycles/{review_cycle.pk}/ranking/").json()["results"]
    assert len(rows) == MANY
    assert [r["onsite"]["method"] for r in rows] == ["consensus"] * MANY


@pytest.mark.parametrize("item_count", (1, 3))
def test_expert_pool_page_costs_a_fixed_number_of_queries_whatever_the_applications(
    staff_client, review_cycle, group, office, item_count
):
    apps = add_applications(review_cycle, group, office, item_count)
    ConflictOfInterest.objects.bulk_create(
        ConflictOfInterestFactory.build(
            expert=group[k % 5],
            organisation=app.organisation,
            reason="曾任顾问",
            declared_by=office,
        )
        for k, app in enumerate(apps)
    )
    assert_get_queries(12, staff_client, "/review/experts/")  # + the add-expert form's programmes


@pytest.mark.parametrize("more_experts", (0, 3))
def test_expert_pool_page_costs_a_fixed_number_of_queries_whatever_the_experts(
    staff_client, programme, review_cycle, group, office, more_experts
):
    apps = add_applications(review_cycle, group, office, 1)
    ConflictOfInterestFactory(
        expert=group[0], organisation=apps[0].organisation, reason="曾任顾问", declared_by=office
    )
    ConflictOfInterest.objects.bulk_create(
        ConflictOfInterestFactory.build(
            expert=e, organisation=apps[0].organisation, reason="亲属任职", declared_by=office
        )
        for e in make_experts(programme, more_experts, industries="乳制品")
    )
    assert_get_queries(12, staff_client, "/review/experts/")  # + the add-expert form's programmes
