"""Issue 11 on the review pages: what the office and the enterprise read and keep."""

import html as htmllib

import pytest

from applications.enums import ApplicationStatus as S
from review.models import SurveyResponse
from tests.review.conftest import make_accepted, set_status

pytestmark = pytest.mark.unit


@pytest.fixture
def onsite_app(review_cycle):
    (app,) = make_accepted(review_cycle, 1)
    set_status(app, S.ONSITE_REVIEW)
    return app


def _post_survey(client, app, lines: str):
    return client.post(f"/review/applications/{app.pk}/survey/", {"lines": lines})


def test_bulk_survey_accepts_the_chinese_words_for_respondents_R12_5(client, onsite_app, office):
    client.force_login(office)
    lines = "95,顾客,服务周到\n88，用户\n\n70,群众,一般\n60,合作方\n90,其他\n80,customer"
    response = _post_survey(client, onsite_app, lines)
    assert response.status_code == 302
    kinds = sorted(SurveyResponse.objects.values_list("respondent_kind", flat=True))
    assert kinds == sorted(["customer", "user", "public", "partner", "other", "customer"])
    page = client.get(response["Location"]).content.decode()
    assert "已录入6份测评结果" in page


def test_bulk_survey_keeps_the_text_and_lists_every_bad_line_R12_5(client, onsite_app, office):
    client.force_login(office)
    lines = "95,顾客\n120,用户\n88,路人\n\n八十,顾客\n只写一个词"
    response = _post_survey(client, onsite_app, lines)
    assert response.status_code == 400
    page = htmllib.unescape(response.content.decode())
    # What was typed is still in the box.
    assert "88,路人" in page and "只写一个词" in page
    # Every bad line, each with its own number; the good line 1 is not named.
    for n in (2, 3, 5, 6):
        assert f"第{n}行" in page
    assert "第1行" not in page and "第4行" not in page
    assert "收到120" in page
    assert "“路人”无法识别" in page and "顾客（customer）" in page
    assert SurveyResponse.objects.count() == 0


def test_bulk_survey_help_names_the_chinese_words(client, onsite_app, office):
    client.force_login(office)
    page = client.get(f"/review/applications/{onsite_app.pk}/").content.decode()
    assert "顾客、用户、群众、合作方或其他" in page
    assert "customer/user" not in page


def test_the_api_reports_every_bad_survey_row_R12_5(onsite_app, office):
    from common.exceptions import ApplicationError
    from review.services.onsite import record_survey

    with pytest.raises(ApplicationError) as exc:
        record_survey(
            application=onsite_app,
            responses=[
                {"score": 90, "respondent_kind": "顾客"},
                {"score": 101, "respondent_kind": "user"},
                {"score": 50, "respondent_kind": "nobody"},
            ],
            actor=office,
        )
    assert "第2条" in exc.value.message and "第3条" in exc.value.message
    assert "第1条" not in exc.value.message


# --- the feedback report (R12.4) ---------------------------------------------------------------

FEEDBACK_LINK = "资料评审反馈报告（PDF）"


def _document_scored(w):
    from review.enums import Stage
    from tests.review.conftest import scored_sheet

    set_status(w.app, S.DOCUMENT_REVIEW)
    for expert in w.pool[:3]:
        scored_sheet(w.app, expert, Stage.DOCUMENT, 70, text=True)


def _page_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["owner", "office", "committee", "supervisor"])
def test_no_feedback_report_nor_link_before_the_document_stage_ends_R12_4(w, role):
    client = _page_client(w.user(role))
    report = f"/review/applications/{w.app.pk}/feedback.pdf"
    for status in (S.ACCEPTED, S.DOCUMENT_REVIEW):
        if status == S.DOCUMENT_REVIEW:
            _document_scored(w)
        page = client.get(f"/applications/{w.app.pk}/").content.decode()
        assert FEEDBACK_LINK not in page, status
        assert client.get(report).status_code == 404, status
        if role != "owner":
            review = client.get(f"/review/applications/{w.app.pk}/").content.decode()
            assert FEEDBACK_LINK not in review, status


@pytest.mark.parametrize("role", ["owner", "office", "committee", "supervisor"])
def test_the_feedback_report_and_its_link_once_the_document_stage_ended_R12_4(w, role):
    from review.services.decisions import shortlist

    _document_scored(w)
    shortlist(cycle=w.cycle, application_ids=[], actor=w.office)  # → not_shortlisted
    client = _page_client(w.user(role))
    page = client.get(f"/applications/{w.app.pk}/").content.decode()
    assert FEEDBACK_LINK in page
    response = client.get(f"/review/applications/{w.app.pk}/feedback.pdf")
    assert response.status_code == 200
    assert response.content[:5] == b"%PDF-"


def test_feedback_stays_refused_to_roles_without_it_R12_4(w):
    from review.services.decisions import shortlist

    _document_scored(w)
    shortlist(cycle=w.cycle, application_ids=[], actor=w.office)
    response = _page_client(w.government).get(f"/review/applications/{w.app.pk}/feedback.pdf")
    assert response.status_code == 403
