"""A recommender's list of the recommendation opinions it has signed (issue 11, R12.2): its own
only, every cycle, with a menu link; other roles are refused."""

from __future__ import annotations

import pytest

from applications.enums import ApplicationStatus as S
from applications.models import Application, Recommendation
from tests.factories import CycleFactory, ProgrammeFactory, staff_user
from tests.review import conftest as review
from tests.review.conftest import ROLES, make_accepted
from tests.rules_matrix import People

# The review's world of every role, and the fixtures it stands on.
w, accepted, review_cycle = review.w, review.accepted, review.review_cycle

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

URL = "/applications/recommended/"

PAGE = {
    "office": 403,
    "committee": 403,
    "supervisor": 403,
    "government": 403,
    "recommender": 200,
    "expert": 403,
    "owner": 403,
    "other_enterprise": 403,
    "anonymous": 302,
    "other_programme": 200,  # the foreign user is also a recommender: its own (empty) list
}


def sign(app, user, *, decision: str = "recommend", level: str = "industry") -> Recommendation:
    return Recommendation.objects.create(
        application=app, level=level, decision=decision, opinion="同意推荐", signed_by=user
    )


@pytest.mark.parametrize("role", ROLES)
def test_signed_list_per_role(client, w, role):
    user = w.user(role)
    if user is not None:
        client.force_login(user)
    response = client.get(URL)
    assert response.status_code == PAGE[role], role
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_menu_links_the_list_exactly_for_recommenders(client, w, role):
    user = w.user(role)
    if user is not None:
        client.force_login(user)
    page = client.get("/").content.decode()
    assert (f'href="{URL}"' in page) == (PAGE[role] == 200), role


def test_signed_list_shows_own_opinions_only_every_cycle(client, w):
    old_cycle = CycleFactory(programme=w.programme, year=2025)
    old = make_accepted(old_cycle, 1)[0]
    Application.objects.filter(pk=old.pk).update(status=S.AWARDED)
    mine_now = sign(w.app, w.recommender)
    mine_old = sign(old, w.recommender, decision="decline")
    other = staff_user("recommender", programme=w.programme, username="leading1")
    theirs = sign(w.app, other, level="leading_group")
    client.force_login(w.recommender)
    page = client.get(URL).content.decode()
    assert f'id="recommendation-{mine_now.pk}"' in page
    assert f'id="recommendation-{mine_old.pk}"' in page
    assert f'id="recommendation-{theirs.pk}"' not in page
    assert w.app.organisation.name in page and old.organisation.name in page
    assert "2025" in page and "不推荐" in page and str(S.AWARDED.label) in page
    # Newest first.
    assert page.index(f"recommendation-{mine_old.pk}") < page.index(f"recommendation-{mine_now.pk}")


def test_signed_list_is_empty_with_a_message(client, w):
    client.force_login(w.recommender)
    assert "您尚未签署推荐意见。" in client.get(URL).content.decode()


def test_signed_list_bad_page_number_is_not_an_error(client, w):
    sign(w.app, w.recommender)
    client.force_login(w.recommender)
    for page in ("abc", "999", "-1"):
        assert client.get(URL, {"page": page}).status_code == 200, page


@pytest.mark.parametrize("item_count", (1, 3))
def test_signed_list_costs_the_same_for_1_and_3(client, w, item_count, django_assert_num_queries):
    for app in make_accepted(w.cycle, item_count):
        sign(app, w.recommender)
    client.force_login(w.recommender)
    client.get(URL)
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert response.content.decode().count('id="recommendation-') == item_count


def test_list_own_recommendations_rule_matrix():
    people = People(ProgrammeFactory())
    assert people.holders("applications.list_own_recommendations") == {
        "recommender",
        "foreign_recommender",
    }
