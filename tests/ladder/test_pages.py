"""The nominations page: the lower office nominates with a plain form and follows its nominees;
the upper office reads every nominee; others are refused."""

from __future__ import annotations

import pytest
from django.test import Client

from ladder.models import Nomination
from tests.factories import OrganisationFactory
from tests.queries import assert_get_queries

from .conftest import awarded_application, nominate_api

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(ladder) -> str:
    return f"/ladder/cycles/{ladder.city_cycle.pk}/nominations/"


def test_the_lower_office_nominates_on_the_page_without_js(ladder):
    client = _client(ladder.county_office)
    page = client.get(_url(ladder))
    assert page.status_code == 200
    assert "绿原乳业有限公司" in page.content.decode()  # offered in the form
    response = client.post(_url(ladder), {"application": ladder.lower.pk}, follow=True)
    assert response.status_code == 200
    assert Nomination.objects.filter(nominated_from=ladder.lower).exists()
    body = response.content.decode()
    assert "已推荐" in body and "草稿" in body
    again = client.post(_url(ladder), {"application": ladder.lower.pk}, follow=True)
    assert "已推荐到本年度评审" in again.content.decode()
    assert Nomination.objects.count() == 1


def test_a_bad_choice_on_the_page_is_a_message_not_a_500(ladder):
    client = _client(ladder.county_office)
    for value in ("", "x", "99999999999", "999999"):
        response = client.post(_url(ladder), {"application": value}, follow=True)
        assert response.status_code == 200
        assert "请选择要推荐的申报" in response.content.decode()


def test_the_nominations_page_per_role(ladder):
    nominate_api(ladder)
    assert Client().get(_url(ladder)).status_code == 302  # to the login
    assert _client(ladder.enterprise).get(_url(ladder)).status_code == 403
    assert _client(ladder.expert).get(_url(ladder)).status_code == 403
    assert _client(ladder.other_office).get(_url(ladder)).status_code == 404
    assert (
        _client(ladder.county_office).get("/ladder/cycles/999999/nominations/").status_code == 404
    )
    upper = _client(ladder.city_office).get(_url(ladder))
    assert upper.status_code == 200 and "绿原乳业有限公司" in upper.content.decode()
    assert 'name="application"' not in upper.content.decode()  # the upper office reads only
    assert _client(ladder.city_office).post(_url(ladder), {"application": 1}).status_code == 403


def test_the_nominations_page_takes_a_constant_number_of_queries(ladder):
    client = _client(ladder.city_office)
    nominate_api(ladder)
    assert_get_queries(9, client, _url(ladder))
    for _ in range(3):
        org = OrganisationFactory(industry="乳制品", rating=True)
        lower = awarded_application(ladder.county_cycle, org=org)
        assert nominate_api(ladder, application=lower.pk).status_code == 201
    assert_get_queries(9, client, _url(ladder))


def test_the_landing_page_links_the_nominations_for_those_who_follow_them(ladder):
    link = _url(ladder)
    assert link in _client(ladder.county_office).get("/").content.decode()
    assert link in _client(ladder.city_office).get("/").content.decode()
    assert link not in _client(ladder.enterprise).get("/").content.decode()
    assert link not in _client(ladder.other_office).get("/").content.decode()
    assert link not in Client().get("/").content.decode()
