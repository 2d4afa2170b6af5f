import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.enums import Role
from applications.services.drafting import create_application
from programmes.selectors import criteria_items
from tests.clock import travel_to
from tests.factories import CycleFactory, EnterpriseUserFactory, OrganisationFactory, staff_user

TODAY = dt.date(2026, 5, 20)
# The cycle's recommendation deadline is 2026-06-30: the review (R12.3 onwards) opens next day.
REVIEW_OPENS = dt.date(2026, 7, 1)


@pytest.fixture
def default_today():
    """Every test of intake runs on 2026-05-20, inside the cycle's application window."""
    return TODAY


def pdf_bytes(text: str = "evidence") -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\n%" + text.encode() + b"\n%%EOF\n"


def pdf_upload(name: str = "证书.pdf", text: str = "evidence") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def complete_form(app) -> dict:
    items = criteria_items(app.cycle.criteria_set_id)
    year = app.cycle.year
    return {
        "summary": "绿原乳业成立于2012年，主营液态奶和奶粉，年产能十万吨，"
        "建立了从牧场到餐桌的全过程质量追溯体系，连续五年产品抽检合格率100%。",
        "indicators": [
            {
                "year": year - 2,
                "revenue": "125000000.00",
                "profit": "8000000",
                "tax": "5000000",
                "quality_pass_rate": "99.5",
            },
            {
                "year": year - 1,
                "revenue": "138000000",
                "profit": "-1000000.5",
                "tax": "5600000",
                "quality_pass_rate": 100,
            },
        ],
        "management_systems": [
            {
                "standard": "GB/T 19001-2016",
                "certificate_no": "00123Q45678",
                "issuer": "中国质量认证中心",
                "valid_until": "2028-06-30",
            }
        ],
        "innovation": "近两年研发投入占营业收入3.2%，获发明专利5项，参与制定地方标准2项。",
        "brand": "“绿原”商标为内蒙古著名商标，产品覆盖华北六省。",
        "self_evaluation": [{"item": i.code, "percent": 60, "comment": "良好"} for i in items],
        "contact_name": "张经理",
        "contact_phone": "13904771234",
    }


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="绿原乳业有限公司", registered_on=dt.date(2012, 5, 1))


@pytest.fixture
def applicant(organisation):
    return EnterpriseUserFactory(
        organisation=organisation, username="greenmilk", email="greenmilk@example.com"
    )


@pytest.fixture
def open_cycle(programme):
    return CycleFactory(
        programme=programme,
        year=2026,
        opens_on=dt.date(2026, 3, 1),
        submission_deadline=dt.date(2026, 5, 31),
        recommendation_deadline=dt.date(2026, 6, 30),
    )


@pytest.fixture
def rated(organisation, office):
    from organisations.services import set_credit_grade

    set_credit_grade(
        organisation=organisation,
        grade="A",
        source="市场监管局",
        rated_on=dt.date(2025, 12, 1),
        actor=office,
    )
    return organisation


@pytest.fixture
def draft(applicant, open_cycle, rated):
    return create_application(
        organisation=applicant.organisation, cycle=open_cycle, actor=applicant
    )


@pytest.fixture
def complete_draft(draft, applicant):
    from applications.services.documents import upload_document
    from applications.services.drafting import save_form

    save_form(application=draft, data=complete_form(draft), actor=applicant)
    upload_document(
        application=draft, upload=pdf_upload(), kind="management_system", actor=applicant
    )
    draft.refresh_from_db()
    return draft


@pytest.fixture
def industry(programme):
    user = staff_user(
        Role.RECOMMENDER, programme=programme, username="industry", email="industry@example.gov.cn"
    )
    user.recommender_level = "industry"
    user.industries = "制造业,乳制品,建材,纺织"  # R12.2: the industries it oversees
    user.save()
    return user


@pytest.fixture
def leading(programme):
    user = staff_user(Role.RECOMMENDER, programme=programme, username="leading")
    user.recommender_level = "leading_group"
    user.save()
    return user


@pytest.fixture
def submitted(complete_draft, applicant):
    """Submitted; its after-commit work (PDF, e-mails) is not run unless a test captures it."""
    from applications.services.submission import submit_application

    submit_application(application=complete_draft, actor=applicant)
    complete_draft.refresh_from_db()
    return complete_draft


@pytest.fixture
def recommended(submitted, industry, leading):
    from applications.services.recommendation import recommend_application

    recommend_application(
        application=submitted,
        level="industry",
        decision="recommend",
        opinion="同意推荐",
        actor=industry,
    )
    recommend_application(
        application=submitted,
        level="leading_group",
        decision="recommend",
        opinion="同意推荐",
        actor=leading,
    )
    submitted.refresh_from_db()
    # Submitted and recommended on 2026-05-20; the office's eligibility check comes after the
    # recommendation deadline (issue 9 §1): the clock moves on, the submission keeps its day.
    travel_to(REVIEW_OPENS)
    return submitted


def docx_bytes(macro: bool = False) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        content_type = (
            "application/vnd.ms-word.document.macroEnabled.main+xml"
            if macro
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        )
        z.writestr(
            "[Content_Types].xml", f'<Types><Override ContentType="{content_type}"/></Types>'
        )
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()
