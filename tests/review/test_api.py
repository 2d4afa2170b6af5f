"""The review, publicity and announcement API (API.md): who may call what, and how bad input,
wrong states and the rules R7, R12.4-R12.8 and R23 are answered.

Conventions checked (API.md): 400 invalid input (field messages or {"rule", "detail"}), 401 not
logged in, 403 the role may not, 404 no such object or the caller may not see it, 409 the object
is not in a state that allows this, never 500.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.cache import cache
from django.db import transaction
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.enums import Role
from applications.enums import ApplicationStatus as S
from applications.models import Application
from awards.models import Award, Objection
from awards.services.publicity import file_objection, start_publicity
from programmes.models import Cycle
from review.enums import AssignmentStatus, Stage
from review.models import (
    Assignment,
    ConflictOfInterest,
    ConsensusScore,
    ItemScore,
    SurveyResponse,
)
from review.services.assignment import assign_expert
from review.services.decisions import shortlist
from review.services.experts import declare_conflict, set_expert_status
from review.services.scoring import save_scores
from tests.clock import moment, travel_to
from tests.factories import (
    ConflictOfInterestFactory,
    ExpertProfileFactory,
    ObjectionFactory,
    SurveyResponseFactory,
    staff_user,
)
from tests.review.conftest import (
    ROLES,
    TODAY,
    World,
    login_api,
    make_accepted,
    make_experts,
    scored_sheet,
    set_status,
    sheet,
)

pytestmark = pytest.mark.unit

API = "/api/v1"
HUGE = 10**20  # larger than any database integer


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The public objection endpoint is throttled (5/hour) in the process-wide cache."""
    cache.clear()
    yield
    cache.clear()


# --- building states cheaply ---------------------------------------------------------------


def document_scored(w: World, percent: int = 70, *, text: bool = False) -> None:
    """In document review, fully scored by the matrix expert and two others."""
    set_status(w.app, S.DOCUMENT_REVIEW)
    for expert in w.pool[:3]:
        scored_sheet(w.app, expert, Stage.DOCUMENT, percent, text=text)


def composite_ready(w: World, percent: int = 80) -> None:
    """In on-site review with a document score, an on-site score and a satisfaction index:
    composite = 0.3 × 10p + 0.6 × 10p + 0.1 × (p × 10) = 10p."""
    document_scored(w, percent)
    set_status(w.app, S.ONSITE_REVIEW)
    # The full on-site group (R12.5: five with a leader) gave the same marks.
    scored_sheet(w.app, w.pool[3], Stage.ONSITE, percent, leader=True)
    for expert in make_experts(w.programme, w.cycle.settings.onsite_group_size - 1):
        scored_sheet(w.app, expert, Stage.ONSITE, percent)
    SurveyResponseFactory(application=w.app, score=percent, respondent_kind="customer")


def proposed(w: World, decided_on: dt.date = dt.date(2026, 8, 25)) -> None:
    """The committee proposed the application as a winner on ``decided_on``."""
    set_status(w.app, S.PROPOSED)
    Cycle.objects.filter(pk=w.cycle.pk).update(decided_at=moment(decided_on, 9))
    w.cycle.refresh_from_db()


def in_publicity(w: World, starts_on: dt.date) -> None:
    """Proposed by the committee on ``starts_on`` (R12.7: publicity never before the decision),
    and published that day."""
    set_status(w.app, S.PROPOSED)
    Cycle.objects.filter(pk=w.cycle.pk).update(decided_at=moment(starts_on, 9))
    start_publicity(cycle=w.cycle, starts_on=starts_on, actor=w.office)
    w.refresh()
    w.cycle.refresh_from_db()


def objection(w: World) -> Objection:
    return file_objection(
        application_id=w.app.pk,
        text="该企业近两年发生过质量投诉未如实申报",
        name="王某某",
        phone="13900001111",
    )


def state(w: World) -> tuple:
    """Everything an endpoint of this file could change."""
    return (
        sorted(Application.objects.values_list("pk", "status")),
        sorted(Assignment.objects.values_list("pk", "status")),
        sorted(ItemScore.objects.values_list("pk", "percent")),
        ConsensusScore.objects.count(),
        SurveyResponse.objects.count(),
        sorted(Objection.objects.values_list("pk", "status")),
        sorted(ConflictOfInterest.objects.values_list("pk", "scores_decision")),
        Cycle.objects.filter(pk=w.cycle.pk)
        .values_list("publicity_starts_on", "announced_on", "decided_at")
        .get(),
        Award.objects.count(),
    )


def call(client: APIClient, method: str, url: str, body=None):
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(url, body, format="json")
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def refusals(client: APIClient, method: str, url: str, cases: dict) -> dict[str, tuple]:
    """Each ``label: (body, field)`` sent once (in a savepoint rolled back afterwards): the
    status, and whether the answer names ``field`` (a field message or a rule)."""
    out = {}
    for label, (body, field) in cases.items():
        cache.clear()
        sid = transaction.savepoint()
        try:
            response = call(client, method, url, body)
            answer = response.json() if response["Content-Type"] == "application/json" else {}
            out[label] = (response.status_code, field in answer)
        finally:
            transaction.savepoint_rollback(sid)
    return out


def all_400(cases: dict) -> dict[str, tuple]:
    return {label: (400, True) for label in cases}


# --- one call per endpoint, in a state where its rightful caller succeeds --------------------


def ep_experts(w):
    return "get", f"{API}/experts/", None


def ep_assign(w):
    assign_expert(application=w.app, expert=w.expert, stage=Stage.DOCUMENT, actor=w.office)
    url = f"{API}/applications/{w.app.pk}/assignments/"
    return "post", url, {"expert": w.pool[1].pk, "stage": "document"}


def ep_my_assignments(w):
    assign_expert(application=w.app, expert=w.expert, stage=Stage.DOCUMENT, actor=w.office)
    return "get", f"{API}/assignments/", None


def ep_scores(w):
    a = assign_expert(application=w.app, expert=w.expert, stage=Stage.DOCUMENT, actor=w.office)
    return "put", f"{API}/assignments/{a.pk}/scores/", {"items": sheet(w.cycle, 70)}


def ep_submit(w):
    a = assign_expert(application=w.app, expert=w.expert, stage=Stage.DOCUMENT, actor=w.office)
    save_scores(assignment=a, items=sheet(w.cycle, 70), expert=w.expert)
    return "post", f"{API}/assignments/{a.pk}/submit/", None


def flagged_document_review(w: World) -> None:
    """In document review, the three experts 60 points apart on 4.1.2 (a dispersion flag)."""
    set_status(w.app, S.DOCUMENT_REVIEW)
    for expert, percent in zip(w.pool[:3], (30, 60, 90), strict=True):
        scored_sheet(w.app, expert, Stage.DOCUMENT, {"4.1.2": percent})


def ep_consensus(w):
    flagged_document_review(w)
    body = {"stage": "document", "items": [{"item": "4.1.2", "percent": 60, "comment": "一致"}]}
    return "put", f"{API}/applications/{w.app.pk}/consensus/", body


def ep_shortlist(w):
    document_scored(w)
    return "post", f"{API}/cycles/{w.cycle.pk}/shortlist/", {"applications": [w.app.pk]}


def ep_feedback(w):
    document_scored(w)
    shortlist(cycle=w.cycle, application_ids=[], actor=w.office)  # → not_shortlisted
    return "get", f"{API}/applications/{w.app.pk}/feedback.pdf", None


