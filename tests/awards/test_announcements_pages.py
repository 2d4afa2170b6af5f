"""The public announcements page shows ten cycles a page, newest first (issue 12: every
announced cycle of a province's history was on one page)."""

from __future__ import annotations

import datetime as dt

import pytest

from programmes.models import Cycle
from tests.factories import CycleFactory, ProgrammeFactory

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
