"""Every year's cycles, past ones too, are reachable from the menu for the staff who read the
review (issue 11): status, counts, and links to that cycle's review page, ranking and records.
"""

from __future__ import annotations

import pytest

from applications.enums import ApplicationStatus as S
from applications.models import Application
from programmes.enums import CycleStatus
from tests.factories import CycleFactory, ProgrammeFactory
from tests.review.conftest import ROLES, make_accepted
from tests.rules_matrix import People

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

URL = "/review/cycles/"

PAGE = {
    "office": 200,
    "committee": 200,
    "supervisor": 200,
    "government": 200,
    "recommender": 403,
    "expert": 403,
    "owner": 403,
    "other_enterprise": 403,
    "anonymous": 302,
    "other_programme": 200,  # its own programme's cycles only (below)
}


@pytest.fixture
def past(w):
    cycle = CycleFactory(programme=w.programme, year=2024, status=CycleStatus.CLOSED)
    apps = make_accepted(cycle, 2)
    Application.objects.filter(pk=apps[0].pk).update(status=S.AWARDED)
    return cycle


@pytest.mark.parametrize("role", ROLES)
def test_cycles_page_per_role(client, w, past, role):
    user = w.user(role)
    if user is not None:
        client.force_login(user)
    response = client.get(URL)
    assert response.status_code == PAGE[role], role
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    if response.status_code == 200:
        page = response.content.decode()
        visible = role != "other_programme"
        assert (f'id="cycle-{past.pk}"' in page) == visible, role
        assert (f'id="cycle-{w.cycle.pk}"' in page) == visible, role


@pytest.mark.parametrize("role", ROLES)
def test_menu_links_the_cycles_page_exactly_when_it_opens(client, w, role):
    user = w.user(role)
    if user is not None:
        client.force_login(user)
    page = client.get("/").content.decode()
    assert (f'href="{URL}"' in page) == (PAGE[role] == 200), role


def test_cycles_page_shows_status_counts_and_links(client, w, past):
    client.force_login(w.office)
    page = client.get(URL).content.decode()
    row = page[page.index(f'id="cycle-{past.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "2024" in row and str(CycleStatus.CLOSED.label) in row
    assert '<td class="num">2</td><td class="num">1</td>' in row
    assert f'href="/review/cycles/{past.pk}/"' in row
    assert f'href="/review/cycles/{past.pk}/ranking/"' in row
    assert f'href="/applications/office/?cycle={past.pk}"' in row
    # Newest first.
    assert page.index(f'id="cycle-{w.cycle.pk}"') < page.index(f'id="cycle-{past.pk}"')


def test_government_sees_no_ranking_link_and_committee_no_records(client, w, past):
    client.force_login(w.government)
    page = client.get(URL).content.decode()
    assert f"/review/cycles/{past.pk}/ranking/" not in page
    client.force_login(w.committee)
    page = client.get(URL).content.decode()
    assert f"/review/cycles/{past.pk}/ranking/" in page
    assert "/applications/office/?cycle=" not in page


def test_the_past_cycle_links_open(client, w, past):
    client.force_login(w.office)
    for path in (
        f"/review/cycles/{past.pk}/",
        f"/review/cycles/{past.pk}/ranking/",
        f"/review/?cycle={past.pk}",
    ):
        assert client.get(path).status_code == 200, path
    records = client.get(f"/applications/office/?cycle={past.pk}").content.decode()
    current = w.app.organisation.name
    assert current not in records
    for app in past.applications.all():
        assert app.organisation.name in records


def test_programme_filter_and_bad_input(client, w, past):
    client.force_login(w.office)
    page = client.get(URL, {"programme": w.programme.pk}).content.decode()
    assert f'id="cycle-{past.pk}"' in page
    bad = client.get(URL, {"programme": "abc"})
    assert bad.status_code == 200
    assert "质量奖筛选条件无效，已显示全部质量奖。" in bad.content.decode()
    assert f'id="cycle-{past.pk}"' in bad.content.decode()
    assert client.get(URL, {"programme": "99999999999999999999"}).status_code == 404
    assert client.get(URL, {"page": "zzz"}).status_code == 200
    # Another programme's id: not one the office reads.
    client.force_login(w.foreign)
    assert client.get(URL, {"programme": w.programme.pk}).status_code == 404


def test_records_list_ignores_a_bad_cycle(client, w, past):
    client.force_login(w.office)
    for value in ("abc", "-1", "99999999999999999999"):
        assert client.get("/applications/office/", {"cycle": value}).status_code == 200, value


@pytest.mark.parametrize("item_count", (1, 3))
def test_cycles_page_costs_the_same_for_1_and_3_cycles(
    client, w, item_count, django_assert_num_queries
):
    for year in range(2020, 2020 + item_count):
        make_accepted(CycleFactory(programme=w.programme, year=year), 1)
    client.force_login(w.office)
    client.get(URL)
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert response.content.decode().count('id="cycle-') == item_count + 1


def test_list_cycles_rule_matrix():
    """The staff who read a programme's review list its cycles (foreign ones their own)."""
    people = People(ProgrammeFactory())
    readers = {"office", "committee", "supervisor", "government"}
    assert people.holders("review.list_cycles") == readers | {f"foreign_{r}" for r in readers}
