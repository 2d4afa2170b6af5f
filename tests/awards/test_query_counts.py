"""The awards lists cost a fixed number of queries, whatever the number of awards: no N+1.

Each test builds 1 or 3 awards and expects the same literal count for both (tests/queries.py),
measured after a warm-up request, so that per-process caches do not count.
Every award has what the lists show: a certificate, the money owed, an open case. The awards
are either all of one announced cycle, or one a year over as many announced cycles (one cycle
a year, R5).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from awards.models import Award
from awards.services.certificates import queue_certificates
from awards.services.ledger import record_owed
from awards.services.sanctions import open_case
from programmes.enums import CycleStatus
from tests.factories import AwardFactory, CycleFactory, OrganisationFactory
from tests.queries import assert_get_queries

pytestmark = pytest.mark.unit

D = dt.date
# Each list and its cost in queries, whatever the number of awards.
COSTS = (("/awards/office/", 12), ("/announcements/", 3), ("/api/v1/awards/", 2))


def announced_cycle(programme, year: int):
    return CycleFactory(
        programme=programme,
        year=year,
        opens_on=D(year, 3, 1),
        submission_deadline=D(year, 5, 31),
        recommendation_deadline=D(year, 6, 30),
        announced_on=D(year, 12, 20),
        status=CycleStatus.CLOSED,
    )


def add_award(programme, cycle, office) -> Award:
    announced_on = cycle.announced_on
    award = AwardFactory(
        organisation=OrganisationFactory(),
        programme=programme,
        cycle=cycle,
        year=cycle.year,
        announced_on=announced_on,
    )
    record_owed(award=award, actor=office, on=announced_on)
    queue_certificates(awards=[award], actor=office)
    open_case(
        award=award,
        trigger="fraud",
        occurred_on=D(cycle.year, 4, 1),
        description="申报材料存疑",
        actor=office,
    )
    return award


def client_for(url: str, office):
    if url.startswith("/api/"):
        return APIClient()
    client = Client()
    if url == "/awards/office/":
        client.force_login(office)
    return client


@pytest.mark.parametrize("item_count", (1, 3))
@pytest.mark.parametrize(("url", "queries"), COSTS, ids=[url for url, _ in COSTS])
def test_the_lists_cost_a_fixed_number_of_queries_for_awards_of_one_cycle(
    programme, office, url, queries, item_count
):
    cycle = announced_cycle(programme, 2025)
    for _ in range(item_count):
        add_award(programme, cycle, office)
    assert_get_queries(queries, client_for(url, office), url, public=not url.startswith("/awards/"))


@pytest.mark.parametrize("item_count", (1, 3))
@pytest.mark.parametrize(("url", "queries"), COSTS, ids=[url for url, _ in COSTS])
def test_the_lists_cost_a_fixed_number_of_queries_for_awards_of_as_many_cycles(
    programme, office, url, queries, item_count
):
    for year in range(2025 - item_count + 1, 2026):
        add_award(programme, announced_cycle(programme, year), office)
    assert_get_queries(queries, client_for(url, office), url, public=not url.startswith("/awards/"))
