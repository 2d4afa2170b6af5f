"""From accepted applications to the public announcement, through the services
(R9, R10, R12.4-R12.8, R7, R23)."""

import datetime as dt
from decimal import Decimal

import pytest

from applications.enums import ApplicationStatus as S
from awards.enums import ObjectionStatus
from awards.models import Award, Certificate
from awards.services.publicity import (
    announce_cycle,
    file_objection,
    resolve_objection,
    start_publicity,
)
from common.audit import verify_chain
from common.exceptions import ApplicationError, StateConflict
from review.enums import Stage
from review.services.assignment import assign_expert, auto_assign
from review.services.decisions import decide_winners, propose_candidates, shortlist
from review.services.onsite import record_survey
from review.services.scoring import record_consensus, save_scores, submit_scores
from tests.clock import travel_to
from tests.review.conftest import make_accepted, proposed_by_committee, sheet

pytestmark = pytest.mark.unit


def _score_document(app, experts, percent):
    for expert in experts:
        a = assign_expert(application=app, expert=expert, stage=Stage.DOCUMENT, actor=None)
        save_scores(assignment=a, items=sheet(app.cycle, percent), expert=expert)
        submit_scores(assignment=a, expert=expert)


def _score_onsite(app, experts, percent, office):
    leader = experts[0]
    for i, expert in enumerate(experts):
        a = assign_expert(
            application=app, expert=expert, stage=Stage.ONSITE, actor=office, leader=i == 0
        )
        save_scores(assignment=a, items=sheet(app.cycle, percent), expert=expert)
        submit_scores(assignment=a, expert=expert)
    record_consensus(
        application=app,
        stage=Stage.ONSITE,
        items=[{"item": r["item"], "percent": r["percent"]} for r in sheet(app.cycle, percent)],
        actor=leader,
    )


