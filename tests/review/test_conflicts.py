"""A conflict of interest declared after an expert has scored (issue 8 item 3, R23): the
expert loses access at once but cannot take their own scores back; the office decides; a
finished stage's scores, and an awarded application's, never change."""

import pytest
from django.urls import reverse

from applications.enums import ApplicationStatus as S
from common.models import AuditEntry
from notifications.models import Notification
from programmes.selectors import criteria_items
from review.enums import AssignmentStatus, ConflictScoresDecision, Stage
from review.models import Assignment
from review.scores import stage_score
from review.selectors import with_score_inputs
from review.services.experts import decide_conflict, declare_conflict
from tests.factories import AssignmentFactory
from tests.review.conftest import scored_sheet, set_status
from tests.review.test_api import API

pytestmark = pytest.mark.unit


def _document_score(app):
    app = with_score_inputs(type(app).objects.filter(pk=app.pk)).get()
    return stage_score(
        app, Stage.DOCUMENT, criteria_items(app.cycle.criteria_set_id), app.cycle.programme
    )


def _mixed_panel(w):
    """Document review: the matrix expert gave 90 %, the two others 60 %: mean = 700."""
    set_status(w.app, S.DOCUMENT_REVIEW)
    own = scored_sheet(w.app, w.expert, Stage.DOCUMENT, 90)
    for expert in w.pool[1:3]:
        scored_sheet(w.app, expert, Stage.DOCUMENT, 60)
    return own


def test_expert_declaring_after_submission_cannot_withdraw_own_scores_R23(w):
    own = _mixed_panel(w)
    assert _document_score(w.app).score == 700
    conflict = declare_conflict(
        expert=w.expert,
        organisation=w.app.organisation,
        reason="发现亲属在该企业任职",
        actor=w.expert,
    )
    assert conflict.scores_decision == ConflictScoresDecision.PENDING
    own.refresh_from_db()
    assert own.status == AssignmentStatus.SUBMITTED
    assert _document_score(w.app).score == 700  # nothing moved until the office decides
    # The office hears of it, with a link to decide.
    note = Notification.objects.get(recipient=w.office)
    assert "待决定已提交评分的处理" in note.subject
    assert note.url == reverse("review:expert_detail", args=[w.expert.pk])


def test_a_declared_conflict_ends_the_experts_access_at_once_R23(w):
    own = _mixed_panel(w)
    expert = w.client("expert")
    assert expert.get(f"{API}/applications/{w.app.pk}/").status_code == 200
    declare_conflict(
        expert=w.expert, organisation=w.app.organisation, reason="亲属任职", actor=w.expert
    )
    assert expert.get(f"{API}/applications/{w.app.pk}/").status_code == 404
    assert expert.get(f"{API}/assignments/{own.pk}/scores/").status_code == 404