def ep_survey(w):
    document_scored(w)
    set_status(w.app, S.ONSITE_REVIEW)
    body = {"responses": [{"score": 80, "respondent_kind": "customer"}]}
    return "post", f"{API}/applications/{w.app.pk}/survey/", body


def ep_ranking(w):
    composite_ready(w)
    return "get", f"{API}/cycles/{w.cycle.pk}/ranking/", None


def ep_candidates(w):
    composite_ready(w)
    return "post", f"{API}/cycles/{w.cycle.pk}/candidates/", {"applications": [w.app.pk]}


def ep_decision(w):
    set_status(w.app, S.CANDIDATE)
    body = {"winners": [w.app.pk], "rationale": "综合得分领先"}
    return "post", f"{API}/cycles/{w.cycle.pk}/decision/", body


def ep_publicity(w):
    proposed(w)
    return "post", f"{API}/cycles/{w.cycle.pk}/publicity/", {"starts_on": "2026-09-01"}


def ep_public_list(w):
    in_publicity(w, dt.date(2026, 8, 30))
    return "get", f"{API}/public/publicity/", None


def ep_objection(w):
    in_publicity(w, dt.date(2026, 8, 30))
    body = {
        "application": w.app.pk,
        "text": "该企业近两年发生过质量投诉未如实申报",
        "name": "李某某",
        "phone": "13900002222",
    }
    return "post", f"{API}/public/objections/", body


def ep_resolve(w):
    in_publicity(w, dt.date(2026, 8, 30))
    o = objection(w)
    return "post", f"{API}/objections/{o.pk}/resolve/", {"upheld": False, "reasons": "经查不属实"}


def ep_announce(w):
    in_publicity(w, dt.date(2026, 8, 20))  # ended on 2026-08-26
    return "post", f"{API}/cycles/{w.cycle.pk}/announce/", None


def ep_conflict(w):
    assign_expert(application=w.app, expert=w.expert, stage=Stage.DOCUMENT, actor=w.office)
    body = {"expert": w.expert.pk, "reason": "曾任该企业质量顾问"}
    return "post", f"{API}/organisations/{w.app.organisation_id}/conflicts/", body


def ep_conflict_decision(w):
    """An expert declared a conflict after submitting a sheet: the office decides (R23)."""
    document_scored(w)
    conflict = declare_conflict(
        expert=w.expert,
        organisation=w.app.organisation,
        reason="提交后发现亲属任职",
        actor=w.expert,
    )
    body = {"withdraw_scores": True, "reasons": "评分不再计入，另派专家"}
    return "post", f"{API}/conflicts/{conflict.pk}/decision/", body


def row(default: int, **overrides: int) -> dict[str, int]:
    """Expected status per role: staff of the programme get ``default`` unless overridden;
    anonymous callers 401; callers who may not see the object 404."""
    base = {role: default for role in ROLES}
    base["anonymous"] = 401
    return base | overrides


NOT_SEEN = {"other_enterprise": 404, "other_programme": 404}
# Cycle endpoints: enterprises serve no programme, so the cycle is not theirs to see.
CYCLE_NOT_SEEN = {"owner": 404, **NOT_SEEN}

MATRIX = {
    # the expert pool: the office, the supervisor reads; the other programme's office reads
    # its own pool (checked below: none of ours)
    "GET experts": (
        ep_experts,
        row(403, office=200, supervisor=200, other_programme=200),
    ),
    "POST assignments": (ep_assign, row(403, office=201, **NOT_SEEN)),
    "GET assignments": (ep_my_assignments, row(403, expert=200)),
    # an assignment is its expert's own: nobody else even learns it exists
    "PUT scores": (ep_scores, row(404, expert=200)),
    "POST submit": (ep_submit, row(404, expert=200)),
    "PUT consensus": (ep_consensus, row(403, office=200, **NOT_SEEN)),
    "POST shortlist": (ep_shortlist, row(403, office=200, **CYCLE_NOT_SEEN)),
    "GET feedback.pdf": (
        ep_feedback,
        row(403, office=200, committee=200, supervisor=200, owner=200, **NOT_SEEN),
    ),
    "POST survey": (ep_survey, row(403, office=201, **NOT_SEEN)),
    "GET ranking": (
        ep_ranking,
        row(403, office=200, committee=200, supervisor=200, **CYCLE_NOT_SEEN),
    ),
    "POST candidates": (ep_candidates, row(403, office=200, **CYCLE_NOT_SEEN)),
    "POST decision": (ep_decision, row(403, committee=200, **CYCLE_NOT_SEEN)),
    "POST publicity": (ep_publicity, row(403, office=200, **CYCLE_NOT_SEEN)),
    "GET public publicity": (ep_public_list, row(200, anonymous=200)),
    "POST public objections": (ep_objection, row(201, anonymous=201)),
    "POST resolve": (ep_resolve, row(403, office=200, **CYCLE_NOT_SEEN)),
    "POST announce": (ep_announce, row(403, government=200, **CYCLE_NOT_SEEN)),
    # the office, or the expert declaring for themself; the recommender does not read
    # organisation records; another programme's office has no business with our expert
    "POST conflicts": (
        ep_conflict,
        row(403, office=201, expert=201, recommender=404, **NOT_SEEN),
    ),
    # the office decides; the supervisor sees the pool and is refused; nobody else sees it
    "POST conflict decision": (
        ep_conflict_decision,
        row(404, office=200, supervisor=403),
    ),
}


def each_role(w: World, method: str, url: str, body) -> tuple[dict[str, int], dict[str, bool]]:
    """Every role calls once, each in a savepoint rolled back afterwards, so that every caller
    finds the same state. Returns the status per role, and per role whether the state is
    unchanged after the call."""
    statuses, unchanged = {}, {}
    for role in ROLES:
        cache.clear()  # the public objection throttle
        before = state(w)
        sid = transaction.savepoint()
        try:
            response = call(w.client(role), method, url, body)
            statuses[role] = response.status_code
            unchanged[role] = state(w) == before
        finally:
            transaction.savepoint_rollback(sid)
    return statuses, unchanged


@pytest.mark.parametrize("endpoint", MATRIX)
def test_permission_matrix(w, endpoint):
    make, expected = MATRIX[endpoint]
    method, url, body = make(w)
    statuses, unchanged = each_role(w, method, url, body)
    assert statuses == expected
    # a refusal (or a read) changes nothing
    quiet = {role for role, code in statuses.items() if code >= 400 or method == "get"}
    assert {role: unchanged[role] for role in quiet} == {role: True for role in quiet}


# --- the expert pool ---------------------------------------------------------------------


