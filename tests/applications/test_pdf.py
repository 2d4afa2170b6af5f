"""The application form as a PDF (issue 11): the submitted record ends with the integrity pledge
(R20, R21) and the paper form's seal and signature blocks; the applicant previews the draft, as
the same template watermarked "预览 · 未提交", before submitting (R12.1)."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from applications.services.submission import render_version_pdf
from tests.factories import EnterpriseUserFactory, OrganisationFactory

pytestmark = pytest.mark.integration

SIGNING_LABELS = ("申报单位（盖章）", "法定代表人（签字）", "日期", "推荐单位意见（盖章）")


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_submitted_pdf_ends_with_the_pledge_and_seal_blocks_R20_R21(submitted):
    version = render_version_pdf(version_id=submitted.versions.get().pk)
    with version.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    organisation = submitted.organisation
    pledge = text[text.index("诚信承诺书") :]
    assert "真实、准确、完整" in pledge
    assert "R20" in pledge
    assert "R21" in pledge
    assert "3年内不得参加评审" in pledge  # the cycle's ban_years (R21)
    assert organisation.name in pledge
    assert organisation.uscc in pledge
    assert "提交日期：2026年5月20日" in pledge
    for label in SIGNING_LABELS:
        assert label in pledge, label
    assert "预览" not in text


def test_preview_pdf_is_the_draft_watermarked_and_private(applicant, complete_draft):
    response = client_for(applicant).get(f"/applications/{complete_draft.pk}/preview/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    assert "预览 · 未提交" in text
    assert "00123Q45678" in text  # the draft's management system certificate
    assert "张经理" in text
    assert "诚信承诺书" in text
    assert complete_draft.organisation.uscc in text
    assert "（未提交）" in text
    assert not complete_draft.versions.exists()  # a preview stores nothing


def test_preview_of_a_brand_new_empty_draft_renders(applicant, draft):
    client = client_for(applicant)
    response = client.get(f"/applications/{draft.pk}/preview/pdf/")
    assert response.status_code == 200
    assert "诚信承诺书" in pdf_text(response.content)
    page = client.get(f"/applications/{draft.pk}/submit/")
    assert page.status_code == 200
    assert "尚未填写" in page.content.decode()


def test_preview_of_a_returned_application_is_open_to_its_owner(applicant, recommended, office):
    from applications.services.intake import decide_eligibility

    decide_eligibility(
        application=recommended,
        actor=office,
        decision="return",
        reasons="请补充管理体系证书",
        correction_due=None,
    )
    response = client_for(applicant).get(f"/applications/{recommended.pk}/preview/pdf/")
    assert response.status_code == 200


def test_submit_page_previews_the_whole_form_before_submitting(applicant, complete_draft):
    page = client_for(applicant).get(f"/applications/{complete_draft.pk}/submit/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'href="/applications/{complete_draft.pk}/preview/pdf/"' in html
    assert "预览申报书（PDF）" in html
    preview = html[html.index('id="preview"') :]
    for shown in ("绿原乳业成立于2012年", "125,000,000.00", "00123Q45678", "中国质量认证中心"):
        assert shown in preview, shown
    assert "近两年研发投入" in preview
    assert "证书.pdf" in preview
    assert "合计（满分" in preview
    assert "确认提交" in html


def test_preview_is_404_to_another_organisation(complete_draft):
    other = EnterpriseUserFactory(organisation=OrganisationFactory())
    response = client_for(other).get(f"/applications/{complete_draft.pk}/preview/pdf/")
    assert response.status_code == 404


def test_detail_page_of_a_draft_links_its_preview(applicant, draft):
    page = client_for(applicant).get(f"/applications/{draft.pk}/").content.decode()
    assert f'href="/applications/{draft.pk}/preview/pdf/"' in page