def test_a_cycle_runs_from_acceptance_to_announcement(
    review_cycle,
    experts,
    office,
    committee,
    government,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    a1, a2, a3 = make_accepted(review_cycle, 3)
    _score_document(a1, experts[:3], 80)
    _score_document(a2, experts[3:6], 70)
    _score_document(a3, experts[:3], 40)
    for app in (a1, a2, a3):
        app.refresh_from_db()
        assert app.status == S.DOCUMENT_REVIEW
    result = shortlist(cycle=review_cycle, application_ids=[a1.pk, a2.pk], actor=office)
    assert result == {"onsite_review": [a1.pk, a2.pk], "not_shortlisted": [a3.pk]}
    _score_onsite(a1, experts[:5], 85, office)
    _score_onsite(a2, experts[1:6], 60, office)
    record_survey(
        application=a1,
        responses=[
            {"score": 90, "respondent_kind": "customer"},
            {"score": 80, "respondent_kind": "user"},
        ],
        actor=office,
    )
    record_survey(
        application=a2, responses=[{"score": 70, "respondent_kind": "customer"}], actor=office
    )
    # a1: 0.3*800 + 0.6*850 + 0.1*850 = 835; a2: 0.3*700 + 0.6*600 + 0.1*700 = 640
    out = propose_candidates(cycle=review_cycle, application_ids=[a1.pk, a2.pk], actor=office)
    assert out == {"candidate": [a1.pk, a2.pk], "not_candidate": []}
    out = decide_winners(
        cycle=review_cycle, winner_ids=[a1.pk], rationale="综合得分领先", actor=committee
    )
    assert out == {"proposed": [a1.pk], "not_proposed": [a2.pk]}
    start_publicity(cycle=review_cycle, starts_on=dt.date(2026, 9, 1), actor=office)
    review_cycle.refresh_from_db()
    assert review_cycle.publicity_ends_on == dt.date(2026, 9, 7)
    with pytest.raises(StateConflict):  # R12.8: not before the period ends
        announce_cycle(cycle=review_cycle, actor=government)
    travel_to(dt.date(2026, 9, 8))
    with django_capture_on_commit_callbacks(execute=True):
        awards = announce_cycle(cycle=review_cycle, actor=government)
    a1.refresh_from_db()
    assert a1.status == S.AWARDED
    assert [(a.organisation_id, a.announced_on, a.valid_until) for a in awards] == [
        (a1.organisation_id, dt.date(2026, 9, 8), dt.date(2029, 9, 8))
    ]
    certificate = Certificate.objects.get(award=awards[0])
    assert certificate.serial == "ETKQQ-2026-001"
    assert certificate.pdf
    assert verify_chain().ok


def test_quota_3_with_4_candidates_is_refused_R7(review_cycle, committee):
    apps = make_accepted(review_cycle, 4)
    for app in apps:
        app.status = S.CANDIDATE
        app.save()
    with pytest.raises(ApplicationError) as excinfo:
        decide_winners(
            cycle=review_cycle, winner_ids=[a.pk for a in apps], rationale="x", actor=committee
        )
    assert excinfo.value.rule == "R7"
    out = decide_winners(
        cycle=review_cycle, winner_ids=[a.pk for a in apps[:3]], rationale="前三名", actor=committee
    )
    assert len(out["proposed"]) == 3


def test_fewer_winners_than_the_quota_leave_vacancies_R7(review_cycle, committee):
    apps = make_accepted(review_cycle, 2)
    for app in apps:
        app.status = S.CANDIDATE
        app.save()
    out = decide_winners(
        cycle=review_cycle, winner_ids=[], rationale="均未达到获奖水平", actor=committee
    )
    assert out == {"proposed": [], "not_proposed": [a.pk for a in apps]}


def _in_publicity(review_cycle, office, n=1):
    apps = make_accepted(review_cycle, n)
    proposed_by_committee(review_cycle, apps, dt.date(2026, 8, 25))
    start_publicity(cycle=review_cycle, starts_on=dt.date(2026, 8, 26), actor=office)
    review_cycle.refresh_from_db()
    return apps


def test_announce_one_day_before_the_period_ends_is_a_conflict_R12_8(
    review_cycle, office, government, monkeypatch
):
    _in_publicity(review_cycle, office)
    assert review_cycle.publicity_ends_on == dt.date(2026, 9, 1)
    travel_to(dt.date(2026, 8, 31))
    with pytest.raises(StateConflict):
        announce_cycle(cycle=review_cycle, actor=government)


def test_objection_on_the_last_day_is_accepted_and_blocks_announcement_R12_7(
    review_cycle, office, government, monkeypatch
):
    (app,) = _in_publicity(review_cycle, office)
    objection = file_objection(
        application_id=app.pk,
        text="该企业近两年发生过质量投诉未如实申报",
        name="王某某",
        phone="13900001111",
    )
    assert objection.status == ObjectionStatus.OPEN
    travel_to(dt.date(2026, 9, 2))
    with pytest.raises(ApplicationError):  # the day after the period: too late to object
        file_objection(
            application_id=app.pk, text="迟到的异议内容超过十个字", name="李某", phone="13900002222"
        )
    with pytest.raises(StateConflict):  # an open objection blocks the announcement
        announce_cycle(cycle=review_cycle, actor=government)
    resolve_objection(objection=objection, upheld=True, reasons="经查属实", actor=office)
    app.refresh_from_db()
    assert app.status == S.WITHDRAWN
    assert announce_cycle(cycle=review_cycle, actor=government) == []
    assert not Award.objects.exists()


def test_anonymous_objection_is_refused(review_cycle, office):
    (app,) = _in_publicity(review_cycle, office)
    with pytest.raises(ApplicationError, match="真实姓名"):
        file_objection(
            application_id=app.pk, text="内容足够长的一条异议内容", name="", phone="13900001111"
        )


def test_auto_assign_balances_load_and_never_picks_a_conflicted_expert(
    review_cycle, programme, office
):
    from review.services.experts import declare_conflict
    from tests.review.conftest import make_experts

    apps = make_accepted(review_cycle, 4, industry="乳制品制造")
    pool = make_experts(programme, 5, industries="乳制品")
    declare_conflict(
        expert=pool[0], organisation=apps[0].organisation, reason="曾任顾问", actor=office
    )
    created = auto_assign(cycle=review_cycle, stage=Stage.DOCUMENT, actor=office)
    assert len(created) == 12
    assert all(not (a.expert_id == pool[0].pk and a.application_id == apps[0].pk) for a in created)
    loads = sorted(sum(1 for a in created if a.expert_id == e.pk) for e in pool)
    assert loads[-1] - loads[0] <= 1


def test_document_score_mean_and_dispersion_flag(review_cycle, experts, office):
    from programmes.selectors import criteria_items
    from review.scores import dispersion, stage_score
    from review.selectors import with_score_inputs

    (app,) = make_accepted(review_cycle, 1)
    _score_document(app, experts[:2], 50)
    # The third expert gives 4.1.2 (50 points) 85%: spread 35 > 30 → flagged.
    a = assign_expert(application=app, expert=experts[2], stage=Stage.DOCUMENT, actor=office)
    save_scores(assignment=a, items=sheet(review_cycle, {"4.1.2": 85}), expert=experts[2])
    submit_scores(assignment=a, expert=experts[2])
    app = with_score_inputs(type(app).objects.filter(pk=app.pk)).get()
    items = criteria_items(review_cycle.criteria_set_id)
    flags = [d.item.code for d in dispersion(app, items, review_cycle.programme) if d.flagged]
    assert flags == ["4.1.2"]
    score = stage_score(app, Stage.DOCUMENT, items, review_cycle.programme)
    # two experts 500, one 500 - 25 + 42.5 = 517.5 → mean 505.83
    assert score.score == Decimal("505.83")
    with pytest.raises(ApplicationError) as excinfo:
        shortlist(cycle=review_cycle, application_ids=[app.pk], actor=office)
    assert excinfo.value.rule == "R12.4"
    record_consensus(
        application=app,
        stage=Stage.DOCUMENT,
        items=[{"item": "4.1.2", "percent": 60, "comment": "讨论后一致"}],
        actor=office,
    )
    app = with_score_inputs(type(app).objects.filter(pk=app.pk)).get()
    # consensus 60% on 4.1.2 for everyone: 500 - 25 + 30 = 505
    assert stage_score(app, Stage.DOCUMENT, items, review_cycle.programme).score == Decimal(
        "505.00"
    )
    assert shortlist(cycle=review_cycle, application_ids=[app.pk], actor=office) == {
        "onsite_review": [app.pk],
        "not_shortlisted": [],
    }


def test_an_expert_out_of_term_is_not_assigned(review_cycle, programme, office):
    from review.models import ExpertProfile
    from tests.review.conftest import make_experts

    (app,) = make_accepted(review_cycle, 1)
    expert, other = make_experts(programme, 2)
    ExpertProfile.objects.filter(user=expert).update(term_ends_on=dt.date(2026, 8, 31))
    with pytest.raises(ApplicationError, match="聘期"):
        assign_expert(application=app, expert=expert, stage=Stage.DOCUMENT, actor=office)
    created = auto_assign(cycle=review_cycle, stage=Stage.DOCUMENT, actor=office)
    assert [a.expert_id for a in created] == [other.pk]
