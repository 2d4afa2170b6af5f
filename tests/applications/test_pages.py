"""The browser pages of intake (applications/urls.py), through the Django test client: who may
open what, the applicant's whole journey without JavaScript, the recommenders' and the office's
actions, bad input, and constant query counts on the list pages."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.enums import Role
from applications.enums import ApplicationStatus as S
from applications.models import Application, Recommendation
from organisations.services import record_incident
from programmes.selectors import criteria_items
from tests.applications.conftest import complete_form, pdf_bytes, pdf_upload
from tests.factories import (
    ApplicationFactory,
    CycleFactory,
    EnterpriseUserFactory,
    OrganisationFactory,
    ProgrammeFactory,
    staff_user,
)
from tests.queries import assert_get_queries

pytestmark = pytest.mark.unit

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
LOGIN = "/accounts/login/"

ROLE_FIXTURES = {
    "owner": "applicant",
    "other_enterprise": "stranger",
    "office": "office",
    "supervisor": "supervisor",
    "committee": "committee",
    "government": "government",
    "recommender": "industry",
    "expert": "expert",
    "other_programme": "foreign_staff",
}
ROLES = ("anonymous", *ROLE_FIXTURES)
READERS = ("office", "supervisor", "committee", "government", "recommender")
STAFF = (*READERS, "expert", "other_programme")


@pytest.fixture
def stranger(db):
    return EnterpriseUserFactory(username="stranger")


@pytest.fixture
def foreign_staff(db):
    """Holds every staff role, but serves another programme."""
    other = ProgrammeFactory(code="otherqq", name="鄂托克旗旗长质量奖", region="150624")
    user = staff_user(
        [Role.OFFICE, Role.SUPERVISOR, Role.COMMITTEE, Role.GOVERNMENT, Role.RECOMMENDER],
        programme=other,
        username="foreign",
    )
    user.recommender_level = "industry"
    user.industries = "制造业,乳制品,建材,纺织"  # R12.2: the industries it oversees
    user.save()
    return user


@pytest.fixture
def browser_for(request):
    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(request.getfixturevalue(ROLE_FIXTURES[role]))
        return client

    return make


def _status(response) -> int | str:
    """The status, with a redirect to the login page told apart from other redirects."""
    if response.status_code == 302 and response["Location"].startswith(LOGIN):
        return "login"
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # read to the end: closes the file
    return response.status_code


def _messages(response) -> list[str]:
    """The messages queued so far; taken, so the next response shows only its own."""
    found = [str(m) for m in get_messages(response.wsgi_request)]
    response.client.cookies.pop("messages", None)
    return found


def _visit_every_page(client: Client, app: Application, cycle) -> dict[str, int | str]:
    """Every page of applications/urls.py once: reads first, then the POSTs; the ones that
    change the application (recommend, withdraw) last."""
    document = app.documents.get()
    base = f"/applications/{app.pk}/"
    gets = {
        "mine": "/applications/mine/",
        "office_list": "/applications/office/",
        "recommend_list": "/applications/recommend/",
        "detail": base,
        "edit": base + "edit/profile/",
        "document": base + f"documents/{document.pk}/",
        "submit_page": base + "submit/",
        "preview_pdf": base + "preview/pdf/",
    }
    result = {name: _status(client.get(url)) for name, url in gets.items()}
    posts = {
        "create": (f"/applications/new/{cycle.pk}/", {}),
        "edit_post": (base + "edit/innovation_brand/", {"innovation": "x", "brand": "y"}),
        "remove_document": (base + f"documents/{document.pk}/remove/", {}),
        "decide": (base + "eligibility/", {"decision": "reject", "reasons": "不符合条件"}),
        "recommend": (base + "recommend/", {"decision": "recommend", "opinion": "同意推荐"}),
        "withdraw": (base + "withdraw/", {"reason": "暂不申报"}),
    }
    for name, (url, data) in posts.items():
        result[name] = _status(client.post(url, data))
    return result


def _page_row(default, **overrides) -> dict:
    names = (
        "mine",
        "office_list",
        "recommend_list",
        "detail",
        "edit",
        "document",
        "submit_page",
        "preview_pdf",
        "create",
        "edit_post",
        "remove_document",
        "decide",
        "recommend",
        "withdraw",
    )
    return {name: overrides.get(name, default) for name in names}


def _staff_row(**overrides) -> dict:
    """Staff who read the programme's intake: the application's pages, not the owner's."""
    return _page_row(
        403,
        **(
            {"detail": 200, "document": 200, "edit": 403, "submit_page": 403, "preview_pdf": 403}
            | overrides
        ),
    )


