"""The review dashboard of an office serving many programmes (issue 12): its cycle selector and
its list of what waits are bounded, with a link to the list of every cycle, and it costs the
same queries for one programme as for many."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from accounts.enums import Role
from accounts.models import ProgrammeMembership
from applications.enums import ApplicationStatus as S
from review.dashboard import SELECTOR_LIMIT
from review.panels import WAITING_LIMIT
from tests.factories import CycleFactory, ProgrammeFactory, staff_user
from tests.queries import assert_get_queries
from tests.review.conftest import make_accepted, set_status

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

MANY = max(SELECTOR_LIMIT, WAITING_LIMIT) + 3


def programmes_awaiting_publicity(n: int) -> list:
    """``n`` programmes, each with this year's cycle decided and a winner to publish."""
    cycles = []
    for i in range(n):
        cycle = CycleFactory(
            programme=ProgrammeFactory(name=f"测试{i:03d}质量奖"), decided_at=timezone.now()
        )
        (app,) = make_accepted(cycle, 1)
        set_status(app, S.PROPOSED)
        cycles.append(cycle)
    return cycles


def options(page: str) -> list[str]:
    return re.findall(r'<option value="(\d+)"', page)


@pytest.mark.parametrize("item_count", (1, MANY))
def test_the_dashboard_costs_the_same_and_shows_a_bounded_list_for_many_programmes(
    client, item_count
):
    programmes_awaiting_publicity(item_count)
    office = staff_user(Role.OFFICE, username="province-office")  # every programme
    client.force_login(office)
    page = assert_get_queries(15, client, "/review/").content.decode()
    waiting = page.count("个拟获奖组织待公示")
    if item_count == 1:
        assert options(page) == []  # one cycle: no selector, as before
        assert waiting == 1
        assert "全部年度评审" not in page
        assert "仅列出前" not in page
    else:
        assert len(options(page)) == SELECTOR_LIMIT
        assert 'href="/review/cycles/">全部年度评审</a>' in page
        assert waiting == WAITING_LIMIT
        assert f'badge warn">{WAITING_LIMIT}+</span>' in page
        assert f"仅列出前 {WAITING_LIMIT} 项" in page


def test_the_selector_lists_the_newest_programmes_first_and_keeps_a_chosen_one_past_it(client):
    cycles = programmes_awaiting_publicity(SELECTOR_LIMIT + 2)
    client.force_login(staff_user(Role.OFFICE, username="province-office"))
    page = client.get("/review/").content.decode()
    # Ordered by year, then the programme's name: the first twenty programmes.
    assert options(page) == [str(c.pk) for c in cycles[:SELECTOR_LIMIT]]
    last = cycles[-1]
    page = client.get(f"/review/?cycle={last.pk}").content.decode()
    assert options(page)[-1] == str(last.pk)
    assert f'<option value="{last.pk}" selected>' in page
    assert f'href="/review/cycles/{last.pk}/"' in page  # its own dashboard, as before


@pytest.mark.parametrize("item_count", (1, MANY))
def test_an_office_serving_many_programmes_one_by_one_sees_the_same_bounded_lists(
    client, item_count
):
    """Served through memberships, not ``all_programmes``: the selector filters what it reads
    as it goes and stops past the limit."""
    cycles = programmes_awaiting_publicity(item_count)
    office = staff_user(Role.OFFICE, programme=cycles[0].programme, username="league-office")
    for cycle in cycles[1:]:
        ProgrammeMembership.objects.create(user=office, programme=cycle.programme)
    client.force_login(office)
    page = assert_get_queries(17, client, "/review/").content.decode()
    expected = [] if item_count == 1 else [str(c.pk) for c in cycles[:SELECTOR_LIMIT]]
    assert options(page) == expected
    assert page.count("个拟获奖组织待公示") == min(item_count, WAITING_LIMIT)
