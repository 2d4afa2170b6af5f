"""The awards lists cost a fixed number of queries, whatever the number of awards: no N+1.

Each test measures a list with 1 award, adds 19 more, measures again and asserts the counts are
equal. Both measurements follow a warm-up request, so that per-process caches do not count.
Every award has what the lists show: a certificate, the money owed, an open case. The awards
are either all of one announced cycle, or one a year over 20 announced cycles (a programme that
has run for 20 years: one cycle a year, R5).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from awards.models import Award
from awards.services.certificates import queue_certificates
from awards.services.ledger import record_owed
from awards.services.sanctions import open_case
from programmes.enums import CycleStatus
from tests.factories import CycleFactory, OrganisationFactory

pytestmark = pytest.mark.unit

D = dt.date
URLS = ("/awards/office/", "/announcements/", "/api/v1/awards/")


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
    award = Award.objects.create(
        organisation=OrganisationFactory(),
        programme=programme,
        cycle=cycle,
        year=cycle.year,
        announced_on=announced_on,
        valid_until=Award.validity_end(announced_on, programme.validity_years),
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


def measure(client, url: str) -> list[str]:
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def assert_same_count(one: list[str], many: list[str]) -> None:
    extra = many[len(one) :]
    assert len(many) == len(one), f"{len(one)} -> {len(many)} queries; extra: {extra[:3]}"


@pytest.mark.parametrize("url", URLS)
def test_query_count_constant_1_vs_20_awards_of_one_cycle(programme, office, url):
    cycle = announced_cycle(programme, 2025)
    add_award(programme, cycle, office)
    client = client_for(url, office)
    one = measure(client, url)
    for _ in range(19):
        add_award(programme, cycle, office)
    many = measure(client, url)
    assert_same_count(one, many)


@pytest.mark.parametrize("url", URLS)
def test_query_count_constant_1_vs_20_awards_over_20_cycles(programme, office, url):
    add_award(programme, announced_cycle(programme, 2025), office)
    client = client_for(url, office)
    one = measure(client, url)
    for year in range(2006, 2025):
        add_award(programme, announced_cycle(programme, year), office)
    many = measure(client, url)
    assert_same_count(one, many)