def test_office_withdraws_the_sheets_and_the_score_is_recomputed_R23(w):
    own = _mixed_panel(w)
    conflict = declare_conflict(
        expert=w.expert, organisation=w.app.organisation, reason="亲属任职", actor=w.expert
    )
    response = w.client("office").post(
        f"{API}/conflicts/{conflict.pk}/decision/",
        {"withdraw_scores": True, "reasons": "回避成立，评分不计入"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"id": conflict.pk, "scores_decision": "withdrawn"}
    own.refresh_from_db()
    assert own.status == AssignmentStatus.REVOKED
    assert own.scores.count() == len(criteria_items(w.cycle.criteria_set_id))  # kept on record
    assert _document_score(w.app).score == 600  # the two remaining sheets
    entry = AuditEntry.objects.filter(action="expert.conflict_decided").get()
    assert (entry.actor, entry.from_state, entry.to_state) == (w.office, "pending", "withdrawn")
    assert "需另派专家" in Notification.objects.filter(recipient=w.office).latest("pk").subject
    # A second decision is a conflict of state, not a second withdrawal.
    again = w.client("office").post(
        f"{API}/conflicts/{conflict.pk}/decision/",
        {"withdraw_scores": False, "reasons": "再次提交"},
        format="json",
    )
    assert again.status_code == 409


def test_office_may_keep_the_sheets_with_a_reason_R23(w):
    own = _mixed_panel(w)
    conflict = declare_conflict(
        expert=w.expert,
        organisation=w.app.organisation,
        reason="评审后才入职该企业",
        actor=w.expert,
    )
    decided = decide_conflict(
        conflict=conflict, withdraw_scores=False, reason="评审时不存在利害关系", actor=w.office
    )
    assert decided.scores_decision == ConflictScoresDecision.KEPT
    own.refresh_from_db()
    assert own.status == AssignmentStatus.SUBMITTED
    assert _document_score(w.app).score == 700


def test_decision_needs_a_reason(w):
    _mixed_panel(w)
    conflict = declare_conflict(
        expert=w.expert, organisation=w.app.organisation, reason="亲属任职", actor=w.expert
    )
    response = w.client("office").post(
        f"{API}/conflicts/{conflict.pk}/decision/",
        {"withdraw_scores": True, "reasons": "  "},
        format="json",
    )
    assert response.status_code == 400
    conflict.refresh_from_db()
    assert conflict.scores_decision == ConflictScoresDecision.PENDING


def test_office_declaring_during_the_stage_withdraws_the_sheets_at_once_R23(w):
    own = _mixed_panel(w)
    conflict = declare_conflict(
        expert=w.expert, organisation=w.app.organisation, reason="经核实曾任顾问", actor=w.office
    )
    assert conflict.scores_decision == ConflictScoresDecision.WITHDRAWN
    own.refresh_from_db()
    assert own.status == AssignmentStatus.REVOKED
    assert _document_score(w.app).score == 600


@pytest.mark.parametrize("status", [S.ONSITE_REVIEW, S.CANDIDATE, S.AWARDED])
@pytest.mark.parametrize("by", ["expert", "office"])
def test_nothing_changes_the_scores_of_a_finished_stage_R23(w, status, by):
    """After the shortlist the document scores stand; after the award everything does."""
    own = _mixed_panel(w)
    set_status(w.app, status)
    before = sorted(Assignment.objects.values_list("pk", "status"))
    conflict = declare_conflict(
        expert=w.expert,
        organisation=w.app.organisation,
        reason="获奖后申报回避",
        actor=w.user(by),
    )
    assert conflict.scores_decision == ConflictScoresDecision.NOT_NEEDED
    assert sorted(Assignment.objects.values_list("pk", "status")) == before
    own.refresh_from_db()
    assert own.status == AssignmentStatus.SUBMITTED
    assert _document_score(w.app).score == 700


def test_unsubmitted_work_is_revoked_at_once_whoever_declares(w):
    set_status(w.app, S.DOCUMENT_REVIEW)
    open_sheet = AssignmentFactory(application=w.app, expert=w.expert, stage=Stage.DOCUMENT)
    conflict = declare_conflict(
        expert=w.expert, organisation=w.app.organisation, reason="亲属任职", actor=w.expert
    )
    open_sheet.refresh_from_db()
    assert open_sheet.status == AssignmentStatus.REVOKED
    assert conflict.scores_decision == ConflictScoresDecision.NOT_NEEDED


def test_office_decides_on_the_experts_page(client, w):
    own = _mixed_panel(w)
    conflict = declare_conflict(
        expert=w.expert, organisation=w.app.organisation, reason="亲属任职", actor=w.expert
    )
    client.force_login(w.office)
    expert_page = reverse("review:expert_detail", args=[w.expert.pk])
    page = client.get(expert_page).content.decode()
    assert reverse("review:conflict_decision", args=[conflict.pk]) in page
    response = client.post(
        reverse("review:conflict_decision", args=[conflict.pk]),
        {"withdraw_scores": "1", "reasons": "回避成立"},
    )
    assert response.status_code == 302
    assert response["Location"] == expert_page
    own.refresh_from_db()
    assert own.status == AssignmentStatus.REVOKED


@pytest.mark.parametrize(
    ("role", "expected"),
    [("supervisor", 403), ("committee", 404), ("expert", 404), ("owner", 404)],
)
def test_conflict_decision_page_refuses_other_roles(client, w, role, expected):
    own = _mixed_panel(w)
    conflict = declare_conflict(
        expert=w.expert, organisation=w.app.organisation, reason="亲属任职", actor=w.expert
    )
    client.force_login(w.user(role))
    response = client.post(
        reverse("review:conflict_decision", args=[conflict.pk]),
        {"withdraw_scores": "1", "reasons": "回避成立"},
    )
    assert response.status_code == expected
    own.refresh_from_db()
    assert own.status == AssignmentStatus.SUBMITTED


def test_conflict_decision_page_shows_bad_input_plainly(client, w):
    _mixed_panel(w)
    conflict = declare_conflict(
        expert=w.expert, organisation=w.app.organisation, reason="亲属任职", actor=w.expert
    )
    client.force_login(w.office)
    response = client.post(
        reverse("review:conflict_decision", args=[conflict.pk]),
        {"withdraw_scores": "x"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "该字段是必填项" in page  # the reason
    assert "选择一个有效的选项" in page  # "x" is neither keep nor withdraw
    conflict.refresh_from_db()
    assert conflict.scores_decision == ConflictScoresDecision.PENDING
