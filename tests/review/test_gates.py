"""The cycle's dates and the eligibility re-checks govern every step of the review, and every
cycle reaches an end (issue 9 §1, §2, §3, §5). The day of an event (submission, incident,
decision) and the day of the step that judges it are separate dates."""

import datetime as dt

import pytest

from accounts.roles import ensure_role_groups
from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.intake import decide_eligibility
from awards.services.publicity import announce_cycle, start_publicity
from common.exceptions import ApplicationError, StateConflict
from common.models import AuditEntry
from programmes.enums import CycleStatus
from programmes.models import Cycle
from review.enums import Stage
from review.models import SurveyResponse
from review.ranking import cycle_ranking, tie_at_quota
from review.services.assignment import assign_expert
from review.services.decisions import decide_winners, propose_candidates, shortlist
from tests.clock import travel_to
from tests.factories import CreditRatingFactory, IncidentFactory, SurveyResponseFactory
from tests.review.conftest import (
    make_accepted,
    make_experts,
    proposed_by_committee,
    scored_sheet,
    set_status,
)
from tests.review.test_api import API, composite_ready, document_scored

pytestmark = pytest.mark.unit

DEADLINE = dt.date(2026, 6, 30)  # the review cycle's recommendation deadline


# --- §1 the dates govern the work ------------------------------------------------------------


def _steps(w):
    app, cycle = w.app, w.cycle
    return {
        "R12.3 eligibility": lambda: decide_eligibility(
            application=app, decision="accept", reasons="", actor=w.office
        ),
        "R12.4 assignment": lambda: assign_expert(
            application=app, expert=w.expert, stage=Stage.DOCUMENT, actor=w.office
        ),
        "R12.4 shortlist": lambda: shortlist(cycle=cycle, application_ids=[], actor=w.office),
        "R12.6 candidates": lambda: propose_candidates(
            cycle=cycle, application_ids=[], actor=w.office
        ),
        "R12.7 decision": lambda: decide_winners(
            cycle=cycle, winner_ids=[], rationale="x", actor=w.committee
        ),
        "R12.7 publicity": lambda: start_publicity(cycle=cycle, starts_on=DEADLINE, actor=w.office),
    }


@pytest.mark.parametrize(
    "step",
    [
        "R12.3 eligibility",
        "R12.4 assignment",
        "R12.4 shortlist",
        "R12.6 candidates",
        "R12.7 decision",
        "R12.7 publicity",
    ],
)
def test_no_review_step_before_the_recommendation_deadline_has_passed_R12(w, step):
    set_status(w.app, S.RECOMMENDED)
    travel_to(DEADLINE)  # the last day of recommendations
    with pytest.raises(StateConflict) as excinfo:
        _steps(w)[step]()
    assert excinfo.value.rule == step.split()[0]
    assert "2026年7月1日起方可进行" in excinfo.value.message


def test_the_review_opens_the_day_after_the_deadline_R12_3(w):
    set_status(w.app, S.RECOMMENDED)
    travel_to(DEADLINE + dt.timedelta(days=1))
    decide_eligibility(application=w.app, decision="accept", reasons="", actor=w.office)
    assert w.refresh().status == S.ACCEPTED


