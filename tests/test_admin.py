"""The admin for the committee and the supervisor: read-only where the workflow decides."""

import pytest

from accounts.roles import ensure_role_groups
from tests.factories import ApplicationFactory, OrganisationFactory, staff_user

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
    app = ApplicationFactory(cycle=cycle, organisation=OrganisationFactory())
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


def test_office_adds_a_cycle_in_the_admin_through_the_service_R5(client, programme, office):
    """Issue 10 §4: this was a 500 (the criteria set was never set)."""
    from common.models import AuditEntry
    from programmes.models import Cycle

    ensure_role_groups()
    client.force_login(office)
    url = "/admin/programmes/cycle/add/"
    assert client.get(url).status_code == 200
    body = {
        "programme": programme.pk,
        "year": 2031,
        "submission_deadline": "2031-05-31",
        "recommendation_deadline": "2031-06-30",
    }
    response = client.post(url, body)
    assert response.status_code == 302
    cycle = Cycle.objects.get(programme=programme, year=2031)
    assert cycle.criteria_set_id == programme.criteria_set_id
    assert cycle.settings_snapshot["quota"] == 3
    assert AuditEntry.objects.filter(action="cycle.created", object_id=str(cycle.pk)).exists()
    again = client.post(url, body)
    assert again.status_code == 200
    assert "R5" in again.content.decode()
    assert Cycle.objects.filter(programme=programme, year=2031).count() == 1


def test_a_running_cycles_rules_cannot_be_changed_in_the_admin(client, cycle, office):
    ensure_role_groups()
    client.force_login(office)
    page = client.get(f"/admin/programmes/cycle/{cycle.pk}/change/").content.decode()
    assert 'name="recommendation_deadline"' not in page
    assert 'name="document_review_deadline"' in page


def test_credit_ratings_and_incidents_are_not_edited_in_the_admin_R11_5(client, office):
    """Issue 10 §4: a rating added through the inline had no author and left the grade stale."""
    ensure_role_groups()
    org = OrganisationFactory()
    client.force_login(office)
    page = client.get(f"/admin/organisations/organisation/{org.pk}/change/").content.decode()
    assert "credit_ratings-TOTAL_FORMS" in page  # shown
    assert 'name="credit_ratings-0-grade"' not in page  # but no form to add one
    assert client.get("/admin/organisations/incident/add/").status_code == 403


def test_an_organisation_edited_in_the_admin_is_audited_like_on_the_page(client, office):
    from common.models import AuditEntry

    ensure_role_groups()
    org = OrganisationFactory(name="原名称有限公司")
    client.force_login(office)
    url = f"/admin/organisations/organisation/{org.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update({"name": "新名称有限公司", "registered_on": "2015-06-01"})
    for prefix in ("credit_ratings", "incidents"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    assert client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert org.name == "新名称有限公司"
    entry = AuditEntry.objects.get(action="organisation.profile_changed")
    assert entry.data["name"] == {"from": "原名称有限公司", "to": "新名称有限公司"}
