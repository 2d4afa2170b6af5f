"""The admin for the committee and the supervisor: read-only where the workflow decides."""

import pytest

from accounts.roles import ensure_role_groups
from applications.models import Application
from tests.factories import OrganisationFactory, staff_user

pytestmark = pytest.mark.unit

CHANGELISTS = [
    "/admin/applications/application/",
    "/admin/review/assignment/",
    "/admin/review/expertprofile/",
    "/admin/awards/award/",
    "/admin/awards/case/",
    "/admin/awards/objection/",
    "/admin/awards/ledgerentry/",
    "/admin/common/auditentry/",
    "/admin/programmes/cycle/",
]


@pytest.mark.parametrize("role", ["committee", "supervisor", "office", "government"])
def test_overseers_read_the_admin_changelists(client, programme, role):
    ensure_role_groups()
    client.force_login(staff_user(role, programme=programme))
    assert client.get("/admin/").status_code == 200
    for url in CHANGELISTS:
        assert client.get(url).status_code == 200, url


def test_applications_cannot_be_changed_in_the_admin(client, cycle, committee):
    ensure_role_groups()
    app = Application.objects.create(cycle=cycle, organisation=OrganisationFactory())
    client.force_login(committee)
    response = client.post(
        f"/admin/applications/application/{app.pk}/change/", {"status": "awarded"}
    )
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.status == "draft"


@pytest.mark.parametrize("role", ["expert", "recommender"])
def test_experts_and_recommenders_have_no_admin(client, programme, role):
    client.force_login(staff_user(role, programme=programme, is_staff=False))
    assert client.get("/admin/").status_code == 302