def test_the_api_answers_409_with_the_rule_and_the_date_R12_3(w):
    set_status(w.app, S.RECOMMENDED)
    travel_to(DEADLINE)
    response = w.client("office").post(
        f"{API}/applications/{w.app.pk}/eligibility/", {"decision": "accept"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["rule"] == "R12.3"
    assert "2026年7月1日" in response.json()["detail"]


def test_publicity_cannot_begin_before_the_committees_decision_R12_7(w):
    set_status(w.app, S.PROPOSED)  # the decision was never recorded
    with pytest.raises(StateConflict) as excinfo:
        start_publicity(cycle=w.cycle, starts_on=dt.date(2026, 9, 1), actor=w.office)
    assert excinfo.value.rule == "R12.7"


@pytest.mark.parametrize(
    ("starts_on", "allowed"),
    [(dt.date(2026, 8, 24), False), (dt.date(2026, 8, 25), True), (dt.date(2026, 8, 26), True)],
)
def test_publicity_starts_on_or_after_the_decision_day_R12_7(w, starts_on, allowed):
    proposed_by_committee(w.cycle, [w.app], dt.date(2026, 8, 25))
    if allowed:
        start_publicity(cycle=w.cycle, starts_on=starts_on, actor=w.office)
        assert w.refresh().status == S.PUBLICITY
    else:
        with pytest.raises(ApplicationError) as excinfo:
            start_publicity(cycle=w.cycle, starts_on=starts_on, actor=w.office)
        assert (excinfo.value.rule, excinfo.value.field) == ("R12.7", "starts_on")


def test_publicity_is_never_shorter_than_the_cycles_setting_R12_7(w):
    proposed_by_committee(w.cycle, [w.app], dt.date(2026, 8, 25))
    with pytest.raises(ApplicationError) as excinfo:
        start_publicity(cycle=w.cycle, starts_on=dt.date(2026, 8, 26), days=6, actor=w.office)
    assert (excinfo.value.rule, excinfo.value.field) == ("R12.7", "days")
    start_publicity(cycle=w.cycle, starts_on=dt.date(2026, 8, 26), days=10, actor=w.office)
    w.cycle.refresh_from_db()
    assert w.cycle.publicity_ends_on == dt.date(2026, 9, 4)


# --- §2 eligibility holds until the announcement ---------------------------------------------


def test_an_accident_after_submission_stops_the_shortlist_R11_6(w):
    """Submitted on 2026-05-20, accident on 2026-08-10, shortlist on 2026-09-01."""
    Application.objects.filter(pk=w.app.pk).update(
        submitted_at=dt.datetime(2026, 5, 20, 2, tzinfo=dt.UTC),
        last_submitted_at=dt.datetime(2026, 5, 20, 2, tzinfo=dt.UTC),
    )
    document_scored(w)
    IncidentFactory(
        organisation=w.app.organisation,
        kind="safety_accident",
        occurred_on=dt.date(2026, 8, 10),
        description="生产车间发生较大安全事故",
        status="verified",
    )
    with pytest.raises(ApplicationError) as excinfo:
        shortlist(cycle=w.cycle, application_ids=[w.app.pk], actor=w.office)
    assert excinfo.value.rule == "R11.6"
    assert "2026年8月10日" in excinfo.value.message
    assert w.refresh().status == S.DOCUMENT_REVIEW
    # The submission-date result is unchanged: the accident came later.
    response = w.client("office").get(f"{API}/applications/{w.app.pk}/eligibility/")
    assert {c["rule"]: c["passed"] for c in response.json()["checks"]}["R11.6"] is True
    assert response.json()["on"] == "2026-05-20"
    today = response.json()["today"]
    assert today["on"] == "2026-09-01"
    assert {c["rule"]: c["passed"] for c in today["checks"]}["R11.6"] is False
    # The office ends the application with its reasons; the cycle goes on without it.
    response = w.client("office").post(
        f"{API}/applications/{w.app.pk}/eligibility/",
        {"decision": "reject", "reasons": "R11.6：2026年8月10日发生较大安全事故"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "ineligible"
    entry = AuditEntry.objects.filter(action="application.transition").latest("seq")
    assert (entry.actor, entry.from_state, entry.to_state) == (
        w.office,
        "document_review",
        "ineligible",
    )
    assert entry.data["checks_today"]["on"] == "2026-09-01"


def test_a_downgrade_after_submission_stops_the_candidates_R11_5(w):
    composite_ready(w, 80)
    CreditRatingFactory(
        organisation=w.app.organisation,
        grade="B",
        source="市场监管局",
        rated_on=dt.date(2026, 8, 1),
    )
    with pytest.raises(ApplicationError) as excinfo:
        propose_candidates(cycle=w.cycle, application_ids=[w.app.pk], actor=w.office)
    assert excinfo.value.rule == "R11.5"
    assert "B级" in excinfo.value.message


def test_every_gate_rechecks_on_its_own_day_announcement_included_R11(w, government):
    proposed_by_committee(w.cycle, [w.app], dt.date(2026, 8, 20))
    start_publicity(cycle=w.cycle, starts_on=dt.date(2026, 8, 21), actor=w.office)
    # During publicity a major complaint is recorded.
    IncidentFactory(
        organisation=w.app.organisation,
        kind="major_complaint",
        occurred_on=dt.date(2026, 8, 25),
        description="重大质量投诉经查属实",
        status="verified",
    )
    travel_to(dt.date(2026, 9, 2))
    with pytest.raises(ApplicationError) as excinfo:
        announce_cycle(cycle=w.cycle, actor=government)
    assert excinfo.value.rule == "R11.6"
    assert w.refresh().status == S.PUBLICITY


def test_a_reject_before_acceptance_still_needs_reasons(w):
    set_status(w.app, S.ONSITE_REVIEW)
    with pytest.raises(ApplicationError):
        decide_eligibility(application=w.app, decision="reject", reasons=" ", actor=w.office)
    assert w.refresh().status == S.ONSITE_REVIEW


# --- §3 no score can be bent -------------------------------------------------------------------


def test_the_shortlist_needs_the_full_document_panel_R12_4(w):
    set_status(w.app, S.DOCUMENT_REVIEW)
    for expert in w.pool[:2]:  # two of the three
        scored_sheet(w.app, expert, Stage.DOCUMENT, 70)
    with pytest.raises(ApplicationError) as excinfo:
        shortlist(cycle=w.cycle, application_ids=[w.app.pk], actor=w.office)
    assert excinfo.value.rule == "R12.4"
    assert "须至少3名专家评分" in excinfo.value.message


def test_the_candidates_need_the_full_onsite_group_with_its_leader_R12_5(w):
    document_scored(w)
    set_status(w.app, S.ONSITE_REVIEW)
    for n, expert in enumerate(make_experts(w.programme, 4)):
        scored_sheet(w.app, expert, Stage.ONSITE, 80, leader=n == 0)
    SurveyResponseFactory(application=w.app, score=80, respondent_kind="customer")
    with pytest.raises(ApplicationError) as excinfo:
        propose_candidates(cycle=w.cycle, application_ids=[w.app.pk], actor=w.office)
    assert excinfo.value.rule == "R12.5"
    scored_sheet(w.app, make_experts(w.programme, 1)[0], Stage.ONSITE, 80)
    propose_candidates(cycle=w.cycle, application_ids=[w.app.pk], actor=w.office)
    assert w.refresh().status == S.CANDIDATE


def test_the_floor_is_compared_exactly_R12_6(w):
    """Document 600, on-site 600 and 200 survey answers averaging 59.995: the composite is
    599.995, shown as 600.00, and does not reach the 600 floor."""
    composite_ready(w, 60)
    SurveyResponse.objects.all().delete()
    SurveyResponse.objects.bulk_create(
        SurveyResponseFactory.build(
            application=w.app, score=60 if n else 59, respondent_kind="customer"
        )
        for n in range(200)
    )
    (row,) = cycle_ranking(w.cycle)
    assert (str(row["composite"]), row["reaches_floor"]) == ("600.00", False)
    with pytest.raises(ApplicationError) as excinfo:
        propose_candidates(cycle=w.cycle, application_ids=[w.app.pk], actor=w.office)
    assert excinfo.value.rule == "R12.6"


def test_equal_composites_share_a_rank_and_a_tie_at_the_quota_is_named(client, w):
    apps = [w.app, *make_accepted(w.cycle, 3)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(status=S.CANDIDATE)
    for app, percent in zip(apps, (90, 80, 80, 70), strict=True):
        for expert in make_experts(w.programme, 3):
            scored_sheet(app, expert, Stage.DOCUMENT, percent)
        for n, expert in enumerate(make_experts(w.programme, 5)):
            scored_sheet(app, expert, Stage.ONSITE, percent, leader=n == 0)
        SurveyResponseFactory(application=app, score=percent, respondent_kind="user")
    rows = cycle_ranking(w.cycle, states=(S.CANDIDATE,))
    assert [(r["application"] in (apps[1].pk, apps[2].pk), r["rank"], r["tied"]) for r in rows] == [
        (False, 1, False),
        (True, 2, True),
        (True, 2, True),
        (False, 4, False),
    ]
    assert sorted(tie_at_quota(rows, 2)) == sorted([apps[1].pk, apps[2].pk])
    assert tie_at_quota(rows, 3) == []
    # The committee resolves it with its rationale; the tie is on record with the decision.
    w.cycle.settings_snapshot = {**w.cycle.settings_snapshot, "quota": 2}
    w.cycle.save(update_fields=["settings_snapshot"])
    ensure_role_groups()
    client.force_login(w.committee)
    page = client.get(f"/review/cycles/{w.cycle.pk}/decision/").content.decode()
    assert "跨越名额线" in page
    assert page.count("<strong>并列</strong>") == 2
    decide_winners(
        cycle=w.cycle,
        winner_ids=[apps[0].pk, apps[1].pk],
        rationale="并列第二：该组织创新成果更突出",
        actor=w.committee,
    )
    entry = AuditEntry.objects.get(action="cycle.winners_proposed")
    assert sorted(entry.data["tie_at_quota"]) == sorted([apps[1].pk, apps[2].pk])


# --- §5 every cycle and every application reaches an end -----------------------------------


def test_a_cycle_with_no_winner_closes_and_every_application_ends_R5_R7(w):
    others = make_accepted(w.cycle, 1)
    Application.objects.filter(pk__in=[w.app.pk, others[0].pk]).update(status=S.CANDIDATE)
    out = decide_winners(
        cycle=w.cycle, winner_ids=[], rationale="均未达到获奖水平，本年度空缺", actor=w.committee
    )
    assert out["proposed"] == []
    w.cycle.refresh_from_db()
    assert (w.cycle.status, w.cycle.announced_on) == (CycleStatus.CLOSED, None)
    assert set(Application.objects.filter(cycle=w.cycle).values_list("status", flat=True)) == {
        S.NOT_PROPOSED
    }
    entry = AuditEntry.objects.get(action="cycle.closed_without_winner")
    assert (entry.from_state, entry.to_state) == ("open", "closed")
    # The applicants may read their feedback (R12.4).
    owner = w.client("owner")
    assert owner.get(f"{API}/applications/{w.app.pk}/feedback.pdf").status_code == 200


def test_a_cycle_does_not_close_while_an_application_is_still_open_R5(w):
    Application.objects.filter(pk=w.app.pk).update(status=S.CANDIDATE)
    (late,) = make_accepted(w.cycle, 1)
    Application.objects.filter(pk=late.pk).update(status=S.RETURNED)
    with pytest.raises(StateConflict) as excinfo:
        decide_winners(cycle=w.cycle, winner_ids=[], rationale="空缺", actor=w.committee)
    assert excinfo.value.rule == "R5"
    assert w.refresh().status == S.CANDIDATE  # nothing half done


def test_the_shortlist_leaves_no_accepted_application_behind_R12_4(w):
    document_scored(w)
    (forgotten,) = make_accepted(w.cycle, 1)  # accepted, no expert assigned
    with pytest.raises(StateConflict) as excinfo:
        shortlist(cycle=w.cycle, application_ids=[w.app.pk], actor=w.office)
    assert forgotten.organisation.name in excinfo.value.message
    assert w.refresh().status == S.DOCUMENT_REVIEW


# --- §6 confidentiality ---------------------------------------------------------------------


def test_an_experts_access_to_the_material_ends_when_the_cycle_closes_R23(w):
    set_status(w.app, S.DOCUMENT_REVIEW)
    scored_sheet(w.app, w.expert, Stage.DOCUMENT, 70)
    expert = w.client("expert")
    assert expert.get(f"{API}/applications/{w.app.pk}/").status_code == 200
    assert expert.get(f"{API}/assignments/").json()["count"] == 1
    Cycle.objects.filter(pk=w.cycle.pk).update(status=CycleStatus.CLOSED)
    assert expert.get(f"{API}/applications/{w.app.pk}/").status_code == 404
    assert expert.get(f"{API}/assignments/").json()["count"] == 0


def test_the_office_ends_an_application_on_its_page_with_todays_checks_R11(client, w):
    document_scored(w)
    IncidentFactory(
        organisation=w.app.organisation,
        kind="safety_accident",
        occurred_on=dt.date(2026, 8, 10),
        description="较大安全事故",
        status="verified",
    )
    client.force_login(w.committee)
    page = client.get(f"/applications/{w.app.pk}/").content.decode()
    assert "今日（2026年9月1日）复核" in page
    assert "终止申报" not in page  # the office's decision, not the committee's
    client.force_login(w.office)
    page = client.get(f"/applications/{w.app.pk}/").content.decode()
    assert "<details open><summary>终止申报" in page  # a check fails today
    response = client.post(
        f"/applications/{w.app.pk}/eligibility/",
        {"decision": "reject", "reasons": "R11.6：2026年8月10日发生较大安全事故"},
    )
    assert response.status_code == 302
    assert w.refresh().status == S.INELIGIBLE
    assert w.app.decision_reasons == "R11.6：2026年8月10日发生较大安全事故"