# On a SUBMITTED application. 302 is a redirect back to a page (with a message), "login" the
# redirect of an anonymous visitor to the login page.
SUBMITTED_PAGES = {
    "owner": _page_row(
        200,
        office_list=403,
        recommend_list=403,
        edit=302,  # frozen: back to the detail page
        preview_pdf=404,  # only a draft (or returned) application has a preview
        create=302,  # already applied this year: back to "mine" with a message
        edit_post=400,  # frozen: the form again with the refusal
        remove_document=302,  # frozen: back with a message
        decide=403,
        recommend=403,
        withdraw=302,
    ),
    "other_enterprise": _page_row(404, mine=200, office_list=403, recommend_list=403, create=302),
    "anonymous": _page_row("login"),
    "office": _staff_row(office_list=200, decide=302),  # decided too early: a message
    "supervisor": _staff_row(office_list=200),
    "committee": _staff_row(),
    "government": _staff_row(),
    "recommender": _staff_row(recommend_list=200, recommend=302),
    "expert": _page_row(404, mine=403, office_list=403, recommend_list=403, create=403),
    # holds office and recommender roles elsewhere: its own lists open, this application not
    "other_programme": _page_row(404, mine=403, office_list=200, recommend_list=200, create=403),
}


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role_on_a_submitted_application(browser_for, submitted, open_cycle, role):
    assert _visit_every_page(browser_for(role), submitted, open_cycle) == SUBMITTED_PAGES[role]
    submitted.refresh_from_db()
    assert submitted.status == (S.WITHDRAWN if role == "owner" else S.SUBMITTED)
    assert submitted.documents.filter(removed_at=None).count() == 1
    assert Recommendation.objects.count() == (1 if role == "recommender" else 0)


DRAFT_PAGES = {
    "owner": _page_row(
        200,
        office_list=403,
        recommend_list=403,
        create=302,
        edit_post=302,
        remove_document=302,
        decide=403,
        recommend=403,
        withdraw=302,  # a draft cannot be withdrawn: back with a message
    ),
    "other_enterprise": SUBMITTED_PAGES["other_enterprise"],
    "anonymous": _page_row("login"),
    **{
        role: _page_row(404, mine=403, office_list=403, recommend_list=403, create=403)
        | {k: v for k, v in SUBMITTED_PAGES[role].items() if k.endswith("_list")}
        for role in STAFF
    },
}


@pytest.mark.parametrize("role", ROLES)
def test_drafts_are_invisible_to_staff_pages_404(browser_for, complete_draft, open_cycle, role):
    assert _visit_every_page(browser_for(role), complete_draft, open_cycle) == DRAFT_PAGES[role]
    complete_draft.refresh_from_db()
    assert complete_draft.status == S.DRAFT
    expected_docs = 0 if role == "owner" else 1  # the owner removed it
    assert complete_draft.documents.filter(removed_at=None).count() == expected_docs