def test_expert_pool_lists_the_contract_fields(w):
    set_expert_status(expert=w.pool[3], status="suspended", reason="年度考核不合格", actor=w.office)
    body = w.client("office").get(f"{API}/experts/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    first = body["results"][0]
    assert {"id", "username", "name", "industries", "status"} <= set(first)
    by_name = {r["username"]: (r["id"], r["name"], r["status"]) for r in body["results"]}
    assert by_name == {
        "expert_pool_0": (w.pool[0].pk, "评审专家甲", "active"),
        "expert_pool_1": (w.pool[1].pk, "评审专家乙", "active"),
        "expert_pool_2": (w.pool[2].pk, "评审专家丙", "active"),
        "expert_pool_3": (w.pool[3].pk, "评审专家丁", "suspended"),
    }


def test_expert_pool_of_another_programme_shows_none_of_ours(w):
    body = w.client("other_programme").get(f"{API}/experts/").json()
    assert body["results"] == []


def test_expert_pool_includes_an_expert_serving_every_programme(w):
    """An expert with ``all_programmes`` serves this programme (they can be assigned to it), so
    the office sees them in the pool, as on the /review/experts/ page."""
    everywhere = staff_user(Role.EXPERT, programme=None, username="roving", is_staff=False)
    ExpertProfileFactory(user=everywhere)
    assert everywhere.serves(w.programme.pk)
    usernames = [r["username"] for r in w.client("office").get(f"{API}/experts/").json()["results"]]
    assert "roving" in usernames


# --- assignments -----------------------------------------------------------------------------


def test_first_document_assignment_starts_the_document_review(w):
    response = w.client("office").post(
        f"{API}/applications/{w.app.pk}/assignments/",
        {"expert": w.expert.pk, "stage": "document"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["expert"], body["stage"], body["leader"], body["status"]) == (
        w.expert.pk,
        "document",
        False,
        "assigned",
    )
    assert w.refresh().status == S.DOCUMENT_REVIEW


def test_assigning_an_expert_with_a_conflict_of_interest_is_400(w):
    ConflictOfInterestFactory(
        expert=w.expert, organisation=w.app.organisation, reason="亲属任职", declared_by=w.office
    )
    response = w.client("office").post(
        f"{API}/applications/{w.app.pk}/assignments/",
        {"expert": w.expert.pk, "stage": "document"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["detail", "expert"]
    assert not Assignment.objects.exists()
    assert w.refresh().status == S.ACCEPTED


def test_assigning_a_suspended_expert_is_400_R23(w):
    set_expert_status(expert=w.expert, status="suspended", reason="违反回避规定", actor=w.office)
    response = w.client("office").post(
        f"{API}/applications/{w.app.pk}/assignments/",
        {"expert": w.expert.pk, "stage": "document"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["rule"] == "R23"
    assert not Assignment.objects.exists()


def test_bad_assignment_input_is_400_with_the_field(w):
    cases = {
        "not an id": ({"expert": "office", "stage": "document"}, "expert"),
        "no expert": ({"stage": "document"}, "expert"),
        "huge id": ({"expert": HUGE, "stage": "document"}, "expert"),
        "unknown id": ({"expert": 999999, "stage": "document"}, "expert"),
        "null expert": ({"expert": None, "stage": "document"}, "expert"),
        "unknown stage": ({"expert": w.expert.pk, "stage": "final"}, "stage"),
        "no stage": ({"expert": w.expert.pk}, "stage"),
        "leader maybe": ({"expert": w.expert.pk, "stage": "document", "leader": "maybe"}, "leader"),
        "not an expert": ({"expert": w.office.pk, "stage": "document"}, "expert"),
        "an enterprise user": ({"expert": w.owner.pk, "stage": "document"}, "expert"),
    }
    url = f"{API}/applications/{w.app.pk}/assignments/"
    assert refusals(w.client("office"), "post", url, cases) == all_400(cases)
    assert not Assignment.objects.exists()


def test_the_same_expert_twice_is_400_and_onsite_before_the_shortlist_is_409(w):
    client = w.client("office")
    url = f"{API}/applications/{w.app.pk}/assignments/"
    assert client.post(url, {"expert": w.expert.pk, "stage": "document"}).status_code == 201
    again = client.post(url, {"expert": w.expert.pk, "stage": "document"}, format="json")
    assert again.status_code == 400
    assert "expert" in again.json()
    onsite = client.post(url, {"expert": w.pool[1].pk, "stage": "onsite"}, format="json")
    assert onsite.status_code == 409
    assert Assignment.objects.count() == 1


# --- experts see their own work only (R23) -----------------------------------------------------


def test_expert_sees_only_their_own_assignments_and_never_another_experts_scores_R23(w):
    mine = assign_expert(application=w.app, expert=w.expert, stage=Stage.DOCUMENT, actor=w.office)
    theirs = assign_expert(
        application=w.app, expert=w.pool[1], stage=Stage.DOCUMENT, actor=w.office
    )
    other_app = make_accepted(w.cycle, 1)[0]
    elsewhere = assign_expert(
        application=other_app, expert=w.pool[1], stage=Stage.DOCUMENT, actor=w.office
    )
    save_scores(assignment=theirs, items=sheet(w.cycle, 90), expert=w.pool[1])
    me = w.client("expert")

    listed = me.get(f"{API}/assignments/").json()
    assert [r["id"] for r in listed["results"]] == [mine.pk]
    assert listed["results"][0]["application"] == w.app.pk

    for other in (theirs, elsewhere):
        assert me.get(f"{API}/assignments/{other.pk}/scores/").status_code == 404
        put = me.put(
            f"{API}/assignments/{other.pk}/scores/",
            {"items": sheet(w.cycle, 10)},
            format="json",
        )
        assert put.status_code == 404
        assert me.post(f"{API}/assignments/{other.pk}/submit/").status_code == 404
    # their marks are untouched, and mine are empty
    assert sorted(set(theirs.scores.values_list("percent", flat=True))) == [90]
    assert me.get(f"{API}/assignments/{mine.pk}/scores/").json() == {"items": []}
    # the other application is not visible to me either
    assert me.get(f"{API}/applications/{other_app.pk}/").status_code == 404


def test_unknown_assignment_is_404(w):
    me = w.client("expert")
    assert me.get(f"{API}/assignments/999999/scores/").status_code == 404
    assert me.put(
        f"{API}/assignments/{HUGE}/scores/", {"items": []}, format="json"
    ).status_code == (404)


def test_assigned_then_conflicted_expert_loses_access(w):
    a = assign_expert(application=w.app, expert=w.expert, stage=Stage.DOCUMENT, actor=w.office)
    me = w.client("expert")
    assert me.get(f"{API}/applications/{w.app.pk}/").status_code == 200
    assert me.get(f"{API}/assignments/{a.pk}/scores/").status_code == 200

    response = me.post(
        f"{API}/organisations/{w.app.organisation_id}/conflicts/",
        {"expert": w.expert.pk, "reason": "本人配偶在该企业任职"},
        format="json",
    )
    assert response.status_code == 201
    a.refresh_from_db()
    assert a.status == AssignmentStatus.REVOKED

    assert me.get(f"{API}/assignments/").json()["results"] == []
    assert me.get(f"{API}/assignments/{a.pk}/scores/").status_code == 404
    put = me.put(f"{API}/assignments/{a.pk}/scores/", {"items": sheet(w.cycle, 70)}, format="json")
    assert put.status_code == 404
    assert me.post(f"{API}/assignments/{a.pk}/submit/").status_code == 404
    assert me.get(f"{API}/applications/{w.app.pk}/").status_code == 404
    assert not ItemScore.objects.exists()
    # and the office cannot assign them again
    again = w.client("office").post(
        f"{API}/applications/{w.app.pk}/assignments/",
        {"expert": w.expert.pk, "stage": "document"},
        format="json",
    )
    assert again.status_code == 400


def test_office_declares_a_conflict_for_an_expert_who_loses_access(w):
    a = assign_expert(application=w.app, expert=w.expert, stage=Stage.DOCUMENT, actor=w.office)
    response = w.client("office").post(
        f"{API}/organisations/{w.app.organisation_id}/conflicts/",
        {"expert": w.expert.pk, "reason": "曾任该企业顾问"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json() == {
        "id": ConflictOfInterest.objects.get().pk,
        "expert": w.expert.pk,
        "organisation": w.app.organisation_id,
        "scores_decision": "not_needed",
    }
    a.refresh_from_db()
    assert a.status == AssignmentStatus.REVOKED
    assert w.client("expert").get(f"{API}/assignments/{a.pk}/scores/").status_code == 404


def test_another_programmes_office_cannot_revoke_our_experts_assignments(w):
    """Organisations are shared, but our expert is not theirs to manage: declaring a conflict
    would revoke the expert's assignment in a programme the caller does not serve."""
    a = assign_expert(application=w.app, expert=w.expert, stage=Stage.DOCUMENT, actor=w.office)
    response = w.client("other_programme").post(
        f"{API}/organisations/{w.app.organisation_id}/conflicts/",
        {"expert": w.expert.pk, "reason": "外旗办公室登记"},
        format="json",
    )
    assert response.status_code == 404
    a.refresh_from_db()
    assert a.status == AssignmentStatus.ASSIGNED
    assert not ConflictOfInterest.objects.exists()


def test_expert_cannot_declare_a_conflict_for_another_expert(w):
    response = w.client("expert").post(
        f"{API}/organisations/{w.app.organisation_id}/conflicts/",
        {"expert": w.pool[1].pk, "reason": "他曾任该企业顾问"},
        format="json",
    )
    assert response.status_code == 403
    assert not ConflictOfInterest.objects.exists()


def test_bad_conflict_input_is_400(w):
    cases = {
        "blank reason": ({"expert": w.expert.pk, "reason": ""}, "reason"),
        "spaces": ({"expert": w.expert.pk, "reason": "   "}, "reason"),
        "no reason": ({"expert": w.expert.pk}, "reason"),
        "not an expert": ({"expert": w.owner.pk, "reason": "不是专家"}, "expert"),
        "unknown": ({"expert": 999999, "reason": "没有此人"}, "expert"),
        "huge": ({"expert": HUGE, "reason": "没有此人"}, "expert"),
        "no expert": ({"reason": "没有此人"}, "expert"),
    }
    url = f"{API}/organisations/{w.app.organisation_id}/conflicts/"
    assert refusals(w.client("office"), "post", url, cases) == all_400(cases)
    assert not ConflictOfInterest.objects.exists()


def test_a_second_identical_conflict_is_400(w):
    url = f"{API}/organisations/{w.app.organisation_id}/conflicts/"
    body = {"expert": w.expert.pk, "reason": "曾任该企业顾问"}
    assert w.client("office").post(url, body, format="json").status_code == 201
    assert w.client("office").post(url, body, format="json").status_code == 400
    assert ConflictOfInterest.objects.count() == 1


def test_conflict_on_an_unknown_organisation_is_404(w):
    for role in ("office", "expert"):
        response = w.client(role).post(
            f"{API}/organisations/999999/conflicts/",
            {"expert": w.expert.pk, "reason": "曾任顾问"},
            format="json",
        )
        assert response.status_code == 404, role


def test_suspended_expert_cannot_score_R23(w):
    a = assign_expert(application=w.app, expert=w.expert, stage=Stage.DOCUMENT, actor=w.office)
    set_expert_status(expert=w.expert, status="suspended", reason="违反保密承诺", actor=w.office)
    me = w.client("expert")
    put = me.put(f"{API}/assignments/{a.pk}/scores/", {"items": sheet(w.cycle, 70)}, format="json")
    assert put.status_code == 404
    assert me.post(f"{API}/assignments/{a.pk}/submit/").status_code == 404
    assert me.get(f"{API}/assignments/").json()["results"] == []
    assert not ItemScore.objects.exists()


def test_expert_without_the_pledge_cannot_score_R23(w):
    (unsigned,) = make_experts(w.programme, 1, pledge=False)
    a = assign_expert(application=w.app, expert=unsigned, stage=Stage.DOCUMENT, actor=w.office)
    response = login_api(unsigned).put(
        f"{API}/assignments/{a.pk}/scores/", {"items": sheet(w.cycle, 70)}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["rule"] == "R23"
    assert not ItemScore.objects.exists()


# --- scoring ---------------------------------------------------------------------------------


@pytest.fixture
def my_assignment(w) -> Assignment:
    return assign_expert(application=w.app, expert=w.expert, stage=Stage.DOCUMENT, actor=w.office)


def test_expert_saves_then_submits_a_complete_sheet(w, my_assignment):
    me = w.client("expert")
    url = f"{API}/assignments/{my_assignment.pk}"
    first = sheet(w.cycle, 70)[:5]
    saved = me.put(f"{url}/scores/", {"items": first}, format="json")
    assert saved.status_code == 200
    assert [(r["item"], r["percent"]) for r in saved.json()["items"]] == [
        (r["item"], 70) for r in first
    ]
    assert me.post(f"{url}/submit/").status_code == 400  # 18 items still unscored
    assert me.put(f"{url}/scores/", {"items": sheet(w.cycle, 65)}, format="json").status_code == 200
    submitted = me.post(f"{url}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    my_assignment.refresh_from_db()
    assert my_assignment.status == AssignmentStatus.SUBMITTED
    assert sorted(set(my_assignment.scores.values_list("percent", flat=True))) == [65]
    assert my_assignment.scores.count() == 23


def test_percent_not_a_step_of_5_in_0_100_is_400(w, my_assignment):
    percents = {"33": 33, "105": 105, "-5": -5, "x": "x", "2.5": 2.5, "null": None}
    percents |= {"empty": "", "list": [50], "object": {"v": 50}, "huge": HUGE, "absent": ...}
    cases = {
        label: (
            {"items": [{"item": "4.1.2"} | ({} if p is ... else {"percent": p})]},
            "items",
        )
        for label, p in percents.items()
    }
    url = f"{API}/assignments/{my_assignment.pk}/scores/"
    assert refusals(w.client("expert"), "put", url, cases) == all_400(cases)
    assert not ItemScore.objects.exists()


def test_unknown_item_is_400(w, my_assignment):
    """4.1 is a category and 4.1.1 an overview item without points: neither is scored."""
    codes = ("9.9.9", "4.1", "4.1.1", "", "4.8.2", "4.1.2; DROP TABLE")
    cases = {code: ({"items": [{"item": code, "percent": 50}]}, "items") for code in codes}
    cases["no item"] = ({"items": [{"percent": 50}]}, "items")
    url = f"{API}/assignments/{my_assignment.pk}/scores/"
    assert refusals(w.client("expert"), "put", url, cases) == all_400(cases)
    assert not ItemScore.objects.exists()


def test_a_bad_row_refuses_the_whole_put(w, my_assignment):
    rows = sheet(w.cycle, 70)
    rows[7]["percent"] = 33
    response = w.client("expert").put(
        f"{API}/assignments/{my_assignment.pk}/scores/", {"items": rows}, format="json"
    )
    assert response.status_code == 400
    assert not ItemScore.objects.exists()


def test_submit_with_missing_items_is_400(w, my_assignment):
    me = w.client("expert")
    rows = sheet(w.cycle, 70)
    assert (
        me.put(
            f"{API}/assignments/{my_assignment.pk}/scores/", {"items": rows[:-2]}, format="json"
        ).status_code
        == 200
    )
    response = me.post(f"{API}/assignments/{my_assignment.pk}/submit/")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "items"}
    assert "4.7.6" in response.json()["detail"]
    assert "4.7.7" in response.json()["detail"]
    my_assignment.refresh_from_db()
    assert my_assignment.status == AssignmentStatus.ASSIGNED


def test_a_submitted_sheet_cannot_change_409(w, my_assignment):
    me = w.client("expert")
    url = f"{API}/assignments/{my_assignment.pk}"
    me.put(f"{url}/scores/", {"items": sheet(w.cycle, 70)}, format="json")
    assert me.post(f"{url}/submit/").status_code == 200
    assert me.post(f"{url}/submit/").status_code == 409
    assert me.put(f"{url}/scores/", {"items": sheet(w.cycle, 20)}, format="json").status_code == 409
    assert sorted(set(ItemScore.objects.values_list("percent", flat=True))) == [70]


def test_scoring_after_the_document_stage_is_409(w, my_assignment):
    set_status(w.app, S.NOT_SHORTLISTED)
    response = w.client("expert").put(
        f"{API}/assignments/{my_assignment.pk}/scores/",
        {"items": sheet(w.cycle, 70)},
        format="json",
    )
    assert response.status_code == 409
    assert not ItemScore.objects.exists()


# --- consensus ---------------------------------------------------------------------------------


def test_office_records_document_consensus(w):
    flagged_document_review(w)
    response = w.client("office").put(
        f"{API}/applications/{w.app.pk}/consensus/",
        {"stage": "document", "items": [{"item": "4.1.2", "percent": 60, "comment": "讨论后"}]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "stage": "document",
        "items": [{"item": "4.1.2", "percent": 60, "comment": "讨论后"}],
    }


def test_onsite_consensus_is_the_leaders_and_covers_every_item(w):
    document_scored(w)
    set_status(w.app, S.ONSITE_REVIEW)
    leader = w.pool[3]
    scored_sheet(w.app, leader, Stage.ONSITE, 75, leader=True)
    scored_sheet(w.app, w.expert, Stage.ONSITE, 75)
    url = f"{API}/applications/{w.app.pk}/consensus/"
    full = {
        "stage": "onsite",
        "items": [{"item": r["item"], "percent": 75} for r in sheet(w.cycle, 0)],
    }
    # the office and an ordinary group member may not
    assert w.client("office").put(url, full, format="json").status_code == 403
    assert w.client("expert").put(url, full, format="json").status_code == 403
    # the leader must cover every item
    partial = {"stage": "onsite", "items": full["items"][:3]}
    assert login_api(leader).put(url, partial, format="json").status_code == 400
    assert not ConsensusScore.objects.exists()
    response = login_api(leader).put(url, full, format="json")
    assert response.status_code == 200
    assert len(response.json()["items"]) == 23
    assert ConsensusScore.objects.filter(stage="onsite").count() == 23


def test_document_consensus_outside_the_document_review_is_409(w):
    set_status(w.app, S.ONSITE_REVIEW)
    response = w.client("office").put(
        f"{API}/applications/{w.app.pk}/consensus/",
        {"stage": "document", "items": [{"item": "4.1.2", "percent": 60}]},
        format="json",
    )
    assert response.status_code == 409


def test_bad_consensus_input_is_400(w):
    document_scored(w)
    cases = {
        "unknown stage": ({"stage": "final", "items": []}, "stage"),
        "33 %": ({"stage": "document", "items": [{"item": "4.1.2", "percent": 33}]}, "items"),
        "unknown item": ({"stage": "document", "items": [{"item": "x", "percent": 50}]}, "items"),
        "no items": ({"stage": "document"}, "items"),
        "no stage": ({"items": [{"item": "4.1.2", "percent": 50}]}, "stage"),
    }
    url = f"{API}/applications/{w.app.pk}/consensus/"
    assert refusals(w.client("office"), "put", url, cases) == all_400(cases)
    assert not ConsensusScore.objects.exists()


# --- shortlist and feedback (R12.4) -------------------------------------------------------------


def test_shortlist_moves_listed_on_site_and_the_rest_not_shortlisted_R12_4(w):
    document_scored(w)
    second = make_accepted(w.cycle, 1)[0]
    set_status(second, S.DOCUMENT_REVIEW)
    for expert in w.pool[:3]:
        scored_sheet(second, expert, Stage.DOCUMENT, 40)
    response = w.client("office").post(
        f"{API}/cycles/{w.cycle.pk}/shortlist/", {"applications": [w.app.pk]}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"onsite_review": [w.app.pk], "not_shortlisted": [second.pk]}
    second.refresh_from_db()
    assert (w.refresh().status, second.status) == (S.ONSITE_REVIEW, S.NOT_SHORTLISTED)


def test_shortlist_while_a_sheet_is_missing_is_400_R12_4(w):
    set_status(w.app, S.DOCUMENT_REVIEW)
    scored_sheet(w.app, w.pool[0], Stage.DOCUMENT, 70)
    assign_expert(application=w.app, expert=w.pool[1], stage=Stage.DOCUMENT, actor=w.office)
    response = w.client("office").post(
        f"{API}/cycles/{w.cycle.pk}/shortlist/", {"applications": [w.app.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["rule"] == "R12.4"
    assert w.refresh().status == S.DOCUMENT_REVIEW


def test_shortlist_with_an_application_not_in_document_review_is_400(w):
    document_scored(w)
    response = w.client("office").post(
        f"{API}/cycles/{w.cycle.pk}/shortlist/",
        {"applications": [w.app.pk, 999999]},
        format="json",
    )
    assert response.status_code == 400
    assert "applications" in response.json()


def test_a_second_identical_shortlist_is_409_and_changes_nothing(w):
    """The listed application has left the document review: a repeated step is a conflict."""
    document_scored(w)
    url = f"{API}/cycles/{w.cycle.pk}/shortlist/"
    body = {"applications": [w.app.pk]}
    assert w.client("office").post(url, body, format="json").status_code == 200
    again = w.client("office").post(url, body, format="json")
    assert again.status_code == 409
    assert str(w.app.pk) in again.json()["detail"]
    assert w.refresh().status == S.ONSITE_REVIEW


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def test_feedback_is_404_for_the_owner_until_the_document_stage_ends(w):
    document_scored(w, text=True)
    owner = w.client("owner")
    url = f"{API}/applications/{w.app.pk}/feedback.pdf"
    assert owner.get(url).status_code == 404
    # Nor for the staff: before the document stage ends there is no report, only blanks.
    assert w.client("office").get(url).status_code == 404
    shortlist(cycle=w.cycle, application_ids=[], actor=w.office)
    assert w.refresh().status == S.NOT_SHORTLISTED
    response = owner.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"


def test_feedback_for_an_accepted_application_not_yet_reviewed_is_404_for_the_owner(w):
    assert w.client("owner").get(f"{API}/applications/{w.app.pk}/feedback.pdf").status_code == 404


def test_the_enterprise_never_sees_who_reviewed_it(w):
    """The feedback report carries the experts' strengths and improvements but no names or
    usernames, and the application as the owner reads it has no expert data at all."""
    document_scored(w, text=True)
    shortlist(cycle=w.cycle, application_ids=[], actor=w.office)
    owner = w.client("owner")

    response = owner.get(f"{API}/applications/{w.app.pk}/feedback.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "4.1.2方法系统完整" in text.replace(" ", "")  # the text can be read at all
    assert w.app.organisation.name in text.replace(" ", "")
    identities = [
        value
        for expert in w.pool[:3]
        for value in (expert.username, expert.name, expert.email, expert.expert_profile.employer)
    ]
    assert [value for value in identities if value in text] == []

    detail = owner.get(f"{API}/applications/{w.app.pk}/")
    assert detail.status_code == 200
    raw = detail.content.decode()
    assert [value for value in identities if value in raw] == []
    assert {"assignments", "experts", "scores", "expert"} & set(detail.json()) == set()


def test_owner_sees_no_assignments_and_no_scores_through_the_api(w):
    a = scored_sheet(w.app, w.expert, Stage.DOCUMENT, 70)
    owner = w.client("owner")
    assert owner.get(f"{API}/assignments/").status_code == 403
    assert owner.get(f"{API}/assignments/{a.pk}/scores/").status_code == 404
    assert owner.get(f"{API}/cycles/{w.cycle.pk}/ranking/").status_code == 404


# --- survey (R12.5) -------------------------------------------------------------------------


def test_survey_responses_are_recorded_R12_5(w):
    set_status(w.app, S.ONSITE_REVIEW)
    response = w.client("office").post(
        f"{API}/applications/{w.app.pk}/survey/",
        {
            "responses": [
                {"score": 90, "respondent_kind": "customer"},
                {"score": 0, "respondent_kind": "user", "comment": "交货慢"},
                {"score": 100, "respondent_kind": "partner"},
            ]
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json() == {"recorded": 3}
    assert sorted(SurveyResponse.objects.values_list("score", flat=True)) == [0, 90, 100]


def test_bad_survey_input_is_400_R12_5(w):
    set_status(w.app, S.ONSITE_REVIEW)
    rows = {
        "none": [],
        "101": [{"score": 101, "respondent_kind": "customer"}],
        "-1": [{"score": -1, "respondent_kind": "customer"}],
        "martian": [{"score": 80, "respondent_kind": "martian"}],
        "eighty": [{"score": "eighty", "respondent_kind": "customer"}],
        "no score": [{"respondent_kind": "customer"}],
        "no kind": [{"score": 80}],
    }
    cases = {label: ({"responses": r}, "responses") for label, r in rows.items()}
    url = f"{API}/applications/{w.app.pk}/survey/"
    assert refusals(w.client("office"), "post", url, cases) == all_400(cases)
    assert not SurveyResponse.objects.exists()


def test_survey_outside_the_onsite_review_is_409(w):
    set_status(w.app, S.DOCUMENT_REVIEW)
    response = w.client("office").post(
        f"{API}/applications/{w.app.pk}/survey/",
        {"responses": [{"score": 80, "respondent_kind": "customer"}]},
        format="json",
    )
    assert response.status_code == 409


# --- ranking and candidates (R12.6) ------------------------------------------------------------


def test_ranking_gives_the_composite_with_its_parts(w):
    composite_ready(w, 80)
    body = w.client("committee").get(f"{API}/cycles/{w.cycle.pk}/ranking/").json()
    assert body["cycle"] == w.cycle.pk
    (first,) = body["results"]
    assert first["application"] == w.app.pk
    assert first["rank"] == 1
    # 0.3 × 800 + 0.6 × 800 + 0.1 × (80 × 10) = 240 + 480 + 80 = 800
    # scores are JSON numbers (API.md keeps decimal strings for money)
    assert first["composite"] == "800.00"
    assert first["parts"] == {"document": "240.00", "onsite": "480.00", "satisfaction": "80.00"}
    assert first["weights"] == {"document": 30, "onsite": 60, "satisfaction": 10}
    assert first["satisfaction"] == {"index": "80.00", "responses": 1}
    assert [e["total"] for e in first["document"]["experts"]] == ["800.00"] * 3
    assert first["document"]["method"] == "mean"
    assert first["onsite"]["method"] == "mean"
    assert first["reaches_floor"] is True


def test_candidates_below_the_600_floor_are_400_R12_6(w):
    composite_ready(w, 55)  # composite 550 < 600
    response = w.client("office").post(
        f"{API}/cycles/{w.cycle.pk}/candidates/", {"applications": [w.app.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["rule"] == "R12.6"
    assert w.refresh().status == S.ONSITE_REVIEW


def test_candidates_at_the_floor_are_accepted_R12_6(w):
    composite_ready(w, 60)  # composite exactly 600
    second = make_accepted(w.cycle, 1)[0]
    set_status(second, S.ONSITE_REVIEW)
    for n, expert in enumerate(make_experts(w.programme, w.cycle.settings.onsite_group_size)):
        scored_sheet(second, expert, Stage.ONSITE, 50, leader=n == 0)
    response = w.client("office").post(
        f"{API}/cycles/{w.cycle.pk}/candidates/", {"applications": [w.app.pk]}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"candidate": [w.app.pk], "not_candidate": [second.pk]}


def test_candidates_without_a_complete_composite_are_400_R12_6(w):
    composite_ready(w, 80)
    SurveyResponse.objects.all().delete()
    response = w.client("office").post(
        f"{API}/cycles/{w.cycle.pk}/candidates/", {"applications": [w.app.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["rule"] == "R12.6"


def test_candidates_with_nothing_on_site_is_409(w):
    response = w.client("office").post(
        f"{API}/cycles/{w.cycle.pk}/candidates/", {"applications": []}, format="json"
    )
    assert response.status_code == 409


# --- the committee's decision (R7) ------------------------------------------------------------


def candidates(w: World, n: int) -> list[Application]:
    apps = [w.app, *make_accepted(w.cycle, n - 1)]
    for app in apps:
        set_status(app, S.CANDIDATE)
    return apps


def test_quota_3_with_4_winners_is_400_R7(w):
    assert w.programme.quota == 3
    apps = candidates(w, 4)
    response = w.client("committee").post(
        f"{API}/cycles/{w.cycle.pk}/decision/",
        {"winners": [a.pk for a in apps], "rationale": "四家均达到获奖水平"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["rule"] == "R7"
    assert sorted(Application.objects.values_list("status", flat=True)) == [S.CANDIDATE] * 4


def test_quota_3_with_3_winners_is_accepted_R7(w):
    apps = candidates(w, 4)
    response = w.client("committee").post(
        f"{API}/cycles/{w.cycle.pk}/decision/",
        {"winners": [a.pk for a in apps[:3]], "rationale": "综合得分前三名"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "proposed": [a.pk for a in apps[:3]],
        "not_proposed": [apps[3].pk],
    }


def test_a_second_identical_decision_is_409_R7(w):
    apps = candidates(w, 2)
    body = {"winners": [apps[0].pk], "rationale": "综合得分领先"}
    url = f"{API}/cycles/{w.cycle.pk}/decision/"
    assert w.client("committee").post(url, body, format="json").status_code == 200
    again = w.client("committee").post(url, body, format="json")
    assert again.status_code == 409
    assert [a.status for a in Application.objects.order_by("pk")] == [S.PROPOSED, S.NOT_PROPOSED]


def test_bad_decision_input_is_400(w):
    candidates(w, 1)
    pk = w.app.pk
    cases = {
        "blank rationale": ({"winners": [pk], "rationale": ""}, "rationale"),
        "spaces": ({"winners": [pk], "rationale": "   "}, "rationale"),
        "no rationale": ({"winners": [pk]}, "rationale"),
        "no winners": ({"rationale": "理由"}, "winners"),
        "not a candidate": ({"winners": [999999], "rationale": "不是候选"}, "winners"),
        "huge": ({"winners": [HUGE], "rationale": "不是候选"}, "winners"),
    }
    url = f"{API}/cycles/{w.cycle.pk}/decision/"
    assert refusals(w.client("committee"), "post", url, cases) == all_400(cases)
    assert w.refresh().status == S.CANDIDATE


# --- publicity and objections (R12.7) ---------------------------------------------------------


def test_publicity_starts_and_may_have_started_in_the_past_R12_7(w):
    proposed(w)
    response = w.client("office").post(
        f"{API}/cycles/{w.cycle.pk}/publicity/", {"starts_on": "2026-08-28"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {
        "applications": [w.app.pk],
        "starts_on": "2026-08-28",
        "ends_on": "2026-09-03",  # 7 days, both ends included
    }
    assert w.refresh().status == S.PUBLICITY


def test_bad_publicity_input_is_400(w):
    proposed(w)
    cases = {
        "no date": ({}, "starts_on"),
        "month 13": ({"starts_on": "2026-13-01"}, "starts_on"),
        "0 days": ({"starts_on": "2026-09-01", "days": 0}, "days"),
        "61 days": ({"starts_on": "2026-09-01", "days": 61}, "days"),
        "31 days ahead": ({"starts_on": "2026-10-02"}, "starts_on"),
    }
    url = f"{API}/cycles/{w.cycle.pk}/publicity/"
    assert refusals(w.client("office"), "post", url, cases) == all_400(cases)
    assert w.refresh().status == S.PROPOSED


def test_publicity_without_proposed_winners_is_409(w):
    response = w.client("office").post(
        f"{API}/cycles/{w.cycle.pk}/publicity/", {"starts_on": "2026-09-01"}, format="json"
    )
    assert response.status_code == 409


def test_public_publicity_list_has_the_contract_fields(w):
    in_publicity(w, dt.date(2026, 8, 30))
    body = APIClient().get(f"{API}/public/publicity/").json()
    assert body["count"] == 1
    assert body["results"] == [
        {
            "id": w.app.pk,
            "organisation": w.app.organisation.name,
            "programme": w.programme.name,
            "year": 2026,
            "starts_on": "2026-08-30",
            "ends_on": "2026-09-05",
        }
    ]


def test_public_publicity_list_never_shows_objectors_R12_7(w):
    in_publicity(w, dt.date(2026, 8, 30))
    response = APIClient().post(
        f"{API}/public/objections/",
        {
            "application": w.app.pk,
            "text": "该企业近两年发生过质量投诉未如实申报",
            "name": "赵某某",
            "phone": "13912345678",
        },
        format="json",
    )
    assert response.status_code == 201
    created = response.json()
    assert created == {"id": Objection.objects.get().pk, "status": "open"}
    raw = APIClient().get(f"{API}/public/publicity/").content.decode()
    assert "赵某某" not in raw
    assert "13912345678" not in raw
    assert "质量投诉" not in raw


def objection_body(w: World, **changes) -> dict:
    return {
        "application": w.app.pk,
        "text": "该企业近两年发生过质量投诉未如实申报",
        "name": "王某某",
        "phone": "13900001111",
    } | changes


def test_objection_on_the_last_publicity_day_is_201_and_the_day_after_400_R12_7(w, monkeypatch):
    in_publicity(w, dt.date(2026, 8, 26))  # 2026-08-26 .. 2026-09-01
    assert w.cycle.publicity_ends_on == TODAY
    url = f"{API}/public/objections/"
    assert APIClient().post(url, objection_body(w), format="json").status_code == 201
    travel_to(dt.date(2026, 9, 2))
    late = APIClient().post(url, objection_body(w, name="李某某"), format="json")
    assert late.status_code == 400
    assert late.json()["rule"] == "R12.7"
    assert Objection.objects.count() == 1


def test_objection_before_the_publicity_starts_is_400_R12_7(w):
    in_publicity(w, dt.date(2026, 9, 5))
    response = APIClient().post(f"{API}/public/objections/", objection_body(w), format="json")
    assert response.status_code == 400
    assert response.json()["rule"] == "R12.7"


def test_objection_without_a_real_name_or_contact_is_400_R12_7(w):
    in_publicity(w, dt.date(2026, 8, 30))
    no_name = objection_body(w)
    del no_name["name"]
    cases = {
        "no name": (no_name, "name"),
        "null name": (objection_body(w, name=None), "name"),
        "blank name": (objection_body(w, name=""), "name"),
        "spaces": (objection_body(w, name="   "), "name"),
        "one character": (objection_body(w, name="王"), "name"),
        "blank phone": (objection_body(w, phone=""), "phone"),
        "words for phone": (objection_body(w, phone="call me"), "phone"),
        "short text": (objection_body(w, text="太差"), "text"),
        "no application": (objection_body(w, application="abc"), "application"),
    }
    url = f"{API}/public/objections/"
    assert refusals(APIClient(), "post", url, cases) == all_400(cases)
    assert not Objection.objects.exists()


def test_objection_on_an_application_not_in_publicity_is_400_R12_7(w):
    in_publicity(w, dt.date(2026, 8, 30))
    other = make_accepted(w.cycle, 1)[0]
    cases = {
        "unknown": (objection_body(w, application=999999), "rule"),
        "huge": (objection_body(w, application=HUGE), "rule"),
        "accepted": (objection_body(w, application=other.pk), "rule"),
    }
    url = f"{API}/public/objections/"
    assert refusals(APIClient(), "post", url, cases) == all_400(cases)
    assert not Objection.objects.exists()


def test_resolving_an_upheld_objection_withdraws_the_application(w):
    in_publicity(w, dt.date(2026, 8, 30))
    o = objection(w)
    url = f"{API}/objections/{o.pk}/resolve/"
    response = w.client("office").post(url, {"upheld": True, "reasons": "经查属实"}, format="json")
    assert response.status_code == 200
    assert w.refresh().status == S.WITHDRAWN
    assert response.json() == {"id": o.pk, "status": "upheld", "application_status": "withdrawn"}
    again = w.client("office").post(url, {"upheld": False, "reasons": "再议"}, format="json")
    assert again.status_code == 409


def test_bad_resolution_input_is_400(w):
    in_publicity(w, dt.date(2026, 8, 30))
    o = objection(w)
    cases = {
        "no reasons": ({"upheld": True}, "reasons"),
        "spaces": ({"upheld": True, "reasons": " "}, "reasons"),
        "maybe": ({"upheld": "maybe", "reasons": "x"}, "upheld"),
        "no finding": ({"reasons": "x"}, "upheld"),
    }
    url = f"{API}/objections/{o.pk}/resolve/"
    assert refusals(w.client("office"), "post", url, cases) == all_400(cases)
    o.refresh_from_db()
    assert o.status == "open"


def test_resolving_an_unknown_objection_is_404(w):
    response = w.client("office").post(
        f"{API}/objections/999999/resolve/", {"upheld": True, "reasons": "x"}, format="json"
    )
    assert response.status_code == 404


# --- the announcement (R12.8) -------------------------------------------------------------------


def test_announce_one_day_before_the_publicity_ends_is_409_R12_8(w, monkeypatch):
    in_publicity(w, dt.date(2026, 8, 27))  # 2026-08-27 .. 2026-09-02
    assert w.cycle.publicity_ends_on == dt.date(2026, 9, 2)
    url = f"{API}/cycles/{w.cycle.pk}/announce/"
    response = w.client("government").post(url)
    assert response.status_code == 409  # today 2026-09-01, the day before the end
    travel_to(dt.date(2026, 9, 2))
    assert w.client("government").post(url).status_code == 409  # the last day itself
    assert w.refresh().status == S.PUBLICITY
    assert not Award.objects.exists()
    travel_to(dt.date(2026, 9, 3))
    response = w.client("government").post(url)
    assert response.status_code == 200
    (award,) = response.json()["awards"]
    assert award["organisation"] == w.app.organisation.name
    assert award["valid_until"] == "2029-09-03"
    assert w.refresh().status == S.AWARDED
    assert w.client("government").post(url).status_code == 409  # announced already


def test_announce_while_an_objection_is_open_is_409_R12_8(w):
    in_publicity(w, dt.date(2026, 8, 20))
    ObjectionFactory(
        application=w.app, text="异议内容十个字以上的", name="王某", phone="13900001111"
    )
    response = w.client("government").post(f"{API}/cycles/{w.cycle.pk}/announce/")
    assert response.status_code == 409
    assert w.refresh().status == S.PUBLICITY


def test_announce_before_any_publicity_is_409_R12_8(w):
    set_status(w.app, S.PROPOSED)
    assert w.client("government").post(f"{API}/cycles/{w.cycle.pk}/announce/").status_code == 409


# --- no 500, whatever the body ---------------------------------------------------------------


# The authorised caller of every write, with bodies of the wrong shape. Every one of them is
# answered 400 (the endpoints without a body ignore it and answer as they would without).
WRONG_SHAPES = [[], [1, 2], "x", 42, None, True, {}, {"unexpected": {"nested": [1]}}]
NESTED = {
    "POST assignments": [
        {"expert": [1], "stage": "document"},
        {"expert": {"id": 1}, "stage": "document"},
        {"expert": "EXPERT", "stage": ["document"]},
        {"expert": "EXPERT", "stage": {"document": 1}},
    ],
    "PUT scores": [
        {"items": "x"},
        {"items": {"item": "4.1.2", "percent": 50}},
        {"items": [1, "a", None]},
        {"items": [[{"item": "4.1.2", "percent": 50}]]},
        {"items": [{"item": ["4.1.2"], "percent": 50}]},
        {"items": [{"item": {"code": "4.1.2"}, "percent": 50}]},
        {"items": [{"item": "4.1.2", "percent": 50, "strengths": ["好"]}]},
        {"items": [{"item": "4.1.2", "percent": 50, "improvements": {"a": 1}}]},
        {"items": [{"item": "4.1.2", "percent": 50, "strengths": "a\x00b"}]},
        {"items": [{"item": "4.1.2", "percent": HUGE}]},
    ],
    "PUT consensus": [
        {"stage": ["document"], "items": []},
        {"stage": "document", "items": "x"},
        {"stage": "document", "items": [[1]]},
        {"stage": "document", "items": [{"item": None, "percent": None}]},
    ],
    "POST shortlist": [
        {"applications": "x"},
        {"applications": {"a": 1}},
        {"applications": ["x"]},
        {"applications": [{"id": 1}]},
        {"applications": [None]},
    ],
    "POST survey": [
        {"responses": "x"},
        {"responses": {"score": 80}},
        {"responses": [[80, "customer"]]},
        {"responses": [{"score": [80], "respondent_kind": "customer"}]},
        {"responses": [{"score": 80, "respondent_kind": ["customer"]}]},
    ],
    "POST candidates": [
        {"applications": "x"},
        {"applications": [[1]]},
        {"applications": [HUGE]},
    ],
    "POST decision": [
        {"winners": "x", "rationale": "理由"},
        {"winners": [[1]], "rationale": "理由"},
        {"winners": [1], "rationale": {"a": 1}},
        {"winners": [1], "rationale": ["理由"]},
    ],
    "POST publicity": [
        {"starts_on": ["2026-09-01"]},
        {"starts_on": 20260901},
        {"starts_on": "2026-09-01", "days": "x"},
        {"starts_on": "2026-09-01", "days": HUGE},
        {"starts_on": "9999-99-99"},
    ],
    "POST public objections": [
        {
            "application": [1],
            "text": "内容足够长的一条异议",
            "name": "王某",
            "phone": "13900001111",
        },
        {"application": {"id": 1}, "text": "内容", "name": "王某", "phone": "13900001111"},
        {"application": "APP", "text": ["内容"], "name": "王某", "phone": "13900001111"},
        {"application": "APP", "text": "内容足够长的一条异议", "name": {"n": 1}, "phone": "1"},
        {"application": "APP", "text": "内容足够长的一条异议", "name": "王某", "phone": ["139"]},
    ],
    "POST resolve": [
        {"upheld": [True], "reasons": "x"},
        {"upheld": {"v": True}, "reasons": "x"},
        {"upheld": True, "reasons": ["x"]},
    ],
    "POST conflicts": [
        {"expert": "x", "reason": "理由"},
        {"expert": [1], "reason": "理由"},
        {"expert": {"id": 1}, "reason": "理由"},
        {"expert": "EXPERT", "reason": {"r": 1}},
    ],
}
AUTHORISED = {
    "POST assignments": "office",
    "PUT scores": "expert",
    "POST submit": "expert",
    "PUT consensus": "office",
    "POST shortlist": "office",
    "POST survey": "office",
    "POST candidates": "office",
    "POST decision": "committee",
    "POST publicity": "office",
    "POST public objections": "anonymous",
    "POST resolve": "office",
    "POST announce": "government",
    "POST conflicts": "office",
}


def _swap(w: World, body):
    if isinstance(body, dict):
        return {k: _swap(w, v) for k, v in body.items()}
    if isinstance(body, list):
        return [_swap(w, v) for v in body]
    return (
        {"EXPERT": w.expert.pk, "APP": w.app.pk}.get(body, body) if isinstance(body, str) else body
    )


@pytest.mark.parametrize("endpoint", AUTHORISED)
def test_no_endpoint_answers_500_to_bodies_of_the_wrong_shape(w, monkeypatch, endpoint):
    make, _ = MATRIX[endpoint]
    method, url, _ = make(w)
    client = w.client(AUTHORISED[endpoint])
    before = state(w)
    results = {}
    for body in [*WRONG_SHAPES, *NESTED.get(endpoint, [])]:
        body = _swap(w, body)
        cache.clear()  # the public objection throttle
        response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
        results[json.dumps(body, ensure_ascii=False)] = response.status_code
    for raw in ('{"items": [', "{'single': 'quotes'}", "\x00", "not json at all"):
        cache.clear()
        response = getattr(client, method)(url, raw, content_type="application/json")
        results[repr(raw)] = response.status_code
    if endpoint in ("POST submit", "POST announce"):
        # no body is read: the sheet is complete (200) / the publicity has ended (200) —
        # only the first call succeeds, every later one finds the new state (409)
        statuses = list(results.values())
        assert statuses == [200] + [409] * (len(statuses) - 1), results
        return
    assert results == {body: 400 for body in results}
    assert state(w) == before


def test_huge_ids_in_the_path_are_404(w):
    office = w.client("office")
    assert office.get(f"{API}/cycles/{HUGE}/ranking/").status_code == 404
    assert office.post(f"{API}/cycles/{HUGE}/shortlist/", {"applications": []}).status_code == 404
    assert office.get(f"{API}/applications/{HUGE}/feedback.pdf").status_code == 404
    assert (
        office.post(
            f"{API}/applications/{HUGE}/assignments/", {"expert": w.expert.pk, "stage": "document"}
        ).status_code
        == 404
    )
    assert office.post(f"{API}/objections/{HUGE}/resolve/", {"upheld": True}).status_code == 404
    assert (
        office.post(
            f"{API}/organisations/{HUGE}/conflicts/", {"expert": w.expert.pk, "reason": "x"}
        ).status_code
        == 404
    )


def test_missing_objects_are_404_for_their_rightful_callers(w):
    office = w.client("office")
    assert office.get(f"{API}/cycles/999999/ranking/").status_code == 404
    assert office.post(
        f"{API}/cycles/999999/publicity/", {"starts_on": "2026-09-01"}
    ).status_code == (404)
    assert w.client("government").post(f"{API}/cycles/999999/announce/").status_code == 404
    assert (
        w.client("committee")
        .post(f"{API}/cycles/999999/decision/", {"winners": [], "rationale": "x"})
        .status_code
        == 404
    )
    assert office.get(f"{API}/applications/999999/feedback.pdf").status_code == 404
    assert (
        office.post(
            f"{API}/applications/999999/survey/", {"responses": []}, format="json"
        ).status_code
        == 404
    )
