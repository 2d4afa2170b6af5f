"""The government's approvals page costs a fixed number of queries whatever the cycles and
winners, and reads only the columns it shows (issue 12: awards.selectors.cycles_to_approve),
showing every cycle with its dates, reasons and winners."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from tests.factories import ApplicationFactory, CycleFactory, ObjectionFactory
from tests.queries import assert_get_queries

pytestmark = pytest.mark.unit

D = dt.date


@pytest.mark.parametrize("item_count", (1, 3))
def test_the_approvals_page_costs_the_same_and_shows_every_cycle(
    client, programme, government, item_count
):
    winners = []
    for k in range(item_count):
        year = 2025 - k
        cycle = CycleFactory(
            programme=programme,
            year=year,
            opens_on=D(year, 3, 1),
            submission_deadline=D(year, 5, 31),
            recommendation_deadline=D(year, 6, 30),
            publicity_starts_on=D(year, 9, 1),
            publicity_ends_on=D(year, 9, 7),
            decision_rationale=f"审定理由{year}",
        )
        for _ in range(item_count):
            app = ApplicationFactory(cycle=cycle, status=S.PUBLICITY, submitted_at=timezone.now())
            winners.append(app)
        ObjectionFactory(
            application=app, text="异议内容十个字以上的", name="王某", phone="13900001111"
        )
    client.force_login(government)
    page = assert_get_queries(7, client, "/approvals/").content.decode()
    for app in winners:
        assert app.organisation.name in page
    for k in range(item_count):
        year = 2025 - k
        assert f"审定理由{year}" in page and f"{year}-09-01 – {year}-09-07" in page
        assert f"{programme.name} {year}年度" in page
    assert page.count("尚有 1 条异议未处理") == item_count