def test_anonymous_is_sent_to_login_with_next(browser_for, submitted):
    response = browser_for("anonymous").get(f"/applications/{submitted.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/applications/{submitted.pk}/"


def test_office_list_shows_submitted_not_drafts(browser_for, submitted, stranger, open_cycle):
    from applications.services.drafting import create_application

    create_application(organisation=stranger.organisation, cycle=open_cycle, actor=stranger)
    page = browser_for("office").get("/applications/office/").content.decode()
    assert f'href="/applications/{submitted.pk}/"' in page
    assert stranger.organisation.name not in page


def test_staff_lists_of_another_programme_are_empty(browser_for, submitted):
    client = browser_for("other_programme")
    for url in ("/applications/office/", "/applications/recommend/"):
        page = client.get(url).content.decode()
        assert f'href="/applications/{submitted.pk}/"' not in page
        assert "没有符合条件的申报" in page


def test_list_filters_ignore_bad_query_values(browser_for, submitted):
    client = browser_for("office")
    for query in ("?status=bogus", "?page=abc", "?page=-1", "?q=" + "绿" * 500, "?status="):
        response = client.get("/applications/office/" + query)
        assert response.status_code == 200, query
    page = client.get("/applications/office/?status=draft").content.decode()
    assert "没有符合条件的申报" in page


def test_unknown_section_is_404(browser_for, draft):
    client = browser_for("owner")
    assert client.get(f"/applications/{draft.pk}/edit/nonsense/").status_code == 404
    assert client.post(f"/applications/{draft.pk}/edit/nonsense/", {}).status_code == 404


def test_version_pdf_is_404_until_rendered(browser_for, submitted):
    response = browser_for("owner").get(f"/applications/{submitted.pk}/versions/1/pdf/")
    assert response.status_code == 404
    response = browser_for("owner").get(f"/applications/{submitted.pk}/versions/9/pdf/")
    assert response.status_code == 404


def test_document_download_page_is_an_attachment_with_exact_bytes(browser_for, submitted):
    document = submitted.documents.get()
    response = browser_for("office").get(f"/applications/{submitted.pk}/documents/{document.pk}/")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body == pdf_bytes()


# --- The applicant's journey, without JavaScript ----------------------------------------------


def _section(client, app, section, data, then="next"):
    return client.post(f"/applications/{app.pk}/edit/{section}/", {**data, "then": then})


def _management_form(total=2, initial=0) -> dict:
    return {
        "ms-TOTAL_FORMS": str(total),
        "ms-INITIAL_FORMS": str(initial),
        "ms-MIN_NUM_FORMS": "0",
        "ms-MAX_NUM_FORMS": "10",
    }


def test_applicant_journey_through_the_pages_R12_1(browser_for, applicant, open_cycle, rated):
    client = browser_for("owner")
    mine = client.get("/applications/mine/")
    assert mine.status_code == 200
    assert f'action="/applications/new/{open_cycle.pk}/"' in mine.content.decode()

    created = client.post(f"/applications/new/{open_cycle.pk}/")
    app = Application.objects.get(organisation=applicant.organisation)
    assert created.status_code == 302
    assert created["Location"] == f"/applications/{app.pk}/edit/profile/"
    assert app.status == S.DRAFT
    assert client.get(created["Location"]).status_code == 200

    form = complete_form(app)
    steps = [
        (
            "profile",
            {
                "summary": form["summary"],
                "contact_name": "张经理",
                "contact_phone": "13904771234",
            },
        ),
        (
            "indicators",
            {
                f"{name}_{row['year']}": str(row[name])
                for row in form["indicators"]
                for name in ("revenue", "profit", "tax", "quality_pass_rate")
            },
        ),
        (
            "management_systems",
            {
                **_management_form(total=2),
                "ms-0-standard": "GB/T 19001-2016",
                "ms-0-certificate_no": "00123Q45678",
                "ms-0-issuer": "中国质量认证中心",
                "ms-0-valid_until": "2028-06-30",
                "ms-1-standard": "",
                "ms-1-certificate_no": "",
                "ms-1-issuer": "",
                "ms-1-valid_until": "",
            },
        ),
        ("innovation_brand", {"innovation": form["innovation"], "brand": form["brand"]}),
        (
            "self_evaluation",
            {
                key: value
                for item in criteria_items(app.cycle.criteria_set_id)
                for key, value in ((f"p_{item.code}", "60"), (f"c_{item.code}", "良好"))
            },
        ),
    ]
    for (section, data), following in zip(
        steps,
        ["indicators", "management_systems", "innovation_brand", "self_evaluation", "evidence"],
        strict=True,
    ):
        response = _section(client, app, section, data)
        assert response.status_code == 302, (section, response.content.decode()[:2000])
        assert response["Location"] == f"/applications/{app.pk}/edit/{following}/"
        assert _messages(response) == ["已保存。"]

    upload = client.post(
        f"/applications/{app.pk}/edit/evidence/",
        {"kind": "management_system", "file": pdf_upload("质量管理体系证书.pdf")},
    )
    assert upload.status_code == 302
    assert upload["Location"] == f"/applications/{app.pk}/edit/evidence/"
    assert _messages(upload) == ["已上传“质量管理体系证书.pdf”。"]

    app.refresh_from_db()
    expected = complete_form(app)
    assert app.summary == expected["summary"]
    assert (app.contact_name, app.contact_phone) == ("张经理", "13904771234")
    assert [r["year"] for r in app.indicators] == [2024, 2025]
    assert app.indicators[1]["profit"] == "-1000000.50"
    assert app.management_systems == expected["management_systems"]
    assert (app.innovation, app.brand) == (expected["innovation"], expected["brand"])
    assert app.self_evaluation == expected["self_evaluation"]
    assert app.documents.get().original_name == "质量管理体系证书.pdf"

    submit_page = client.get(f"/applications/{app.pk}/submit/")
    assert "各部分已填写完整" in submit_page.content.decode()
    submitted = client.post(f"/applications/{app.pk}/submit/")
    assert submitted.status_code == 302
    assert submitted["Location"] == f"/applications/{app.pk}/"
    assert _messages(submitted) == ["申报已提交。提交内容已冻结，申报表PDF正在生成。"]
    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    assert app.versions.count() == 1

    # frozen: the edit page sends the applicant back to the detail page
    frozen = client.get(f"/applications/{app.pk}/edit/profile/")
    assert frozen.status_code == 302
    assert frozen["Location"] == f"/applications/{app.pk}/"


def test_save_draft_stays_on_the_section(browser_for, draft):
    response = _section(
        browser_for("owner"), draft, "innovation_brand", {"innovation": "专利", "brand": ""}, "stay"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{draft.pk}/edit/innovation_brand/"
    draft.refresh_from_db()
    assert draft.innovation == "专利"


def test_edit_page_shows_saved_management_systems_and_self_evaluation(browser_for, complete_draft):
    client = browser_for("owner")
    systems = client.get(f"/applications/{complete_draft.pk}/edit/management_systems/")
    assert 'value="00123Q45678"' in systems.content.decode()
    code = criteria_items(complete_draft.cycle.criteria_set_id)[0].code
    evaluation = client.get(f"/applications/{complete_draft.pk}/edit/self_evaluation/")
    assert f'name="p_{code}"' in evaluation.content.decode()
    assert '<option value="60" selected>' in evaluation.content.decode()


def test_remove_document_from_a_draft(browser_for, complete_draft):
    document = complete_draft.documents.get()
    response = browser_for("owner").post(
        f"/applications/{complete_draft.pk}/documents/{document.pk}/remove/"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{complete_draft.pk}/edit/evidence/"
    document.refresh_from_db()
    assert document.removed_at is not None


# --- Bad input on the pages -------------------------------------------------------------------


def test_bad_section_input_is_400_with_the_message_and_saves_nothing(browser_for, draft):
    client = browser_for("owner")
    code = criteria_items(draft.cycle.criteria_set_id)[0].code
    cases = {
        "phone": ("profile", {"contact_phone": "12345"}, "请填写11位手机号码"),
        "phone_too_long": ("profile", {"contact_phone": "1" * 30}, "20"),
        "revenue_text": ("indicators", {"revenue_2024": "很多"}, "应为金额"),
        "revenue_nan": ("indicators", {"revenue_2025": "NaN"}, "超出范围"),
        "pass_rate_150": ("indicators", {"quality_pass_rate_2024": "150"}, "0到100"),
        "percent_33": ("self_evaluation", {f"p_{code}": "33"}, "33"),
        "percent_abc": ("self_evaluation", {f"p_{code}": "abc"}, "abc"),
        "systems_bad_date": (
            "management_systems",
            {**_management_form(total=1), "ms-0-standard": "ISO", "ms-0-valid_until": "2028-02-30"},
            "ms-0-valid_until",
        ),
        "systems_no_management_form": ("management_systems", {"ms-0-standard": "ISO"}, "ms-"),
        "systems_bad_management_form": (
            "management_systems",
            {**_management_form(), "ms-TOTAL_FORMS": "abc"},
            "ms-",
        ),
        "evidence_missing_file": ("evidence", {"kind": "other"}, "file"),
        "evidence_bad_kind": ("evidence", {"kind": "virus", "file": "PDF"}, "kind"),
        "evidence_elf": ("evidence", {"kind": "other", "file": "ELF"}, "内容不是允许的格式"),
        "evidence_empty": ("evidence", {"kind": "other", "file": "EMPTY"}, "空文件"),
    }
    files = {
        "PDF": lambda: pdf_upload(),
        "ELF": lambda: SimpleUploadedFile("证书.pdf", ELF, content_type="application/pdf"),
        "EMPTY": lambda: SimpleUploadedFile("空.pdf", b""),
    }
    answers = {}
    for case, (section, data, needle) in cases.items():
        data = {k: (files[v]() if v in files else v) for k, v in data.items()}
        response = client.post(f"/applications/{draft.pk}/edit/{section}/", data)
        answers[case] = (response.status_code, needle in response.content.decode())
    assert answers == {case: (400, True) for case in cases}
    draft.refresh_from_db()
    assert (draft.contact_phone, draft.indicators, draft.self_evaluation) == ("", [], [])
    assert draft.management_systems == []
    assert not draft.documents.exists()


def test_oversized_evidence_page_upload_is_400(browser_for, draft):
    from applications.services.documents import MAX_FILE_BYTES

    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_FILE_BYTES)
    response = browser_for("owner").post(
        f"/applications/{draft.pk}/edit/evidence/", {"kind": "other", "file": big}
    )
    assert response.status_code == 400
    assert "20 MB" in response.content.decode()
    assert not draft.documents.exists()


def test_incomplete_submission_redirects_with_the_rule_R12_1(browser_for, draft):
    response = browser_for("owner").post(f"/applications/{draft.pk}/submit/")
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{draft.pk}/submit/"
    [message] = _messages(response)
    assert message.startswith("R12.1：申报表尚未填写完整")
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_submit_page_lists_what_is_missing(browser_for, draft):
    page = browser_for("owner").get(f"/applications/{draft.pk}/submit/").content.decode()
    assert "申报表尚未填写完整，不能提交" in page
    assert "至少上传一份实证材料" in page


def test_second_submission_from_the_page_redirects_with_a_message(browser_for, submitted):
    response = browser_for("owner").post(f"/applications/{submitted.pk}/submit/")
    assert response.status_code == 302
    assert _messages(response) == ["当前状态为“已提交”，不能提交。"]
    assert submitted.versions.count() == 1


def test_create_for_an_unknown_cycle_is_404(browser_for, stranger, open_cycle):
    response = browser_for("other_enterprise").post(f"/applications/new/{open_cycle.pk + 99}/")
    assert response.status_code == 404


def test_create_twice_redirects_with_a_message(browser_for, draft, open_cycle):
    response = browser_for("owner").post(f"/applications/new/{open_cycle.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/applications/mine/"
    assert _messages(response) == ["本组织在该年度已有申报，请继续填写已有的申报。"]
    assert Application.objects.count() == 1


def test_create_get_is_not_allowed(browser_for, open_cycle):
    assert browser_for("owner").get(f"/applications/new/{open_cycle.pk}/").status_code == 405


# --- The recommenders and the office on the detail page ---------------------------------------


def test_recommenders_sign_on_the_detail_page_R12_2(browser_for, submitted, industry, leading):
    client = browser_for("recommender")
    page = client.get(f"/applications/{submitted.pk}/").content.decode()
    assert f'action="/applications/{submitted.pk}/recommend/"' in page

    response = client.post(
        f"/applications/{submitted.pk}/recommend/",
        {"decision": "recommend", "opinion": "行业主管部门同意推荐"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{submitted.pk}/"
    assert _messages(response) == ["推荐意见已签署。"]
    rec = Recommendation.objects.get()
    assert (rec.level, rec.signed_by, rec.decision) == ("industry", industry, "recommend")

    # signed: the form is gone for this level
    page = client.get(f"/applications/{submitted.pk}/").content.decode()
    assert f'action="/applications/{submitted.pk}/recommend/"' not in page

    second = Client()
    second.force_login(leading)
    second.post(
        f"/applications/{submitted.pk}/recommend/",
        {"decision": "recommend", "opinion": "领导小组同意推荐"},
    )
    submitted.refresh_from_db()
    assert submitted.status == S.RECOMMENDED


def test_bad_recommendation_redirects_with_an_error_R12_2(browser_for, submitted):
    client = browser_for("recommender")
    cases = {
        "unknown_decision": {"decision": "maybe", "opinion": "同意"},
        "no_opinion": {"decision": "recommend", "opinion": ""},
        "nothing": {},
    }
    answers = {}
    for case, data in cases.items():
        response = client.post(f"/applications/{submitted.pk}/recommend/", data)
        answers[case] = (response.status_code, response["Location"], len(_messages(response)))
    expected = (302, f"/applications/{submitted.pk}/", 1)
    assert answers == {case: expected for case in cases}
    assert not Recommendation.objects.exists()


def test_office_decides_on_the_detail_page_R12_3(browser_for, recommended):
    client = browser_for("office")
    page = client.get(f"/applications/{recommended.pk}/").content.decode()
    assert f'action="/applications/{recommended.pk}/eligibility/"' in page
    response = client.post(f"/applications/{recommended.pk}/eligibility/", {"decision": "accept"})
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{recommended.pk}/"
    assert _messages(response) == ["资格审查决定已记录。"]
    recommended.refresh_from_db()
    assert recommended.status == S.ACCEPTED


def test_office_returns_with_a_deadline_on_the_detail_page_R12_3(browser_for, recommended):
    response = browser_for("office").post(
        f"/applications/{recommended.pk}/eligibility/",
        {"decision": "return", "reasons": "请补充证书扫描件", "correction_due": "2026-07-15"},
    )
    assert response.status_code == 302
    recommended.refresh_from_db()
    assert (recommended.status, recommended.correction_due) == (S.RETURNED, dt.date(2026, 7, 15))
    assert recommended.decision_reasons == "请补充证书扫描件"


def test_office_accept_while_a_check_fails_redirects_with_rule_R11_6(
    browser_for, recommended, office
):
    record_incident(
        organisation=recommended.organisation,
        kind="quality_accident",
        occurred_on=dt.date(2025, 3, 1),
        description="批次产品不合格",
        actor=office,
    )
    response = browser_for("office").post(
        f"/applications/{recommended.pk}/eligibility/", {"decision": "accept"}
    )
    assert response.status_code == 302
    [message] = _messages(response)
    # The rule once (issue 11: it was named twice), with where the office settles it.
    assert message.startswith("自动核查未通过，不能受理：R11.6 ")
    assert message.count("R11.6") == 1
    assert f'href="/organisations/{recommended.organisation_id}/"' in message
    recommended.refresh_from_db()
    assert recommended.status == S.RECOMMENDED


def test_bad_eligibility_decision_redirects_with_an_error_R12_3(browser_for, recommended):
    client = browser_for("office")
    cases = {
        "unknown_decision": {"decision": "maybe"},
        "reject_without_reasons": {"decision": "reject", "reasons": ""},
        "due_not_a_date": {"decision": "return", "reasons": "补", "correction_due": "下周"},
        "due_in_the_past": {"decision": "return", "reasons": "补", "correction_due": "2026-01-01"},
        "nothing": {},
    }
    answers = {}
    for case, data in cases.items():
        response = client.post(f"/applications/{recommended.pk}/eligibility/", data)
        answers[case] = (response.status_code, len(_messages(response)))
    assert answers == {case: (302, 1) for case in cases}
    recommended.refresh_from_db()
    assert recommended.status == S.RECOMMENDED


def test_owner_withdraws_on_the_detail_page(browser_for, submitted):
    client = browser_for("owner")
    page = client.get(f"/applications/{submitted.pk}/").content.decode()
    assert f'action="/applications/{submitted.pk}/withdraw/"' in page
    response = client.post(f"/applications/{submitted.pk}/withdraw/", {"reason": "x" * 3000})
    assert response.status_code == 302
    assert len(_messages(response)) == 1
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED  # the reason is too long: refused with a message
    client.post(f"/applications/{submitted.pk}/withdraw/", {"reason": "调整计划"})
    submitted.refresh_from_db()
    assert submitted.status == S.WITHDRAWN


# --- Constant query counts --------------------------------------------------------------------


def _submitted_application(cycle, creator) -> Application:
    now = timezone.now()
    return ApplicationFactory(
        cycle=cycle,
        organisation=OrganisationFactory(),
        created_by=creator,
        status=S.SUBMITTED,
        submitted_at=now,
        last_submitted_at=now,
    )


@pytest.mark.parametrize("item_count", (1, 3))
@pytest.mark.parametrize(
    ("url", "role", "queries"),
    (
        ("/applications/office/", "office", 7),
        ("/applications/office/", "supervisor", 7),
        ("/applications/recommend/", "recommender", 7),
    ),
)
def test_staff_list_query_count_is_constant(
    browser_for, open_cycle, office, url, role, queries, item_count
):
    client = browser_for(role)
    apps = [_submitted_application(open_cycle, office) for _ in range(item_count)]
    page = assert_get_queries(queries, client, url).content.decode()
    assert [f'href="/applications/{a.pk}/"' in page for a in apps] == [True] * item_count


@pytest.mark.parametrize("item_count", (1, 3))
def test_my_applications_query_count_is_constant(
    browser_for, applicant, programme, open_cycle, item_count
):
    client = browser_for("owner")

    def add(year: int) -> Application:
        cycle = open_cycle if year == 2026 else CycleFactory(programme=programme, year=year)
        return ApplicationFactory(
            cycle=cycle, organisation=applicant.organisation, created_by=applicant
        )

    for year in range(2026, 2026 - item_count, -1):
        add(year)
    page = assert_get_queries(5, client, "/applications/mine/").content.decode()
    assert page.count("查看进度") == item_count
