"""The office's review page lists the experts assigned to an application, by stage, and the
office withdraws (撤回分配) an unfinished assignment with a reason (issue 11): one operation
view calling ``revoke_assignment``, refused for a submitted sheet, a closed cycle and a second
request, recorded in the audit trail; the API twin does the same."""

from __future__ import annotations

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from common.models import AuditEntry
from programmes.enums import CycleStatus
from programmes.models import Cycle
from review.enums import AssignmentStatus, Stage
from review.models import Assignment
from review.services.assignment import assign_expert, revoke_assignment
from tests.review.conftest import ROLES, scored_sheet, set_status

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

# The operation: the office serving the programme may; other staff who see the application
# may not (403); whoever may not see it gets 404; anonymous is sent to log in.
REVOKE = {
    "office": 302,
    "committee": 403,
    "supervisor": 403,
    "government": 403,
    "recommender": 403,
    "expert": 403,
    "owner": 404,
    "other_enterprise": 404,
    "anonymous": 302,
    "other_programme": 404,
}


@pytest.fixture
def assignment(w):
    return assign_expert(application=w.app, expert=w.pool[1], stage=Stage.DOCUMENT, actor=w.office)


def url(a) -> str:
    return f"/review/assignments/{a.pk}/revoke/"


@pytest.mark.parametrize("role", ROLES)
def test_revoke_asks_manage_review_and_refusals_change_nothing(client, w, assignment, role):
    user = w.user(role)
    if user is not None:
        client.force_login(user)
    before = AuditEntry.objects.count()
    response = client.post(url(assignment), {"reason": "专家临时出差"})
    assert response.status_code == REVOKE[role], role
    assignment.refresh_from_db()
    if role == "office":
        assert response["Location"] == f"/review/applications/{w.app.pk}/"
        assert assignment.status == AssignmentStatus.REVOKED
    else:
        assert assignment.status == AssignmentStatus.ASSIGNED
        assert AuditEntry.objects.count() == before
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_revoke_of_an_unknown_assignment_is_404(client, w):
    client.force_login(w.office)
    assert client.post("/review/assignments/999999/revoke/", {"reason": "x"}).status_code == 404


def test_revoke_is_post_only(client, w, assignment):
    client.force_login(w.office)
    assert client.get(url(assignment)).status_code == 405


def test_revoke_records_reason_and_audit_entry(client, w, assignment):
    client.force_login(w.office)
    response = client.post(url(assignment), {"reason": "  专家临时出差  "}, follow=True)
    assert response.status_code == 200
    assert "评审任务已撤回。" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REVOKED
    assert assignment.revoked_reason == "专家临时出差"
    assert assignment.revoked_at is not None
    entry = AuditEntry.objects.filter(action="assignment.revoked").get()
    assert entry.actor_id == w.office.pk
    assert entry.reason == "专家临时出差"
    assert (entry.from_state, entry.to_state) == ("assigned", "revoked")
    assert entry.data == {
        "assignment": assignment.pk,
        "expert": w.pool[1].pk,
        "stage": "document",
    }


@pytest.mark.parametrize("reason", ("", "   "))
def test_revoke_without_reason_says_so_and_changes_nothing(client, w, assignment, reason):
    client.force_login(w.office)
    response = client.post(url(assignment), {"reason": reason}, follow=True)
    assert response.status_code == 200
    assert "请写明撤回原因。" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED
    assert not AuditEntry.objects.filter(action="assignment.revoked").exists()


def test_revoke_twice_is_refused_with_a_message(client, w, assignment):
    """Double submission: the second request finds the assignment revoked and changes
    nothing."""
    client.force_login(w.office)
    client.post(url(assignment), {"reason": "专家临时出差"})
    response = client.post(url(assignment), {"reason": "专家临时出差"}, follow=True)
    assert response.status_code == 200
    assert "只能撤回尚未提交的评审任务。" in response.content.decode()
    assert AuditEntry.objects.filter(action="assignment.revoked").count() == 1


def test_revoke_of_a_submitted_sheet_is_refused(client, w):
    """R23: a submitted sheet leaves the composite only through a conflict or a suspension."""
    set_status(w.app, S.DOCUMENT_REVIEW)
    sheet = scored_sheet(w.app, w.pool[2], Stage.DOCUMENT)
    client.force_login(w.office)
    response = client.post(url(sheet), {"reason": "不再需要"}, follow=True)
    assert "只能撤回尚未提交的评审任务。" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == AssignmentStatus.SUBMITTED


