"""Review pages for each role: the office runs the cycle, experts score, the committee decides
in the admin, the government announces, the public objects and answers surveys."""

import datetime as dt

import pytest

from applications.enums import ApplicationStatus as S
from review.enums import Stage
from review.models import SurveyResponse
from review.services.assignment import assign_expert
from review.services.onsite import issue_survey_tokens
from review.services.scoring import save_scores, submit_scores
from tests.clock import travel_to
from tests.factories import ProgrammeFactory, staff_user
from tests.review.conftest import make_accepted, proposed_by_committee, sheet

pytestmark = pytest.mark.unit


@pytest.fixture
def scored(review_cycle, experts, office):
    (app,) = make_accepted(review_cycle, 1)
    for expert in experts[:3]:
        a = assign_expert(application=app, expert=expert, stage=Stage.DOCUMENT, actor=office)
        save_scores(assignment=a, items=sheet(review_cycle, 70), expert=expert)
        submit_scores(assignment=a, expert=expert)
    app.refresh_from_db()
    return app


@pytest.mark.parametrize("role", ["office", "committee", "supervisor", "government"])
def test_dashboard_cycle_and_application_pages_for_overseers(client, scored, programme, role):
    client.force_login(staff_user(role, programme=programme))
    page = client.get(f"/review/?cycle={scored.cycle_id}")
    assert page.status_code == 200
    assert "八个步骤的申报数" in page.content.decode()
    assert client.get(f"/review/cycles/{scored.cycle_id}/").status_code == 200
    page = client.get(f"/review/applications/{scored.pk}/")
    assert page.status_code == 200
    assert "700.00" in page.content.decode()


