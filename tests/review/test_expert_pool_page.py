"""The expert pool page at any size (issue 12): paginated, and a conflict named by the
organisation's USCC instead of a list of every organisation in every expert's form."""

from __future__ import annotations

import pytest

from review.models import ConflictOfInterest
from tests.factories import OrganisationFactory
from tests.review.conftest import make_experts

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


def test_office_declares_a_conflict_by_the_organisations_uscc_R23(client, programme, office):
    expert = make_experts(programme, 1)[0]
    org = OrganisationFactory()

    response = _client(client, office).post(
        f"/review/experts/{expert.pk}/conflicts/",
        {
            "page": "1",
            "organisation": org.uscc.lower(),
            "reason": "曾任该企业顾问",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/review/experts/{expert.pk}/"  # the expert's page
    conflict = ConflictOfInterest.objects.get()
    assert (conflict.expert, conflict.organisation, conflict.reason) == (
        expert,
        org,
        "曾任该企业顾问",
    )


@pytest.mark.parametrize("code", ["", "91150623MA0000000", "91150623MA00000000"])
def test_an_unknown_or_malformed_uscc_declares_nothing_and_says_why_R23(
    client, programme, office, code
):
    expert = make_experts(programme, 1)[0]
    OrganisationFactory()

    response = _client(client, office).post(
        f"/review/experts/{expert.pk}/conflicts/",
        {"organisation": code, "reason": "亲属"},
        follow=True,
    )

    assert response.status_code == 200
    assert "统一社会信用代码" in response.content.decode()
    assert not ConflictOfInterest.objects.exists()


def test_the_pool_is_shown_25_experts_a_page_without_an_organisation_list(
    client, programme, office
):
    make_experts(programme, 30, pledge=False)
    for i in range(5):
        OrganisationFactory(name=f"不应列出的组织{i}")
    c = _client(client, office)

    first = c.get("/review/experts/").content.decode()
    second = c.get("/review/experts/?page=2").content.decode()

    assert first.count('<article class="card" id="expert-') == 25
    assert second.count('<article class="card" id="expert-') == 5
    assert "共 30 名专家" in first and "page=2" in first
    assert "不应列出的组织" not in first


def test_the_pool_page_stays_refused_to_an_expert(client, programme):
    expert = make_experts(programme, 1)[0]

    assert _client(client, expert).get("/review/experts/").status_code == 403
