"""The public announcements page shows ten cycles a page, newest first (issue 12: every
announced cycle of a province's history was on one page)."""

from __future__ import annotations

import datetime as dt

import pytest

from programmes.models import Cycle
from tests.factories import AwardFactory, CycleFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_announcements_are_paginated_ten_a_page_newest_first(client):
    programme = ProgrammeFactory(code="pager")
    for year in range(2010, 2022):
        cycle = CycleFactory(programme=programme, year=year)
        Cycle.objects.filter(pk=cycle.pk).update(announced_on=dt.date(year, 9, 1))

    first = client.get("/announcements/").content.decode()
    second = client.get("/announcements/?page=2").content.decode()

    assert first.count('<article class="card">') == 10
    assert "2021年度" in first and "2012年度" in first and "2011年度" not in first
    assert second.count('<article class="card">') == 2
    assert "2011年度" in second and "2010年度" in second
    assert client.get("/announcements/?page=x").status_code == 200


def test_the_office_award_list_shows_50_awards_and_10_cycles_a_page(client, office, programme):
    from tests.factories import OrganisationFactory

    for year in range(2000, 2012):
        cycle = CycleFactory(programme=programme, year=year)
        Cycle.objects.filter(pk=cycle.pk).update(announced_on=dt.date(year, 9, 1))
        for _ in range(5):
            AwardFactory(
                organisation=OrganisationFactory(),
                programme=programme,
                cycle=cycle,
                year=year,
                announced_on=dt.date(year, 9, 1),
                valid_until=dt.date(year + 3, 9, 1),
            )
    client.force_login(office)

    first = client.get("/awards/office/").content.decode()
    last = client.get("/awards/office/?page=2&cycles_page=2").content.decode()

    assert first.count('<tr><td><a href="/awards/') == 50
    assert last.count('<tr><td><a href="/awards/') == 10
    assert "2011年度" in first and "2002年度" in first and "2001年度" not in first
    assert "2001年度" in last and "cycles_page=1" in last