@pytest.mark.parametrize("role", ["office", "committee", "supervisor"])
def test_ranking_and_xlsx_for_office_committee_supervisor(client, scored, programme, role):
    client.force_login(staff_user(role, programme=programme))
    assert client.get(f"/review/cycles/{scored.cycle_id}/ranking/").status_code == 200
    response = client.get(f"/review/cycles/{scored.cycle_id}/ranking.xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


@pytest.mark.parametrize("role", ["expert", "recommender"])
def test_review_pages_refused_to_other_staff(client, scored, programme, role):
    client.force_login(staff_user(role, programme=programme))
    assert client.get("/review/").status_code == 403
    assert client.get(f"/review/cycles/{scored.cycle_id}/").status_code == 403
    assert client.get(f"/review/cycles/{scored.cycle_id}/ranking/").status_code == 403


def test_review_pages_hidden_from_other_programmes_and_enterprises(client, scored, enterprise_user):
    other = staff_user("office", programme=ProgrammeFactory(code="city"))
    client.force_login(other)
    assert client.get(f"/review/cycles/{scored.cycle_id}/").status_code == 404
    assert client.get(f"/review/applications/{scored.pk}/").status_code == 404
    client.force_login(enterprise_user)
    assert client.get(f"/review/applications/{scored.pk}/").status_code == 404


def test_supervisor_reads_but_cannot_act(client, scored, programme):
    client.force_login(staff_user("supervisor", programme=programme))
    response = client.post(f"/review/cycles/{scored.cycle_id}/auto-assign/document/")
    assert response.status_code == 403


def test_expert_scores_through_the_page(client, review_cycle, experts, office):
    (app,) = make_accepted(review_cycle, 1)
    assignment = assign_expert(
        application=app, expert=experts[0], stage=Stage.DOCUMENT, actor=office
    )
    client.force_login(experts[0])
    assert client.get("/review/assignments/").status_code == 200
    page = client.get(f"/review/assignments/{assignment.pk}/")
    assert page.status_code == 200
    data = {f"p_{row['item']}": "65" for row in sheet(review_cycle, 65)}
    data.update({f"s_{row['item']}": "优势" for row in sheet(review_cycle, 65)})
    response = client.post(f"/review/assignments/{assignment.pk}/", data, HTTP_X_AUTOSAVE="1")
    assert response.status_code == 200
    unconfirmed = client.post(f"/review/assignments/{assignment.pk}/submit/", data)
    assert unconfirmed.status_code == 400  # submitting is final: asked first, without JS too
    assert "请先勾选确认" in unconfirmed.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "assigned"
    response = client.post(
        f"/review/assignments/{assignment.pk}/submit/", {**data, "confirm": "on"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == "submitted"
    assert assignment.scores.count() == 23


def test_the_scoring_page_shows_the_running_total_and_what_is_still_missing(
    client, review_cycle, experts, office
):
    (app,) = make_accepted(review_cycle, 1)
    assignment = assign_expert(
        application=app, expert=experts[0], stage=Stage.DOCUMENT, actor=office
    )
    client.force_login(experts[0])
    rows = sheet(review_cycle, 50)
    data = {f"p_{row['item']}": "50" for row in rows[:-2]}
    assert client.post(f"/review/assignments/{assignment.pk}/", data).status_code == 302
    page = client.get(f"/review/assignments/{assignment.pk}/")
    html = page.content.decode()
    assert page.context["scored"] == len(rows) - 2
    assert [i.code for i in page.context["missing"]] == [r["item"] for r in rows[-2:]]
    assert f'href="#id_p_{rows[-1]["item"]}"' in html
    assert 'name="confirm"' in html
    assert page.context["total"] == sum(i.points_for(50) for i in page.context["form"].items[:-2])


def test_expert_without_pledge_sees_no_material(client, review_cycle, programme, office):
    from tests.review.conftest import make_experts

    (expert,) = make_experts(programme, 1, pledge=False)
    (app,) = make_accepted(review_cycle, 1)
    assignment = assign_expert(application=app, expert=expert, stage=Stage.DOCUMENT, actor=office)
    client.force_login(expert)
    assert "签署保密承诺" in client.get("/review/assignments/").content.decode()
    assert client.get(f"/review/assignments/{assignment.pk}/").status_code == 404
    assert client.get(f"/applications/{app.pk}/").status_code == 404
    client.post("/review/assignments/", {"pledge": "yes"})
    assert client.get(f"/review/assignments/{assignment.pk}/").status_code == 200
    assert client.get(f"/applications/{app.pk}/").status_code == 200


def test_conflicted_expert_loses_access_after_assignment(client, review_cycle, experts, office):
    from review.services.experts import declare_conflict

    (app,) = make_accepted(review_cycle, 1)
    assignment = assign_expert(
        application=app, expert=experts[0], stage=Stage.DOCUMENT, actor=office
    )
    client.force_login(experts[0])
    assert client.get(f"/review/assignments/{assignment.pk}/").status_code == 200
    declare_conflict(
        expert=experts[0], organisation=app.organisation, reason="亲属任职", actor=experts[0]
    )
    assert client.get(f"/review/assignments/{assignment.pk}/").status_code == 404
    assert client.get(f"/applications/{app.pk}/").status_code == 404


def test_public_survey_link_is_single_use(client, review_cycle, office):
    (app,) = make_accepted(review_cycle, 1)
    app.status = S.ONSITE_REVIEW
    app.save()
    (token,) = issue_survey_tokens(application=app, count=1, actor=office)
    assert client.get(f"/survey/{token.token}/").status_code == 200
    response = client.post(
        f"/survey/{token.token}/", {"score": "88", "respondent_kind": "customer"}
    )
    assert "感谢您的参与" in response.content.decode()
    response = client.post(
        f"/survey/{token.token}/", {"score": "10", "respondent_kind": "customer"}
    )
    assert response.status_code == 400
    assert list(SurveyResponse.objects.values_list("score", flat=True)) == [88]
    assert client.get("/survey/not-a-token/").status_code == 404


def test_public_publicity_and_objection_pages(client, review_cycle, office):
    from awards.models import Objection
    from awards.services.publicity import start_publicity

    (app,) = make_accepted(review_cycle, 1)
    proposed_by_committee(review_cycle, [app], dt.date(2026, 8, 31))
    start_publicity(cycle=review_cycle, starts_on=dt.date(2026, 9, 1), actor=office)
    page = client.get("/publicity/").content.decode()
    assert app.organisation.name in page
    response = client.post(
        f"/publicity/{app.pk}/objection/",
        {"text": "申报材料中的专利数量与事实不符", "name": "王某", "phone": "13900001111"},
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert "13900001111" not in client.get("/publicity/").content.decode()
    assert objection.phone == "13900001111"
    response = client.post(
        f"/publicity/{app.pk}/objection/", {"text": "短", "name": "", "phone": "x"}
    )
    assert response.status_code == 400


def test_committee_decides_on_its_page_and_quota_is_enforced_R7(
    client, review_cycle, committee, office
):
    apps = make_accepted(review_cycle, 4)
    for app in apps:
        app.status = S.CANDIDATE
        app.save()
    client.force_login(committee)
    url = f"/review/cycles/{review_cycle.pk}/decision/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"winners": [a.pk for a in apps], "rationale": "全部"}, follow=True)
    assert "R7" in response.content.decode()
    response = client.post(url, {"winners": [apps[0].pk], "rationale": "综合得分第一"})
    assert response.status_code == 302
    apps[0].refresh_from_db()
    assert apps[0].status == S.PROPOSED
    client.force_login(office)
    assert client.post(url, {"winners": [apps[1].pk], "rationale": "x"}).status_code == 403


def test_government_announces_from_its_page(client, review_cycle, government, office, monkeypatch):
    from awards.services.publicity import start_publicity

    (app,) = make_accepted(review_cycle, 1)
    proposed_by_committee(review_cycle, [app], dt.date(2026, 8, 19))
    start_publicity(cycle=review_cycle, starts_on=dt.date(2026, 8, 20), actor=office)
    client.force_login(government)
    assert "同意并公告" in client.get("/approvals/").content.decode()
    travel_to(dt.date(2026, 9, 1))
    response = client.post("/approvals/", {"cycle": review_cycle.pk}, follow=True)
    assert "已批准公告" in response.content.decode()
    app.refresh_from_db()
    assert app.status == S.AWARDED
    client.force_login(office)
    assert client.get("/approvals/").status_code == 403
