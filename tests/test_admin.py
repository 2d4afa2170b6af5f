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


# Issue 10 §4: one write path. Every model the portal's own apps register in the admin is
# classified here; a model added to the admin without a place in this table fails the test.
READ_ONLY = {
    "common.AuditEntry",
    "common.OutboxMessage",
    "accounts.OrganisationClaim",
    "organisations.Incident",
    "organisations.DishonestyListing",
    "programmes.CriteriaSet",
    "programmes.CriteriaCategory",
    "applications.Application",
    "review.Assignment",
    "review.ConflictOfInterest",
    "awards.Award",
    "awards.Ban",
    "awards.Case",
    "awards.Objection",
    "awards.LedgerEntry",
    "honours.Honour",
    "ladder.Nomination",
}
# Saved, but through the service the portal's pages use (same checks, same audit entry), or
# audited as a decision of its own (settings that apply to the next cycle, people's roles).
THROUGH_SERVICE_OR_AUDITED = {
    "accounts.User": "save_related",
    "organisations.Organisation": "save_model",
    "programmes.Programme": "save_model",
    "programmes.Cycle": "save_model",
    "review.ExpertProfile": "save_model",
    "honours.HonourRewardAmount": "save_model",
}
NEVER_IN_THE_ADMIN = {"review.ItemScore", "review.ConsensusScore", "organisations.CreditRating"}
PORTAL_APPS = {
    "common",
    "accounts",
    "organisations",
    "programmes",
    "applications",
    "review",
    "awards",
    "honours",
    "ladder",
    "notifications",
    "regions",
    "signing",
}


def test_every_admin_of_a_rule_bearing_record_is_read_only_or_goes_through_a_service(rf):
    from django.contrib import admin
    from django.contrib.admin import ModelAdmin

    from accounts.models import User

    request = rf.get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    registered = {m._meta.label: a for m, a in admin.site._registry.items()}
    portal = {label for label in registered if label.split(".")[0] in PORTAL_APPS}
    assert portal == READ_ONLY | set(THROUGH_SERVICE_OR_AUDITED)
    assert not NEVER_IN_THE_ADMIN & set(registered)
    for label in READ_ONLY:
        model_admin = registered[label]
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
    for label, method in THROUGH_SERVICE_OR_AUDITED.items():
        own = getattr(type(registered[label]), method)
        assert own is not getattr(ModelAdmin, method), label
        deletes = registered[label].has_delete_permission(request)
        assert not deletes or type(registered[label]).delete_model is not ModelAdmin.delete_model


@pytest.mark.django_db
def test_not_even_a_superuser_changes_the_scoring_standard_in_the_admin(client, criteria_set):
    """Every sheet and composite is computed against the criteria's points (SCORING.md)."""
    from accounts.models import User

    category = criteria_set.categories.order_by("order").first()
    points = category.points
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw-1-root"))
    url = f"/admin/programmes/criteriacategory/{category.pk}/change/"
    assert client.get(url).status_code == 200  # shown
    assert client.post(url, {"points": points + 50}).status_code == 403
    category.refresh_from_db()
    assert category.points == points
    page = client.get(f"/admin/programmes/criteriaset/{criteria_set.pk}/change/").content.decode()
    assert 'name="points"' not in page


def test_an_expert_profile_edited_in_the_admin_goes_through_the_service(client, programme):
    """Industries and term decide who may be assigned: the admin saves them as the expert pool
    page does, with its audit entry."""
    from accounts.models import User
    from common.models import AuditEntry
    from review.models import ExpertProfile

    ensure_role_groups()
    expert = staff_user("expert", programme=programme, is_staff=False)
    profile = ExpertProfile.objects.create(user=expert, industries="制造业")
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw-1-root"))
    url = f"/admin/review/expertprofile/{profile.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update({"industries": "制造业，建筑业", "qualifications": "高级工程师"})
    assert client.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert profile.industries == "制造业，建筑业"
    entry = AuditEntry.objects.get(action="expert.profile_changed")
    assert entry.data == {"fields": ["industries", "qualifications"]}


def test_a_role_granted_in_the_admin_is_in_the_audit_trail(client, programme):
    from django.contrib.auth.models import Group

    from accounts.models import User
    from common.models import AuditEntry

    ensure_role_groups()
    person = staff_user("office", programme=programme, username="clerk")
    root = User.objects.create_superuser("root", "root@example.com", "pw-1-root")
    client.force_login(root)
    url = f"/admin/accounts/user/{person.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k in form.fields and k not in {"password", "groups"}
    }
    data["groups"] = [Group.objects.get(name="office").pk, Group.objects.get(name="committee").pk]
    data["date_joined_0"], data["date_joined_1"] = "2026-01-01", "09:00:00"
    for prefix in ("memberships",):
        data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "1"})
        membership = person.memberships.get()
        data.update(
            {
                f"{prefix}-0-id": membership.pk,
                f"{prefix}-0-user": person.pk,
                f"{prefix}-0-programme": programme.pk,
            }
        )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="user.changed_in_admin")
    assert entry.actor_id == root.pk
    assert entry.data["roles"] == {"from": ["office"], "to": ["committee", "office"]}
    assert entry.data["programmes"] == [programme.code]
    assert "password" not in entry.data["fields"]


def test_the_audit_trail_in_the_admin_speaks_in_words_not_codes(client, cycle, committee):
    """Issue 11: the admin's audit log showed `application.transition` and `open → dismissed`."""
    from applications.enums import ApplicationStatus
    from common.audit import record

    ensure_role_groups()
    app = ApplicationFactory(cycle=cycle, organisation=OrganisationFactory())
    record(
        action="application.transition",
        actor=committee,
        obj=app,
        from_state=ApplicationStatus.SUBMITTED,
        to_state=ApplicationStatus.RECOMMENDED,
    )
    record(action="programme.changed_in_admin", actor=committee, obj=cycle.programme)
    client.force_login(committee)
    import re

    html = client.get("/admin/common/auditentry/").content.decode()
    page = re.sub(r"<[^>]+>", "<>", html)  # what a person reads, not the links' query strings
    assert "状态变更" in page and "application.transition" not in page
    assert str(ApplicationStatus.SUBMITTED.label) in page
    assert str(ApplicationStatus.RECOMMENDED.label) in page
    assert "<>submitted<>" not in page and "<>recommended<>" not in page
    assert "在管理后台修改质量奖" in page and "programme.changed_in_admin" not in page
    assert "评审委员会" in page  # the role in words
    assert "<>committee<>" not in page


def test_every_action_the_code_records_has_words(settings):
    """No audit action reaches a history or the admin as a code."""
    import re
    from pathlib import Path

    from common.labels import ACTION_LABELS, action_label

    root = Path(__file__).resolve().parents[1]
    found = set()
    for path in root.glob("*/**/*.py"):
        if path.parts[len(root.parts)] in {".venv", "tests", "bench"}:
            continue
        found |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert found, "the scan found no action"
    assert sorted(a for a in found if a not in ACTION_LABELS) == []
    from django.utils import translation

    with translation.override("zh-hans"):
        assert action_label("cycle.deleted_in_admin") == "在管理后台删除年度评审"
