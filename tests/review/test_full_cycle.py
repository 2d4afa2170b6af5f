"""A cycle run from accepted applications to the public announcement, once through the API
and once through the pages (R12.4-R12.8, R7)."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from applications.enums import ApplicationStatus as S
from awards.models import Award, Certificate
from common.audit import verify_chain
from programmes.selectors import criteria_items
from tests.clock import travel_to
from tests.conftest import login_api
from tests.factories import IncidentFactory
from tests.review.conftest import make_accepted, sheet

pytestmark = pytest.mark.unit


def _fresh(user):
    return User.objects.get(pk=user.pk)  # roles and profile as the database has them now


def test_a_cycle_runs_to_the_announcement_through_the_api(
    review_cycle,
    experts,
    office,
    committee,
    government,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    a1, a2 = make_accepted(review_cycle, 2)
    office_api = login_api(office)
    # Document review: automatic assignment, 3 experts each, scores, submission.
    response = office_api.post(
        f"/api/v1/cycles/{review_cycle.pk}/auto-assign/", {"stage": "document"}, format="json"
    )
    assert response.status_code == 201
    assert len(response.json()) == 6
    percents = {a1.pk: 80, a2.pk: 50}
    for expert in experts:
        client = login_api(_fresh(expert))
        for row in client.get("/api/v1/assignments/").json()["results"]:
            body = {"items": sheet(review_cycle, percents[row["application"]])}
            assert (
                client.put(
                    f"/api/v1/assignments/{row['id']}/scores/", body, format="json"
                ).status_code
                == 200
            )
            assert client.post(f"/api/v1/assignments/{row['id']}/submit/").status_code == 200
    response = office_api.post(
        f"/api/v1/cycles/{review_cycle.pk}/shortlist/", {"applications": [a1.pk]}, format="json"
    )
    assert response.json() == {"onsite_review": [a1.pk], "not_shortlisted": [a2.pk]}
    # The applicant not shortlisted reads its feedback.
    owner = login_api(a2.organisation.users.first())
    assert owner.get(f"/api/v1/applications/{a2.pk}/feedback.pdf").status_code == 200
    # On-site review: a group of five with a leader, the leader's consensus, the survey.
    response = office_api.post(
        f"/api/v1/cycles/{review_cycle.pk}/auto-assign/", {"stage": "onsite"}, format="json"
    )
    group = response.json()
    assert len(group) == 5
    assert sum(1 for a in group if a["leader"]) == 1
    for row in group:
        expert = login_api(User.objects.get(pk=row["expert"]))
        expert.put(
            f"/api/v1/assignments/{row['id']}/scores/",
            {"items": sheet(review_cycle, 85)},
            format="json",
        )
        expert.post(f"/api/v1/assignments/{row['id']}/submit/")
    leader = login_api(User.objects.get(pk=next(a["expert"] for a in group if a["leader"])))
    items = [{"item": i.code, "percent": 85} for i in criteria_items(review_cycle.criteria_set_id)]
    assert (
        leader.put(
            f"/api/v1/applications/{a1.pk}/consensus/",
            {"stage": "onsite", "items": items},
            format="json",
        ).status_code
        == 200
    )
    assert (
        office_api.post(
            f"/api/v1/applications/{a1.pk}/survey/",
            {
                "responses": [
                    {"score": 90, "respondent_kind": "customer"},
                    {"score": 80, "respondent_kind": "user"},
                ]
            },
            format="json",
        ).status_code
        == 201
    )
    ranking = office_api.get(f"/api/v1/cycles/{review_cycle.pk}/ranking/").json()["results"]
    # 0.3 × 800 + 0.6 × 850 + 0.1 × 850 = 835
    assert [(r["application"], str(r["composite"])) for r in ranking] == [(a1.pk, "835.00")]
    assert (
        office_api.post(
            f"/api/v1/cycles/{review_cycle.pk}/candidates/",
            {"applications": [a1.pk]},
            format="json",
        ).status_code
        == 200
    )
    response = login_api(committee).post(
        f"/api/v1/cycles/{review_cycle.pk}/decision/",
        {"winners": [a1.pk], "rationale": "综合得分领先"},
        format="json",
    )
    assert response.json() == {"proposed": [a1.pk], "not_proposed": []}
    response = office_api.post(
        f"/api/v1/cycles/{review_cycle.pk}/publicity/", {"starts_on": "2026-09-01"}, format="json"
    )
    assert (response.json()["starts_on"], response.json()["ends_on"]) == (
        "2026-09-01",
        "2026-09-07",
    )
    public = APIClient()  # the public list needs no login
    assert [r["id"] for r in public.get("/api/v1/public/publicity/").json()["results"]] == [a1.pk]
    gov = login_api(government)
    assert gov.post(f"/api/v1/cycles/{review_cycle.pk}/announce/").status_code == 409
    travel_to(dt.date(2026, 9, 8))
    with django_capture_on_commit_callbacks(execute=True):
        response = gov.post(f"/api/v1/cycles/{review_cycle.pk}/announce/")
    assert response.status_code == 200
    award = Award.objects.get(application=a1)
    assert award.valid_until == dt.date(2029, 9, 8)
    assert Certificate.objects.get(award=award).pdf
    registry = public.get(f"/api/v1/awards/?uscc={a1.organisation.uscc}").json()["results"]
    assert [(r["status"], r["valid_until"]) for r in registry] == [("active", "2029-09-08")]
    verdict = public.get(f"/api/v1/public/verify/{award.code}/").json()
    assert verdict["valid"] is True
    assert verify_chain().ok


def test_a_cycle_runs_to_the_announcement_through_the_pages(
    client, review_cycle, experts, office, committee, government, monkeypatch
):
    (app,) = make_accepted(review_cycle, 1)
    client.force_login(office)
    client.post(f"/review/cycles/{review_cycle.pk}/auto-assign/document/")
    for expert in experts:
        client.force_login(_fresh(expert))
        for assignment in expert.assignments.filter(stage="document"):
            data = {f"p_{r['item']}": "80" for r in sheet(review_cycle, 80)} | {"confirm": "on"}
            response = client.post(f"/review/assignments/{assignment.pk}/submit/", data)
            assert response.status_code == 302
    client.force_login(office)
    client.post(f"/review/cycles/{review_cycle.pk}/shortlist/", {"applications": [app.pk]})
    app.refresh_from_db()
    assert app.status == S.ONSITE_REVIEW
    client.post(f"/review/cycles/{review_cycle.pk}/auto-assign/onsite/")
    client.post(f"/review/applications/{app.pk}/visit/", {"scheduled_on": "2026-09-01"})
    client.post(
        f"/review/applications/{app.pk}/survey/",
        {"lines": "90,customer\n80,user,很好"},
    )
    leader = None
    for assignment in app.assignments.filter(stage="onsite"):
        client.force_login(_fresh(assignment.expert))
        data = {f"p_{r['item']}": "85" for r in sheet(review_cycle, 85)} | {"confirm": "on"}
        client.post(f"/review/assignments/{assignment.pk}/submit/", data)
        leader = assignment if assignment.leader else leader
    client.force_login(_fresh(leader.expert))
    data = {f"p_{r['item']}": "85" for r in sheet(review_cycle, 85)} | {"confirm": "on"}
    client.post(f"/review/assignments/{leader.pk}/consensus/", data)
    client.force_login(office)
    page = client.get(f"/review/applications/{app.pk}/").content.decode()
    assert "835.00" in page  # 0.3 × 800 + 0.6 × 850 + 0.1 × 850
    client.post(f"/review/cycles/{review_cycle.pk}/candidates/", {"applications": [app.pk]})
    client.force_login(committee)
    client.post(
        f"/review/cycles/{review_cycle.pk}/decision/",
        {"winners": [app.pk], "rationale": "综合得分领先"},
    )
    client.force_login(office)
    client.post(f"/cycles/{review_cycle.pk}/publicity/", {"starts_on": "2026-09-01"})
    assert app.organisation.name in client.get("/publicity/").content.decode()
    travel_to(dt.date(2026, 9, 8))  # the day after the seven days of publicity
    client.force_login(government)
    client.post("/approvals/", {"cycle": review_cycle.pk})
    app.refresh_from_db()
    assert app.status == S.AWARDED
    assert app.organisation.name in client.get("/announcements/").content.decode()


def test_a_cycle_where_rules_bite_ends_without_a_winner_R11_R23_R5(
    review_cycle, experts, office, committee, programme
):
    """Issue 9, the whole-cycle test: an accident recorded between submission and the
    committee's decision removes that applicant; a conflicted leader's consensus stops
    counting; the committee leaves every place vacant and the cycle closes."""
    from applications.models import Application
    from programmes.enums import CycleStatus
    from review.models import ConsensusScore
    from tests.review.conftest import make_experts

    a1, a2 = make_accepted(review_cycle, 2)
    Application.objects.filter(pk__in=[a1.pk, a2.pk]).update(
        submitted_at=timezone.make_aware(dt.datetime(2026, 5, 20, 10)),
        last_submitted_at=timezone.make_aware(dt.datetime(2026, 5, 20, 10)),
    )
    office_api = login_api(office)
    url = f"/api/v1/cycles/{review_cycle.pk}"
    office_api.post(f"{url}/auto-assign/", {"stage": "document"}, format="json")
    for expert in experts:
        client = login_api(_fresh(expert))
        for row in client.get("/api/v1/assignments/").json()["results"]:
            client.put(
                f"/api/v1/assignments/{row['id']}/scores/",
                {"items": sheet(review_cycle, 80)},
                format="json",
            )
            client.post(f"/api/v1/assignments/{row['id']}/submit/")
    response = office_api.post(f"{url}/shortlist/", {"applications": [a1.pk, a2.pk]}, format="json")
    assert response.json() == {"onsite_review": [a1.pk, a2.pk], "not_shortlisted": []}
    make_experts(programme, 6)  # enough for two groups of five
    group = office_api.post(f"{url}/auto-assign/", {"stage": "onsite"}, format="json").json()
    items = [{"item": i.code, "percent": 85} for i in criteria_items(review_cycle.criteria_set_id)]
    for row in group:
        client = login_api(User.objects.get(pk=row["expert"]))
        client.put(
            f"/api/v1/assignments/{row['id']}/scores/",
            {"items": sheet(review_cycle, 85)},
            format="json",
        )
        assert client.post(f"/api/v1/assignments/{row['id']}/submit/").status_code == 200
    leader_row = next(r for r in group if r["leader"] and r["application"] == a1.pk)
    leader = User.objects.get(pk=leader_row["expert"])
    response = login_api(leader).put(
        f"/api/v1/applications/{a1.pk}/consensus/",
        {"stage": "onsite", "items": items},
        format="json",
    )
    assert response.status_code == 200
    # The office learns the leader had a conflict with a1: the consensus stops counting.
    response = office_api.post(
        f"/api/v1/organisations/{a1.organisation_id}/conflicts/",
        {"expert": leader.pk, "reason": "组长曾任该企业顾问"},
        format="json",
    )
    assert response.json()["scores_decision"] == "withdrawn"
    assert not ConsensusScore.objects.filter(application=a1, voided_at=None).exists()
    assert ConsensusScore.objects.filter(application=a1).count() == len(items)
    ranking = office_api.get(f"{url}/ranking/").json()["results"]
    row = next(r for r in ranking if r["application"] == a1.pk)
    assert (row["onsite"]["method"], len(row["onsite"]["experts"])) == ("mean", 4)
    # Without a full group the candidates wait (R12.5); a new leader completes it.
    for app in (a1, a2):
        office_api.post(
            f"/api/v1/applications/{app.pk}/survey/",
            {"responses": [{"score": 88, "respondent_kind": "customer"}]},
            format="json",
        )
    response = office_api.post(
        f"{url}/candidates/", {"applications": [a1.pk, a2.pk]}, format="json"
    )
    assert (response.status_code, response.json()["rule"]) == (400, "R12.5")
    spare = make_experts(programme, 1)[0]
    new = office_api.post(
        f"/api/v1/applications/{a1.pk}/assignments/",
        {"expert": spare.pk, "stage": "onsite", "leader": True},
        format="json",
    ).json()
    client = login_api(_fresh(spare))
    client.put(
        f"/api/v1/assignments/{new['id']}/scores/",
        {"items": sheet(review_cycle, 85)},
        format="json",
    )
    client.post(f"/api/v1/assignments/{new['id']}/submit/")
    response = office_api.post(
        f"{url}/candidates/", {"applications": [a1.pk, a2.pk]}, format="json"
    )
    assert response.status_code == 200
    # A major accident at a2, after its submission, before the decision.
    travel_to(dt.date(2026, 9, 10))
    IncidentFactory(
        organisation=a2.organisation,
        kind="safety_accident",
        occurred_on=dt.date(2026, 9, 5),
        description="重大安全事故",
        status="verified",
    )
    committee_api = login_api(committee)
    response = committee_api.post(
        f"{url}/decision/", {"winners": [a2.pk], "rationale": "x"}, format="json"
    )
    assert (response.status_code, response.json()["rule"]) == (400, "R11.6")
    response = office_api.post(
        f"/api/v1/applications/{a2.pk}/eligibility/",
        {"decision": "reject", "reasons": "R11.6：2026年9月5日发生重大安全事故"},
        format="json",
    )
    assert response.json()["status"] == "ineligible"
    # The committee leaves every place vacant: the cycle closes, every application has ended.
    response = committee_api.post(
        f"{url}/decision/",
        {"winners": [], "rationale": "综合评价未达到本奖项的水平，本年度空缺"},
        format="json",
    )
    assert response.json() == {"proposed": [], "not_proposed": [a1.pk]}
    review_cycle.refresh_from_db()
    assert review_cycle.status == CycleStatus.CLOSED
    assert dict(Application.objects.filter(cycle=review_cycle).values_list("pk", "status")) == {
        a1.pk: S.NOT_PROPOSED,
        a2.pk: S.INELIGIBLE,
    }
    assert verify_chain().ok
