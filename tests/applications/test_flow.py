"""The whole intake through the services: draft → submitted → recommended → accepted."""

import datetime as dt

import pytest
from django.core import mail

from applications.enums import ApplicationStatus as S
from applications.models import ApplicationVersion
from applications.services.intake import decide_eligibility
from common.audit import verify_chain
from common.exceptions import ApplicationError, StateConflict
from common.models import AuditEntry
from notifications.models import Notification
from tests.clock import travel_to

pytestmark = pytest.mark.unit


def test_submission_freezes_a_version_with_a_real_pdf_R12_1(
    complete_draft, applicant, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    from applications.services.submission import submit_application

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submitted = submit_application(application=complete_draft, actor=applicant)
    assert len(callbacks) >= 2  # the PDF and the e-mails are queued after commit
    assert submitted.status == S.SUBMITTED
    version = ApplicationVersion.objects.get(application=submitted)
    assert version.number == 1
    assert version.content["contact_phone"] == "13904771234"
    assert version.pdf
    with version.pdf.open("rb") as f:
        text = "".join(p.extract_text() for p in PdfReader(f).pages)
    assert "绿原乳业有限公司" in text
    assert "申报表" in text
    assert len(version.pdf_sha256) == 64


def test_submission_notifies_applicant_and_recommenders(
    industry, complete_draft, applicant, django_capture_on_commit_callbacks
):
    from applications.services.submission import submit_application

    with django_capture_on_commit_callbacks(execute=True):
        submit_application(application=complete_draft, actor=applicant)
    subjects = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"greenmilk", "industry"} <= subjects
    assert any("已提交" in m.subject for m in mail.outbox if "greenmilk@example.com" in m.to)


def test_submitted_content_is_frozen(submitted, applicant):
    from applications.services.drafting import save_form

    with pytest.raises(StateConflict):
        save_form(application=submitted, data={"summary": "x" * 60}, actor=applicant)


def test_double_submission_is_a_conflict(submitted, applicant):
    from applications.services.submission import submit_application

    with pytest.raises(StateConflict):
        submit_application(application=submitted, actor=applicant)
    assert ApplicationVersion.objects.filter(application=submitted).count() == 1


def test_both_recommendations_make_it_recommended_R12_2(recommended):
    assert recommended.status == S.RECOMMENDED
    assert recommended.recommendations.count() == 2


def test_a_decline_makes_it_declined_R12_2(submitted, industry):
    from applications.services.recommendation import recommend_application

    recommend_application(
        application=submitted,
        level="industry",
        decision="decline",
        opinion="近两年指标不突出",
        actor=industry,
    )
    submitted.refresh_from_db()
    assert submitted.status == S.DECLINED


def test_recommender_signs_only_at_own_level_R12_2(submitted, industry):
    from applications.services.recommendation import recommend_application

    with pytest.raises(ApplicationError, match="推荐层级"):
        recommend_application(
            application=submitted,
            level="leading_group",
            decision="recommend",
            opinion="同意",
            actor=industry,
        )


def test_recommendation_after_the_deadline_is_refused_R12_2(submitted, industry, monkeypatch):

    from applications.services.recommendation import recommend_application

    travel_to(dt.date(2026, 7, 1))
    with pytest.raises(ApplicationError) as excinfo:
        recommend_application(
            application=submitted,
            level="industry",
            decision="recommend",
            opinion="同意",
            actor=industry,
        )
    assert excinfo.value.rule == "R12.2"


def test_same_level_twice_is_a_conflict(submitted, industry):
    from applications.services.recommendation import recommend_application

    recommend_application(
        application=submitted,
        level="industry",
        decision="recommend",
        opinion="同意",
        actor=industry,
    )
    with pytest.raises(StateConflict):
        recommend_application(
            application=submitted,
            level="industry",
            decision="recommend",
            opinion="同意",
            actor=industry,
        )


def test_office_accepts_R12_3(recommended, office):
    decide_eligibility(application=recommended, decision="accept", reasons="", actor=office)
    assert recommended.status == S.ACCEPTED
    entry = AuditEntry.objects.for_object(recommended).filter(to_state=S.ACCEPTED).get()
    assert entry.actor == office
    assert entry.from_state == S.RECOMMENDED
    assert {c["rule"] for c in entry.data["checks"]} == {
        "R3",
        "R11.1",
        "R11.5",
        "R11.6",
        "R21",
        "R6",
    }
    assert verify_chain().ok


def test_office_cannot_accept_while_a_check_fails_R11_5(recommended, office, organisation):
    from organisations.services import set_credit_grade

    set_credit_grade(
        organisation=organisation,
        grade="B",
        source="复评",
        rated_on=dt.date(2026, 5, 1),
        actor=office,
    )
    with pytest.raises(ApplicationError) as excinfo:
        decide_eligibility(application=recommended, decision="accept", reasons="", actor=office)
    assert excinfo.value.rule == "R11.5"
    recommended.refresh_from_db()
    assert recommended.status == S.RECOMMENDED


def test_office_rejects_with_reasons_shown_to_applicant(recommended, office):
    with pytest.raises(ApplicationError):
        decide_eligibility(application=recommended, decision="reject", reasons="", actor=office)
    decide_eligibility(
        application=recommended,
        decision="reject",
        reasons="近两年主要指标未达到领先水平（R11.3）",
        actor=office,
    )
    assert recommended.status == S.INELIGIBLE
    assert recommended.decision_reasons == "近两年主要指标未达到领先水平（R11.3）"
    note = Notification.objects.filter(recipient__username="greenmilk").first()
    assert "R11.3" in note.body


def test_return_then_correct_then_resubmit_keeps_the_old_version(recommended, office, applicant):
    from applications.services.drafting import save_form
    from applications.services.submission import submit_application

    decide_eligibility(
        application=recommended, decision="return", reasons="请补充管理体系证书扫描件", actor=office
    )
    assert recommended.status == S.RETURNED
    assert recommended.correction_due == dt.date(2026, 7, 11)  # 10 days from the decision
    save_form(application=recommended, data={"brand": "补充后的品牌说明"}, actor=applicant)
    submit_application(application=recommended, actor=applicant)
    recommended.refresh_from_db()
    # The recommendations stand: the corrected application is back with the office.
    assert recommended.status == S.RECOMMENDED
    versions = list(ApplicationVersion.objects.filter(application=recommended).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].content["brand"] != versions[1].content["brand"]


def test_withdraw_before_acceptance_only(submitted, applicant, office, industry, leading):
    from applications.services.submission import withdraw_application

    withdraw_application(application=submitted, actor=applicant, reason="")
    assert submitted.status == S.WITHDRAWN


def test_withdraw_after_acceptance_is_refused(recommended, applicant, office):
    from applications.services.submission import withdraw_application

    decide_eligibility(application=recommended, decision="accept", reasons="", actor=office)
    with pytest.raises(StateConflict):
        withdraw_application(application=recommended, actor=applicant)


def test_incomplete_submission_lists_what_is_missing_R12_1(draft, applicant):
    from applications.services.submission import submit_application

    with pytest.raises(ApplicationError) as excinfo:
        submit_application(application=draft, actor=applicant)
    assert "申报单位简介至少50字" in excinfo.value.message
    assert "至少上传一份实证材料" in excinfo.value.message
    assert draft.status == S.DRAFT


def test_submission_after_the_deadline_is_refused_R12_1(complete_draft, applicant, monkeypatch):

    from applications.services.submission import submit_application

    travel_to(dt.date(2026, 6, 1))
    with pytest.raises(ApplicationError, match="已过提交期限"):
        submit_application(application=complete_draft, actor=applicant)
