"""The expert's list of assignments (page and API) costs a fixed number of queries whatever the
assignments, reads only the columns it shows (issue 12: review.selectors.assignment_list_of),
and still shows every one of them with its organisation, programme and year."""

from __future__ import annotations

import re

import pytest

from review.enums import AssignmentStatus, Stage
from tests.factories import AssignmentFactory, ConflictOfInterestFactory
from tests.queries import assert_get_queries
from tests.review.conftest import login_api, make_accepted, make_experts

pytestmark = pytest.mark.unit


def assigned(review_cycle, programme, n: int):
    (expert,) = make_experts(programme, 1)
    apps = make_accepted(review_cycle, n + 1)
    for k, app in enumerate(apps[:n]):
        AssignmentFactory(
            application=app,
            expert=expert,
            stage=Stage.ONSITE if k % 2 else Stage.DOCUMENT,
            leader=bool(k % 2),
            status=AssignmentStatus.SUBMITTED if k else AssignmentStatus.ASSIGNED,
        )
    # A conflict declared with the last applicant ends that assignment's access: not listed.
    AssignmentFactory(application=apps[n], expert=expert)
    ConflictOfInterestFactory(expert=expert, organisation=apps[n].organisation)
    return expert, apps


@pytest.mark.parametrize("item_count", (1, 3))
def test_the_expert_page_costs_the_same_and_shows_every_assignment(
    client, review_cycle, programme, item_count
):
    expert, apps = assigned(review_cycle, programme, item_count)
    client.force_login(expert)
    page = assert_get_queries(5, client, "/review/assignments/").content.decode()
    for app in apps[:item_count]:
        assert app.organisation.name in page
    assert apps[item_count].organisation.name not in page
    assert f"{programme.name} {review_cycle.year}" in page
    assert len(re.findall(r'href="/review/assignments/\d+/"', page)) == item_count


@pytest.mark.parametrize("item_count", (1, 3))
def test_the_expert_api_costs_the_same_and_lists_every_assignment(
    review_cycle, programme, item_count, django_assert_num_queries
):
    expert, apps = assigned(review_cycle, programme, item_count)
    api = login_api(expert)
    api.get("/api/v1/assignments/")  # the forced user keeps its roles and profile after this
    with django_assert_num_queries(2):  # the count and the page, no column read row by row
        rows = api.get("/api/v1/assignments/").json()["results"]
    assert sorted(r["organisation"] for r in rows) == sorted(
        a.organisation.name for a in apps[:item_count]
    )
    assert {r["expert"] for r in rows} == {expert.pk}
    assert all(r["assigned_at"] and r["revoked_reason"] == "" for r in rows)
