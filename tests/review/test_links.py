"""Issue 11: links a role cannot open are not shown to it (named permissions, issue 10 §2)."""

import pytest

from applications.enums import ApplicationStatus as S
from awards.models import Award
from tests.factories import AwardFactory
from tests.review.conftest import set_status

pytestmark = pytest.mark.django_db


def test_a_dashboard_links_the_ranking_only_to_roles_that_may_open_it(client, w):
    """Issue 11: the government's dashboard linked the ranking, which answers 403 to it."""
    ranking = f"/review/cycles/{w.cycle.pk}/ranking/"
    for role, shown in (("office", True), ("committee", True), ("government", False)):
        client.force_login(w.user(role))
        page = client.get(f"/review/?cycle={w.cycle.pk}").content.decode()
        assert (ranking in page) is shown, role
        assert client.get(ranking).status_code == (200 if shown else 403), role


def test_the_award_link_on_an_application_shows_only_to_who_may_open_the_award(client, w):
    """Issue 11: recommenders saw “查看奖项、证书与核验码”, which answered 404 to them."""
    set_status(w.app, S.AWARDED)
    award = AwardFactory(
        organisation=w.app.organisation,
        programme=w.cycle.programme,
        cycle=w.cycle,
        application=w.app,
        year=w.cycle.year,
        announced_on=w.cycle.recommendation_deadline,
        valid_until=Award.validity_end(w.cycle.recommendation_deadline, 3),
    )
    for role, shown in (("owner", True), ("office", True), ("recommender", False)):
        client.force_login(w.user(role))
        page = client.get(f"/applications/{w.app.pk}/").content.decode()
        assert ("查看奖项、证书与核验码" in page) is shown, role
        assert client.get(f"/awards/{award.pk}/").status_code == (200 if shown else 404), role