def test_revoke_in_a_closed_cycle_is_refused(w, assignment):
    Cycle.objects.filter(pk=w.cycle.pk).update(status=CycleStatus.CLOSED)
    with pytest.raises(Exception) as caught:
        revoke_assignment(assignment=assignment, reason="迟到", actor=w.office)
    assert getattr(caught.value, "code", None) == "conflict"
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED


def test_review_page_lists_assigned_experts_by_stage(client, w, assignment):
    set_status(w.app, S.DOCUMENT_REVIEW)
    submitted = scored_sheet(w.app, w.pool[2], Stage.DOCUMENT)
    gone = assign_expert(application=w.app, expert=w.pool[3], stage=Stage.DOCUMENT, actor=w.office)
    revoke_assignment(assignment=gone, reason="身体原因", actor=w.office)
    client.force_login(w.office)
    page = client.get(f"/review/applications/{w.app.pk}/").content.decode()
    assert "已指派专家" in page
    for a in (assignment, submitted, gone):
        assert f'id="assignment-{a.pk}"' in page
    assert "身体原因" in page
    # Only the unfinished one can be withdrawn.
    assert page.count("/revoke/") == 1
    assert url(assignment) in page


def test_review_page_shows_no_revoke_to_the_supervisor(client, w, assignment):
    client.force_login(w.supervisor)
    page = client.get(f"/review/applications/{w.app.pk}/").content.decode()
    assert f'id="assignment-{assignment.pk}"' in page
    assert "/revoke/" not in page


@pytest.mark.parametrize("item_count", (1, 3))
def test_review_page_costs_the_same_for_1_and_3_assignments(
    client, w, item_count, django_assert_num_queries
):
    for expert in w.pool[:item_count]:
        assign_expert(application=w.app, expert=expert, stage=Stage.DOCUMENT, actor=w.office)
    client.force_login(w.office)
    client.get(f"/review/applications/{w.app.pk}/")  # warm the session and the caches
    with django_assert_num_queries(14):
        response = client.get(f"/review/applications/{w.app.pk}/")
    assert response.status_code == 200


# --- the API twin -------------------------------------------------------------------------


API_REVOKE = {
    "office": 200,
    "committee": 403,
    "supervisor": 403,
    "government": 403,
    "recommender": 403,
    "expert": 403,
    "owner": 404,
    "other_enterprise": 404,
    "anonymous": 401,
    "other_programme": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_api_revoke_per_role(w, assignment, role):
    response = w.client(role).post(
        f"/api/v1/assignments/{assignment.pk}/revoke/", {"reason": "专家临时出差"}, format="json"
    )
    assert response.status_code == API_REVOKE[role], (role, response.content)
    assignment.refresh_from_db()
    expected = AssignmentStatus.REVOKED if role == "office" else AssignmentStatus.ASSIGNED
    assert assignment.status == expected
    if role == "office":
        assert response.json()["status"] == "revoked"
        assert response.json()["revoked_reason"] == "专家临时出差"


def test_api_revoke_without_reason_is_400_and_twice_is_409(w, assignment):
    api = w.client("office")
    path = f"/api/v1/assignments/{assignment.pk}/revoke/"
    assert api.post(path, {"reason": " "}, format="json").status_code == 400
    assert api.post(path, {}, format="json").status_code == 400
    assert api.post(path, {"reason": "出差"}, format="json").status_code == 200
    assert api.post(path, {"reason": "出差"}, format="json").status_code == 409


def test_api_lists_the_application_assignments_to_staff(w, assignment):
    Assignment.objects.create(
        application=w.app,
        expert=w.pool[2],
        stage=Stage.DOCUMENT,
        status=AssignmentStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    response = w.client("supervisor").get(f"/api/v1/applications/{w.app.pk}/assignments/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["expert"], r["status"]) for r in rows] == [
        (w.pool[1].pk, "assigned"),
        (w.pool[2].pk, "submitted"),
    ]
    path = f"/api/v1/applications/{w.app.pk}/assignments/"
    assert w.client("owner").get(path).status_code == 404
    assert w.client("expert").get(path).status_code == 403
    assert w.client("recommender").get(path).status_code == 403


@pytest.mark.parametrize("item_count", (1, 3))
def test_api_assignment_list_costs_the_same(w, item_count, django_assert_num_queries):
    for expert in w.pool[:item_count]:
        assign_expert(application=w.app, expert=expert, stage=Stage.DOCUMENT, actor=w.office)
    api = w.client("office")
    with django_assert_num_queries(6):
        response = api.get(f"/api/v1/applications/{w.app.pk}/assignments/")
    assert response.json()["count"] == item_count
