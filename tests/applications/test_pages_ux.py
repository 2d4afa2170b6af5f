"""Issue 11 on the intake pages: what the enterprise and the office see and can do."""

import pytest
from django.test import Client

from accounts.models import User
from applications.models import ApplicationVersion

pytestmark = pytest.mark.unit


def test_the_demos_own_applications_have_their_pdf(db, django_capture_on_commit_callbacks):
    from demo.world import load_demo

    with django_capture_on_commit_callbacks(execute=True):
        load_demo(stage="apply")
    versions = ApplicationVersion.objects.select_related("application__organisation")
    assert versions.count() == 3
    assert all(v.pdf for v in versions)
    version = versions.get(application__organisation__users__username="greenmilk")
    client = Client()
    client.force_login(User.objects.get(username="greenmilk"))
    page = client.get(f"/applications/{version.application_id}/").content.decode()
    assert "PDF生成中" not in page
    assert "申报表PDF（第1版）" in page
    response = client.get(f"/applications/{version.application_id}/versions/1/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the submit page -----------------------------------------------------------------------


def test_a_submitted_applications_submit_page_shows_its_state_not_the_button(submitted, applicant):
    page = _client(applicant).get(f"/applications/{submitted.pk}/submit/").content.decode()
    assert "确认提交" not in page
    assert "当前状态为“已提交”，不能再次提交" in page
    assert f'href="/applications/{submitted.pk}/"' in page
    assert "返回申报页面" in page


def test_a_complete_draft_is_offered_the_submit_with_todays_checks(complete_draft, applicant):
    page = _client(applicant).get(f"/applications/{complete_draft.pk}/submit/").content.decode()
    assert "确认提交" in page
    assert "申报条件自动核查（按今天的数据）" in page
    assert "R11.5 质量信用等级" in page
    assert "各项自动核查目前均已通过" in page
    assert "怎么办" not in page  # nothing to do when all pass


def test_before_submitting_a_missing_grade_is_shown_with_what_to_do_R11_5(
    complete_draft, applicant
):
    from organisations.models import CreditRating

    CreditRating.objects.filter(organisation=complete_draft.organisation).delete()
    page = _client(applicant).get(f"/applications/{complete_draft.pk}/submit/").content.decode()
    assert "以下条件目前未通过" in page
    assert "没有质量信用评定记录" in page
    assert "怎么办：质量信用等级由评审委员会办公室" in page
    # The enterprise is not sent to a page it cannot change.
    assert "前往组织页面" not in page


def test_after_submitting_the_enterprise_reads_what_to_do_about_a_failed_check_R11_6(
    submitted, applicant, office
):
    import datetime as dt

    from organisations.services import record_incident

    record_incident(
        organisation=submitted.organisation,
        kind="quality_accident",
        occurred_on=dt.date(2025, 3, 1),
        description="批次产品不合格",
        actor=office,
    )
    page = _client(applicant).get(f"/applications/{submitted.pk}/").content.decode()
    assert "怎么办：近年有重大事故" in page


# --- the office's refusal (R11.5) -----------------------------------------------------------


def test_the_refusal_for_a_missing_grade_names_R11_5_once_and_where_to_enter_it_R11_5(
    recommended, office
):
    from organisations.models import CreditRating

    CreditRating.objects.filter(organisation=recommended.organisation).delete()
    client = _client(office)
    response = client.post(f"/applications/{recommended.pk}/eligibility/", {"decision": "accept"})
    assert response.status_code == 302
    [message] = _messages(response)
    assert message.count("R11.5") == 1
    assert "组织页面的“质量信用等级”中录入" in message
    org_url = f"/organisations/{recommended.organisation_id}/"
    assert f'href="{org_url}"' in message
    page = client.get(response["Location"]).content.decode()
    # Shown as a link, not as escaped HTML; and beside the failing check on the page.
    assert f'<a href="{org_url}">前往组织页面</a>' in page
    assert "&lt;a href" not in page
    recommended.refresh_from_db()
    assert recommended.status == "recommended"


def test_good_news_is_not_shown_as_an_error(recommended, office, applicant):
    """The reasons "资格审查通过，正式受理" were shown in a red error box once the review began."""
    import re

    from applications.enums import ApplicationStatus as S
    from applications.services.intake import decide_eligibility

    decide_eligibility(
        application=recommended,
        decision="accept",
        reasons="资格审查通过，正式受理",
        actor=office,
    )
    Application = type(recommended)
    for status in (S.ACCEPTED, S.DOCUMENT_REVIEW):
        Application.objects.filter(pk=recommended.pk).update(status=status)
        page = _client(applicant).get(f"/applications/{recommended.pk}/").content.decode()
        box = re.search(r'<div class="([^"]*)"[^>]*><p><strong>审查意见：', page)
        assert box is not None and box.group(1) == "msg success", status


# --- words people should never see ---------------------------------------------------------


def test_the_history_names_people_and_roles_in_words(recommended, office, applicant):
    import re

    applicant.name = "王质量"
    applicant.save()
    office.name = "李主任"
    office.save()
    page = _client(office).get(f"/applications/{recommended.pk}/").content.decode()
    history = page[page.index("处理记录") :]
    assert "王质量（申报单位）" in history
    assert "（推荐单位）</td><td>已提交 → 已推荐" in history
    assert "greenmilk" not in history
    assert not re.search(r"[a-z_0-9]+（[a-z_,]+）", page)
    assert not re.search(r"→ [a-z_]+", page)


def test_indicator_money_has_thousands_separators(submitted, office):
    page = _client(office).get(f"/applications/{submitted.pk}/").content.decode()
    assert "125,000,000.00" in page and "-1,000,000.50" in page
    assert "125000000" not in page


def test_a_demo_loaded_without_pdfs_gets_them_when_loaded_again(
    db, django_capture_on_commit_callbacks
):
    from common.models import OutboxMessage
    from demo.world import load_demo

    with django_capture_on_commit_callbacks(execute=False):
        load_demo(stage="apply")  # as an older demo: the versions, no PDF, nothing queued
    OutboxMessage.objects.filter(task="applications.render_submission_pdf").delete()
    assert not any(v.pdf for v in ApplicationVersion.objects.all())
    with django_capture_on_commit_callbacks(execute=True):
        result = load_demo(stage="apply")
    assert result.created is False
    assert all(v.pdf for v in ApplicationVersion.objects.all())
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(stage="apply")  # nothing more to queue
    assert OutboxMessage.objects.filter(task="applications.render_submission_pdf").count() == 3
