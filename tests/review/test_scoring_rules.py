"""No score can be bent (issue 9 §3): the office's consensus only where experts disagree, the
leader's only after the whole group has scored and not before the visit, and work of an expert
later suspended or disqualified stops counting (R12.4, R12.5, R23)."""

import datetime as dt

import pytest
from django.urls import reverse

from applications.enums import ApplicationStatus as S
from common.exceptions import ApplicationError, StateConflict
from common.models import AuditEntry
from notifications.models import Notification
from programmes.selectors import criteria_items
from review.enums import AssignmentStatus, Stage
from review.models import Assignment, ConsensusScore
from review.scores import stage_score
from review.selectors import with_score_inputs
from review.services.experts import set_expert_status
from review.services.scoring import record_consensus, save_scores, submit_scores
from tests.clock import travel_to
from tests.factories import AssignmentFactory, SiteVisitFactory
from tests.review.conftest import TODAY, make_experts, scored_sheet, set_status, sheet

pytestmark = pytest.mark.unit


def _score(app, stage):
    app = with_score_inputs(type(app).objects.filter(pk=app.pk)).get()
    items = criteria_items(app.cycle.criteria_set_id)
    return stage_score(app, stage, items, app.cycle.settings)


def _flagged(w):
    set_status(w.app, S.DOCUMENT_REVIEW)
    for expert, percent in zip(w.pool[:3], (30, 60, 90), strict=True):
        scored_sheet(w.app, expert, Stage.DOCUMENT, {"4.1.2": percent})


def test_document_consensus_only_on_a_flagged_item_R12_4(w):
    _flagged(w)
    with pytest.raises(ApplicationError) as excinfo:
        record_consensus(
            application=w.app,
            stage=Stage.DOCUMENT,
            items=[{"item": "4.1.3", "percent": 80, "comment": "讨论后"}],
            actor=w.office,
        )
    assert excinfo.value.rule == "R12.4"
    assert "4.1.3" in excinfo.value.message
    assert not ConsensusScore.objects.exists()


def test_document_consensus_needs_its_reason_R12_4(w):
    _flagged(w)
    with pytest.raises(ApplicationError) as excinfo:
        record_consensus(
            application=w.app,
            stage=Stage.DOCUMENT,
            items=[{"item": "4.1.2", "percent": 60, "comment": "  "}],
            actor=w.office,
        )
    assert excinfo.value.rule == "R12.4"
    record_consensus(
        application=w.app,
        stage=Stage.DOCUMENT,
        items=[{"item": "4.1.2", "percent": 60, "comment": "专家讨论后取中间值"}],
        actor=w.office,
    )
    assert ConsensusScore.objects.get().percent == 60


def _group(w, *, submitted: int):
    set_status(w.app, S.ONSITE_REVIEW)
    experts = make_experts(w.programme, 5)
    for n, expert in enumerate(experts):
        if n < submitted:
            scored_sheet(w.app, expert, Stage.ONSITE, 80, leader=n == 0)
        else:
            AssignmentFactory(application=w.app, expert=expert, stage=Stage.ONSITE, leader=n == 0)
    return experts


def _full(w):
    return [{"item": i.code, "percent": 80} for i in criteria_items(w.cycle.criteria_set_id)]


def test_the_leaders_consensus_waits_for_every_member_R12_5(w):
    experts = _group(w, submitted=4)
    with pytest.raises(StateConflict) as excinfo:
        record_consensus(application=w.app, stage=Stage.ONSITE, items=_full(w), actor=experts[0])
    assert excinfo.value.rule == "R12.5"
    assert "1名专家未提交" in excinfo.value.message


def test_onsite_scores_and_consensus_not_before_the_visit_R12_5(w):
    experts = _group(w, submitted=4)
    SiteVisitFactory(
        application=w.app, scheduled_on=TODAY + dt.timedelta(days=1), scheduled_by=w.office
    )
    last = Assignment.objects.get(expert=experts[4])
    save_scores(assignment=last, items=sheet(w.cycle, 80), expert=experts[4])  # notes: fine
    with pytest.raises(StateConflict) as excinfo:
        submit_scores(assignment=last, expert=experts[4])
    assert excinfo.value.rule == "R12.5"
    travel_to(TODAY + dt.timedelta(days=1))  # the day of the visit
    submit_scores(assignment=last, expert=experts[4])
    record_consensus(application=w.app, stage=Stage.ONSITE, items=_full(w), actor=experts[0])
    assert ConsensusScore.objects.filter(stage=Stage.ONSITE).count() == len(_full(w))


def test_the_leader_sees_the_members_marks_on_the_consensus_form(client, w):
    experts = _group(w, submitted=5)
    leader_sheet = Assignment.objects.get(expert=experts[0])
    client.force_login(experts[0])
    page = client.get(reverse("review:score", args=[leader_sheet.pk])).content.decode()
    assert "组员评分" in page
    assert page.count("80%") >= 5 * len(_full(w))


@pytest.mark.parametrize("status", ["suspended", "disqualified"])
def test_work_of_an_expert_later_suspended_or_disqualified_stops_counting_R23(w, status):
    set_status(w.app, S.DOCUMENT_REVIEW)
    bad = scored_sheet(w.app, w.expert, Stage.DOCUMENT, 90)
    for expert in w.pool[1:3]:
        scored_sheet(w.app, expert, Stage.DOCUMENT, 60)
    assert _score(w.app, Stage.DOCUMENT).score == 700
    set_expert_status(expert=w.expert, status=status, reason="经查收受申报单位礼品", actor=w.office)
    bad.refresh_from_db()
    assert bad.status == AssignmentStatus.REVOKED
    assert bad.scores.count() == len(_full(w))  # kept in the history
    assert _score(w.app, Stage.DOCUMENT).score == 600
    assert "需另派专家" in Notification.objects.filter(recipient=w.office).latest("pk").subject


def test_a_consensus_recorded_by_a_disqualified_leader_stops_counting_R23(w):
    experts = _group(w, submitted=5)
    record_consensus(application=w.app, stage=Stage.ONSITE, items=_full(w), actor=experts[0])
    assert _score(w.app, Stage.ONSITE).method == "consensus"
    set_expert_status(
        expert=experts[0], status="disqualified", reason="违反评审纪律", actor=w.office
    )
    assert ConsensusScore.objects.filter(voided_at=None).count() == 0
    assert ConsensusScore.objects.count() == len(_full(w))  # marked, not deleted
    score = _score(w.app, Stage.ONSITE)
    assert (score.method, score.submitted) == ("mean", 4)
    assert AuditEntry.objects.filter(action="consensus.voided").count() == 1
