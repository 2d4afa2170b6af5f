"""An industry authority is bound to the industries it oversees (R12.2: the *relevant*
authority; issue 9 §6): it sees and signs only those applications; the leading group, all."""

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.services.users import create_staff_user
from common.exceptions import ApplicationError
from tests.conftest import login_api

pytestmark = pytest.mark.unit


@pytest.fixture
def textile(programme):
    return create_staff_user(
        username="textile",
        password="s3cret-pass-9",
        roles=["recommender"],
        programmes=[programme.code],
        recommender_level="industry",
        industries=["纺织"],
    )


def test_an_industry_authority_needs_its_industries_R12_2(programme):
    with pytest.raises(ApplicationError) as excinfo:
        create_staff_user(
            username="noindustry",
            password="s3cret-pass-9",
            roles=["recommender"],
            recommender_level="industry",
        )
    assert excinfo.value.field == "industry"


def test_create_user_takes_repeated_industries_R12_2(programme):
    call_command(
        "create_user",
        "food",
        "--role",
        "recommender",
        "--password",
        "s3cret-pass-9",
        "--level",
        "industry",
        "--industry",
        "乳制品",
        "--industry",
        "食品",
    )
    assert User.objects.get(username="food").industry_list() == ["乳制品", "食品"]


def test_another_industrys_authority_neither_sees_nor_signs_R12_2(submitted, textile, industry):
    """The application is a 制造业 one; the textile authority is not its relevant authority."""
    client = login_api(textile)
    assert client.get(f"/api/v1/applications/{submitted.pk}/").status_code == 404
    assert client.get("/api/v1/applications/").json()["count"] == 0
    response = client.post(
        f"/api/v1/applications/{submitted.pk}/recommendations/",
        {"level": "industry", "decision": "recommend", "opinion": "同意推荐"},
        format="json",
    )
    assert response.status_code == 404
    assert not submitted.recommendations.exists()
    # Its own authority sees and lists it.
    own = login_api(industry)
    assert own.get(f"/api/v1/applications/{submitted.pk}/").status_code == 200
    assert own.get("/api/v1/applications/").json()["count"] == 1


def test_the_service_refuses_an_authority_outside_its_industries_R12_2(submitted, textile):
    from applications.services.recommendation import recommend_application

    with pytest.raises(ApplicationError) as excinfo:
        recommend_application(
            application=submitted,
            level="industry",
            decision="recommend",
            opinion="同意推荐",
            actor=textile,
        )
    assert (excinfo.value.rule, excinfo.value.code) == ("R12.2", "forbidden")


def test_the_leading_group_sees_every_industry_R12_2(submitted, leading):
    assert login_api(leading).get(f"/api/v1/applications/{submitted.pk}/").status_code == 200
