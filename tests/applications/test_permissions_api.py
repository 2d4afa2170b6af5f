"""The intake API (API.md "An application's life"): who may see and do what, and how bad
input is answered.

Conventions checked: 400 invalid input (field messages or {"rule", "detail"}), 401 not logged
in, 403 the role may not, 404 no such object or the caller may not see it, 409 wrong state,
never 500.
"""

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.enums import Role
from applications.enums import ApplicationStatus as S
from applications.models import Application, Document, Recommendation
from applications.services.documents import MAX_FILE_BYTES
from applications.services.drafting import create_application
from organisations.services import record_incident, set_credit_grade
from programmes.selectors import criteria_items
from tests.applications.conftest import complete_form, pdf_bytes, pdf_upload
from tests.clock import travel_to
from tests.conftest import login_api
from tests.factories import (
    EnterpriseUserFactory,
    OrganisationFactory,
    ProgrammeFactory,
    make_uscc,
    staff_user,
)

pytestmark = pytest.mark.unit

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
BASE = "/api/v1/applications"

# role name → fixture giving the user (the anonymous caller has none)
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
INTAKE_READERS = ("office", "supervisor", "committee", "government", "recommender")
STAFF = (*INTAKE_READERS, "expert", "other_programme")


@pytest.fixture
def stranger(db):
    """A user of another enterprise, in the same region."""
    return EnterpriseUserFactory(username="stranger")


@pytest.fixture
def other_programme(db):
    return ProgrammeFactory(code="otherqq", name="鄂托克旗旗长质量奖", region="150624")


@pytest.fixture
def foreign_staff(other_programme):
    """Holds every intake role, but for another programme."""
    user = staff_user(
        [Role.OFFICE, Role.SUPERVISOR, Role.COMMITTEE, Role.GOVERNMENT, Role.RECOMMENDER],
        programme=other_programme,
        username="foreign",
    )
    user.recommender_level = "industry"
    user.industries = "制造业,乳制品,建材,纺织"  # R12.2: the industries it oversees
    user.save()
    return user


@pytest.fixture
def client_for(request):
    def make(role: str) -> APIClient:
        if role == "anonymous":
            return APIClient()
        return login_api(request.getfixturevalue(ROLE_FIXTURES[role]))

    return make


@pytest.fixture
def evidence(submitted) -> Document:
    return submitted.documents.get()


def _drain(response) -> bytes:
    """The body of any response; streaming ones are read to the end (which closes the file)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _read_urls(app: Application, document: Document) -> dict[str, str]:
    return {
        "GET detail": f"{BASE}/{app.pk}/",
        "GET documents": f"{BASE}/{app.pk}/documents/",
        "GET file": f"{BASE}/{app.pk}/documents/{document.pk}/file/",
        "GET recommendations": f"{BASE}/{app.pk}/recommendations/",
        "GET eligibility": f"{BASE}/{app.pk}/eligibility/",
    }


def _call_every_endpoint(client: APIClient, app: Application, cycle) -> dict[str, int]:
    """Every intake endpoint once, reads first, the state-changing writes last (an accepted
    recommendation leaves the application submitted, so the owner's withdrawal still runs)."""
    document = app.documents.get()
    base = f"{BASE}/{app.pk}/"
    status = {"GET list": client.get(f"{BASE}/").status_code}
    for name, url in _read_urls(app, document).items():
        response = client.get(url)
        _drain(response)
        status[name] = response.status_code
    writes = (
        ("PATCH detail", "patch", base, {"brand": "新的品牌说明"}, "json"),
        ("POST documents", "post", base + "documents/", {"file": "PDF", "kind": "other"}, None),
        ("POST eligibility", "post", base + "eligibility/", {"decision": "accept"}, "json"),
        (
            "POST recommendations",
            "post",
            base + "recommendations/",
            {"level": "industry", "decision": "recommend", "opinion": "同意推荐"},
            "json",
        ),
        ("POST list", "post", f"{BASE}/", {"cycle": cycle.pk}, "json"),
        ("POST withdraw", "post", base + "withdraw/", {"reason": "暂不申报"}, "json"),
        ("POST submit", "post", base + "submit/", None, "json"),
    )
    for name, method, url, body, fmt in writes:
        if fmt is None:
            body = {"file": pdf_upload("材料.pdf"), "kind": "other"}
            status[name] = getattr(client, method)(url, body, format="multipart").status_code
        else:
            status[name] = getattr(client, method)(url, body, format=fmt).status_code
    return status


def _row(default: int, **overrides: int) -> dict[str, int]:
    endpoints = (
        "GET list",
        "GET detail",
        "GET documents",
        "GET file",
        "GET recommendations",
        "GET eligibility",
        "PATCH detail",
        "POST documents",
        "POST eligibility",
        "POST recommendations",
        "POST withdraw",
        "POST list",
        "POST submit",
    )
    names = {k.replace("_", " ", 1): v for k, v in overrides.items()}
    return {e: names.get(e, default) for e in endpoints}


def _reader(**overrides: int) -> dict[str, int]:
    """Staff who read the programme's intake: every read 200, every write 403."""
    reads = {
        "GET_list": 200,
        "GET_detail": 200,
        "GET_documents": 200,
        "GET_file": 200,
        "GET_recommendations": 200,
        "GET_eligibility": 200,
    }
    return _row(403, **(reads | overrides))


# The matrix on a SUBMITTED application (API.md conventions).
SUBMITTED_MATRIX = {
    "owner": _row(
        200,
        PATCH_detail=409,
        POST_documents=409,
        POST_eligibility=403,
        POST_recommendations=403,
        POST_list=400,  # one live application per organisation and cycle
        POST_submit=409,  # withdrawn by then
    ),
    "other_enterprise": _row(404, GET_list=200, POST_list=201),
    "anonymous": _row(401),
    "office": _reader(POST_eligibility=409),  # may decide, but not before recommendation
    "supervisor": _reader(),
    "committee": _reader(),
    "government": _reader(),
    "recommender": _reader(POST_recommendations=201),
    "expert": _row(404, GET_list=200, POST_list=403),
    "other_programme": _row(404, GET_list=200, POST_list=403),
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_on_a_submitted_application(client_for, submitted, open_cycle, role):
    client = client_for(role)
    listed = client.get(f"{BASE}/")
    if role != "anonymous":
        ids = [row["id"] for row in listed.json()["results"]]
        sees = role in ("owner", *INTAKE_READERS)
        assert ids == ([submitted.pk] if sees else [])
    before = submitted.status
    assert _call_every_endpoint(client, submitted, open_cycle) == SUBMITTED_MATRIX[role]
    submitted.refresh_from_db()
    assert submitted.status == (S.WITHDRAWN if role == "owner" else before)
    assert submitted.documents.count() == 1


# The matrix on a DRAFT: the applicant's own; staff do not even learn that it exists.
DRAFT_MATRIX = {
    "owner": _row(
        200,
        POST_documents=201,
        POST_eligibility=403,
        POST_recommendations=403,
        POST_withdraw=409,
        POST_list=400,
    ),
    "other_enterprise": _row(404, GET_list=200, POST_list=201),
    "anonymous": _row(401),
    **{role: _row(404, GET_list=200, POST_list=403) for role in STAFF},
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_on_a_draft(client_for, complete_draft, open_cycle, role):
    client = client_for(role)
    if role != "anonymous":
        ids = [row["id"] for row in client.get(f"{BASE}/").json()["results"]]
        assert ids == ([complete_draft.pk] if role == "owner" else [])
    assert _call_every_endpoint(client, complete_draft, open_cycle) == DRAFT_MATRIX[role]
    complete_draft.refresh_from_db()
    assert complete_draft.status == (S.SUBMITTED if role == "owner" else S.DRAFT)
    assert complete_draft.documents.count() == (2 if role == "owner" else 1)


def test_list_is_paginated_with_the_contract_keys(client_for, submitted):
    body = client_for("office").get(f"{BASE}/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    assert body["results"][0]["status"] == S.SUBMITTED


def test_detail_returns_the_form_with_id_cycle_organisation_status(client_for, submitted):
    body = client_for("owner").get(f"{BASE}/{submitted.pk}/").json()
    assert body["id"] == submitted.pk
    assert body["cycle"] == submitted.cycle_id
    assert body["organisation"] == submitted.organisation_id
    assert body["status"] == "submitted"
    assert body["contact_phone"] == "13904771234"


def test_unknown_application_is_404_for_everyone_logged_in(client_for, submitted):
    missing = submitted.pk + 1000
    assert client_for("owner").get(f"{BASE}/{missing}/").status_code == 404
    assert client_for("office").get(f"{BASE}/{missing}/").status_code == 404
    assert client_for("office").post(f"{BASE}/{missing}/submit/").status_code == 404


def test_draft_becomes_visible_to_office_once_submitted_R12_1(client_for, complete_draft):
    office = client_for("office")
    assert office.get(f"{BASE}/{complete_draft.pk}/").status_code == 404
    response = client_for("owner").post(f"{BASE}/{complete_draft.pk}/submit/")
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert office.get(f"{BASE}/{complete_draft.pk}/").status_code == 200
    assert [r["id"] for r in office.get(f"{BASE}/").json()["results"]] == [complete_draft.pk]


def test_office_accepts_a_recommended_application_R12_3(client_for, recommended):
    response = client_for("office").post(
        f"{BASE}/{recommended.pk}/eligibility/", {"decision": "accept"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"


def test_only_the_programmes_office_decides_eligibility_R12_3(client_for, recommended):
    roles = ("owner", "supervisor", "committee", "government", "recommender", "other_programme")
    status = {
        role: client_for(role)
        .post(f"{BASE}/{recommended.pk}/eligibility/", {"decision": "accept"}, format="json")
        .status_code
        for role in roles
    }
    assert status == {role: 403 for role in roles} | {"other_programme": 404}
    recommended.refresh_from_db()
    assert recommended.status == S.RECOMMENDED


def test_supervisor_reads_everything_and_changes_nothing_R22(client_for, recommended):
    client = client_for("supervisor")
    evidence = recommended.documents.get()
    for url in _read_urls(recommended, evidence).values():
        response = client.get(url)
        _drain(response)
        assert response.status_code == 200, url
    base = f"{BASE}/{recommended.pk}/"
    writes = [
        client.patch(base, {"brand": "x"}, format="json"),
        client.post(base + "documents/", {"file": pdf_upload(), "kind": "other"}),
        client.post(base + "submit/"),
        client.post(base + "withdraw/"),
        client.post(
            base + "recommendations/",
            {"level": "industry", "decision": "decline", "opinion": "x"},
            format="json",
        ),
        client.post(base + "eligibility/", {"decision": "reject", "reasons": "x"}, format="json"),
    ]
    assert [r.status_code for r in writes] == [403] * len(writes)
    recommended.refresh_from_db()
    assert recommended.status == S.RECOMMENDED


# --- The file itself ------------------------------------------------------------------------


def test_file_download_is_an_attachment_with_nosniff_and_exact_bytes(
    client_for, submitted, evidence
):
    for role in ("owner", "office", "supervisor", "recommender"):
        response = client_for(role).get(f"{BASE}/{submitted.pk}/documents/{evidence.pk}/file/")
        body = _drain(response)
        assert response.status_code == 200, role
        assert response["Content-Disposition"].startswith("attachment;"), role
        assert response["X-Content-Type-Options"] == "nosniff", role
        assert response["Content-Type"] == "application/pdf", role
        assert body == pdf_bytes(), role
        assert hashlib.sha256(body).hexdigest() == evidence.sha256


def test_file_through_another_application_is_404(client_for, submitted, evidence, stranger):
    """The stranger may see their own application, but not our file through its URL."""
    theirs = create_application(
        organisation=stranger.organisation, cycle=submitted.cycle, actor=stranger
    )
    response = client_for("other_enterprise").get(
        f"{BASE}/{theirs.pk}/documents/{evidence.pk}/file/"
    )
    _drain(response)
    assert response.status_code == 404


def test_unknown_document_is_404(client_for, submitted, evidence):
    response = client_for("owner").get(f"{BASE}/{submitted.pk}/documents/{evidence.pk + 99}/file/")
    assert response.status_code == 404


def test_documents_list_describes_each_file(client_for, submitted, evidence):
    rows = client_for("office").get(f"{BASE}/{submitted.pk}/documents/").json()
    assert rows == [
        {
            "id": evidence.pk,
            "kind": "management_system",
            "original_name": "证书.pdf",
            "content_type": "application/pdf",
            "size": len(pdf_bytes()),
            "sha256": hashlib.sha256(pdf_bytes()).hexdigest(),
            "uploaded_at": rows[0]["uploaded_at"],
        }
    ]


# --- Uploads through the API -----------------------------------------------------------------


def _upload(client, app, file, kind="other"):
    return client.post(
        f"{BASE}/{app.pk}/documents/", {"file": file, "kind": kind}, format="multipart"
    )


def test_valid_pdf_upload_is_201(client_for, draft):
    response = _upload(client_for("owner"), draft, pdf_upload("营业执照.pdf"), kind="credit")
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "credit"
    assert body["original_name"] == "营业执照.pdf"
    assert body["content_type"] == "application/pdf"
    assert body["size"] == len(pdf_bytes())
    assert body["sha256"] == hashlib.sha256(pdf_bytes()).hexdigest()
    assert draft.documents.get().pk == body["id"]


def test_renamed_elf_executable_is_refused_by_content(client_for, draft):
    upload = SimpleUploadedFile("report.pdf", ELF, content_type="application/pdf")
    response = _upload(client_for("owner"), draft, upload)
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "file"}
    assert "内容不是允许的格式" in response.json()["detail"]
    assert not draft.documents.exists()


def test_empty_file_upload_is_400(client_for, draft):
    response = _upload(client_for("owner"), draft, SimpleUploadedFile("empty.pdf", b""))
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "file"}
    assert "空文件" in response.json()["detail"]
    assert not draft.documents.exists()


def test_file_over_20_mb_is_400(client_for, draft):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * MAX_FILE_BYTES)
    response = _upload(client_for("owner"), draft, big)
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "file"}
    assert "20 MB" in response.json()["detail"]
    assert not draft.documents.exists()


def test_bad_upload_fields_are_400_with_field_message(client_for, draft):
    cases = {
        "missing_file": {"kind": "other"},
        "file_as_text": {"kind": "other", "file": "not a file"},
        "unknown_kind": {"kind": "virus", "file": "PDF"},
        "missing_kind": {"file": "PDF"},
    }
    client = client_for("owner")
    answers = {}
    for case, data in cases.items():
        data = {k: (pdf_upload() if v == "PDF" else v) for k, v in data.items()}
        response = client.post(f"{BASE}/{draft.pk}/documents/", data, format="multipart")
        answers[case] = (response.status_code, sorted(response.json()))
    assert answers == {
        "missing_file": (400, ["file"]),
        "file_as_text": (400, ["file"]),
        "unknown_kind": (400, ["kind"]),
        "missing_kind": (400, ["kind"]),
    }
    assert not draft.documents.exists()


# --- Bad form input --------------------------------------------------------------------------

ITEM = "<first item of the criteria set>"

BAD_FORM = {
    "summary_not_text": ({"summary": 123}, "summary"),
    "summary_too_long": ({"summary": "质" * 20001}, "summary"),
    "contact_name_not_text": ({"contact_name": ["张"]}, "contact_name"),
    "phone_too_short": ({"contact_phone": "12345"}, "contact_phone"),
    "phone_landline": ({"contact_phone": "0477-7654321"}, "contact_phone"),
    "phone_twelve_digits": ({"contact_phone": "139047712345"}, "contact_phone"),
    "phone_object": ({"contact_phone": {"n": "13904771234"}}, "contact_phone"),
    "indicators_not_list": ({"indicators": "2024年 1亿元"}, "indicators"),
    "indicators_wrong_year": ({"indicators": [{"year": 2020, "revenue": "1"}]}, "indicators"),
    "indicators_this_year": ({"indicators": [{"year": 2026, "revenue": "1"}]}, "indicators"),
    "indicators_year_not_number": ({"indicators": [{"year": "去年"}]}, "indicators"),
    "indicators_year_missing": ({"indicators": [{"revenue": "1"}]}, "indicators"),
    "indicators_row_not_object": ({"indicators": [2024]}, "indicators"),
    "indicators_year_twice": ({"indicators": [{"year": 2024}, {"year": 2024}]}, "indicators"),
    "revenue_not_money": ({"indicators": [{"year": 2024, "revenue": "很多"}]}, "indicators"),
    "revenue_nan": ({"indicators": [{"year": 2024, "revenue": "NaN"}]}, "indicators"),
    "revenue_infinite": ({"indicators": [{"year": 2024, "revenue": "Infinity"}]}, "indicators"),
    "revenue_negative": ({"indicators": [{"year": 2024, "revenue": "-5"}]}, "indicators"),
    "revenue_huge": ({"indicators": [{"year": 2024, "revenue": "1e30"}]}, "indicators"),
    "revenue_object": ({"indicators": [{"year": 2024, "tax": {"a": 1}}]}, "indicators"),
    "pass_rate_over_100": (
        {"indicators": [{"year": 2024, "quality_pass_rate": 100.5}]},
        "indicators",
    ),
    "pass_rate_nan": ({"indicators": [{"year": 2025, "quality_pass_rate": "NaN"}]}, "indicators"),
    "pass_rate_text": ({"indicators": [{"year": 2025, "quality_pass_rate": "高"}]}, "indicators"),
    "systems_not_list": ({"management_systems": {"standard": "ISO 9001"}}, "management_systems"),
    "systems_row_not_object": ({"management_systems": ["ISO 9001"]}, "management_systems"),
    "systems_bad_date": (
        {"management_systems": [{"standard": "ISO 9001", "valid_until": "2028-02-30"}]},
        "management_systems",
    ),
    "self_evaluation_not_list": ({"self_evaluation": {"P1": 50}}, "self_evaluation"),
    "percent_33": ({"self_evaluation": [{"item": ITEM, "percent": 33}]}, "self_evaluation"),
    "percent_abc": ({"self_evaluation": [{"item": ITEM, "percent": "abc"}]}, "self_evaluation"),
    "percent_105": ({"self_evaluation": [{"item": ITEM, "percent": 105}]}, "self_evaluation"),
    "percent_minus_5": ({"self_evaluation": [{"item": ITEM, "percent": -5}]}, "self_evaluation"),
    "percent_2_5": ({"self_evaluation": [{"item": ITEM, "percent": 2.5}]}, "self_evaluation"),
    "percent_true": ({"self_evaluation": [{"item": ITEM, "percent": True}]}, "self_evaluation"),
    "percent_object": (
        {"self_evaluation": [{"item": ITEM, "percent": {"v": 50}}]},
        "self_evaluation",
    ),
    "unknown_item_code": (
        {"self_evaluation": [{"item": "9.9.9", "percent": 50}]},
        "self_evaluation",
    ),
    "item_missing": ({"self_evaluation": [{"percent": 50}]}, "self_evaluation"),
    "self_evaluation_row_not_object": ({"self_evaluation": [ITEM]}, "self_evaluation"),
}


def _with_item(value, code: str):
    if value == ITEM:
        return code
    if isinstance(value, list):
        return [_with_item(v, code) for v in value]
    if isinstance(value, dict):
        return {k: _with_item(v, code) for k, v in value.items()}
    return value


def test_bad_form_input_is_400_naming_the_field_and_saves_nothing(client_for, draft):
    client = client_for("owner")
    code = criteria_items(draft.cycle.criteria_set_id)[0].code
    before = client.get(f"{BASE}/{draft.pk}/").json()
    answers = {}
    for case, (data, _field) in BAD_FORM.items():
        response = client.patch(f"{BASE}/{draft.pk}/", _with_item(data, code), format="json")
        body = response.json()
        well_formed = all(
            isinstance(messages, list) and all(isinstance(m, str) and m for m in messages)
            for messages in body.values()
        )
        answers[case] = (response.status_code, sorted(body), well_formed)
    assert answers == {case: (400, [field], True) for case, (_d, field) in BAD_FORM.items()}
    assert client.get(f"{BASE}/{draft.pk}/").json() == before


def test_percent_33_message_says_steps_of_5(client_for, draft):
    code = criteria_items(draft.cycle.criteria_set_id)[0].code
    response = client_for("owner").patch(
        f"{BASE}/{draft.pk}/",
        {"self_evaluation": [{"item": code, "percent": 33}]},
        format="json",
    )
    assert response.json() == {
        "self_evaluation": [f"{code}的百分比应为0到100之间5的倍数，收到33。"]
    }


def test_percent_abc_and_unknown_item_messages(client_for, draft):
    code = criteria_items(draft.cycle.criteria_set_id)[0].code
    response = client_for("owner").patch(
        f"{BASE}/{draft.pk}/",
        {
            "self_evaluation": [
                {"item": code, "percent": "abc"},
                {"item": "Z.9", "percent": 50},
            ]
        },
        format="json",
    )
    assert response.json() == {
        "self_evaluation": [
            f"{code}的百分比应为0到100之间5的倍数。",
            "评价准则中没有条款“Z.9”。",
        ]
    }


def test_indicators_for_the_wrong_year_name_the_years_wanted(client_for, draft):
    response = client_for("owner").patch(
        f"{BASE}/{draft.pk}/", {"indicators": [{"year": 2021}]}, format="json"
    )
    assert response.json() == {"indicators": ["只需填写2024年和2025年的指标，不接受2021年。"]}


def test_invalid_phone_message(client_for, draft):
    response = client_for("owner").patch(
        f"{BASE}/{draft.pk}/", {"contact_phone": "0477-123"}, format="json"
    )
    assert response.json() == {"contact_phone": ["请填写11位手机号码（以1开头）。"]}


def test_several_bad_fields_are_all_reported(client_for, draft):
    response = client_for("owner").patch(
        f"{BASE}/{draft.pk}/",
        {"contact_phone": "110", "self_evaluation": [{"item": "X.9", "percent": 50}]},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"contact_phone", "self_evaluation"}


def test_valid_partial_patch_saves_and_returns_the_form(client_for, draft):
    form = complete_form(draft)
    response = client_for("owner").patch(
        f"{BASE}/{draft.pk}/",
        {"contact_phone": " 13904771234 ", "indicators": form["indicators"]},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["contact_phone"] == "13904771234"
    assert body["indicators"] == [
        {
            "year": 2024,
            "revenue": "125000000.00",
            "profit": "8000000.00",
            "tax": "5000000.00",
            "quality_pass_rate": "99.50",
        },
        {
            "year": 2025,
            "revenue": "138000000.00",
            "profit": "-1000000.50",
            "tax": "5600000.00",
            "quality_pass_rate": "100.00",
        },
    ]


def test_non_json_or_non_object_patch_is_400(client_for, draft):
    bodies = {
        "garbage": "{not json",
        "truncated": '{"summary": ',
        "array": "[1, 2, 3]",
        "string": '"summary"',
        "null": "null",
        "number": "42",
    }
    client = client_for("owner")
    answers = {}
    for case, raw in bodies.items():
        response = client.patch(f"{BASE}/{draft.pk}/", raw, content_type="application/json")
        answers[case] = (response.status_code, list(response.json()))
    assert answers == {case: (400, ["detail"]) for case in bodies}


def test_patch_with_an_unsupported_media_type_is_refused_not_500(client_for, draft):
    response = client_for("owner").patch(
        f"{BASE}/{draft.pk}/", "summary=x", content_type="text/plain"
    )
    assert response.status_code == 415


def test_create_with_bad_cycle_is_400(client_for, stranger, open_cycle):
    bodies = {
        "text": {"cycle": "abc"},
        "unknown": {"cycle": open_cycle.pk + 999},
        "missing": {},
        "list": {"cycle": [open_cycle.pk]},
        "null": {"cycle": None},
    }
    client = client_for("other_enterprise")
    answers = {}
    for case, body in bodies.items():
        response = client.post(f"{BASE}/", body, format="json")
        answers[case] = (response.status_code, list(response.json()))
    response = client.post(f"{BASE}/", "{cycle:", content_type="application/json")
    answers["not_json"] = (response.status_code, list(response.json()))
    assert answers == {case: (400, ["cycle"]) for case in bodies} | {"not_json": (400, ["detail"])}
    assert not Application.objects.filter(organisation=stranger.organisation).exists()


def test_create_outside_the_region_is_400_R3(open_cycle):
    outsider = EnterpriseUserFactory(  # 东胜区 (150602)
        organisation=OrganisationFactory(region="东胜区", uscc=make_uscc("150602"))
    )
    response = login_api(outsider).post(f"{BASE}/", {"cycle": open_cycle.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["rule"] == "R3"
    assert "东胜区" in response.json()["detail"]


def test_create_after_the_deadline_is_400(client_for, stranger, open_cycle, monkeypatch):
    travel_to(dt.date(2026, 6, 1))
    response = client_for("other_enterprise").post(
        f"{BASE}/", {"cycle": open_cycle.pk}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "cycle"}


# --- Submitting and withdrawing --------------------------------------------------------------


def test_submit_twice_is_409(client_for, complete_draft):
    client = client_for("owner")
    first = client.post(f"{BASE}/{complete_draft.pk}/submit/")
    second = client.post(f"{BASE}/{complete_draft.pk}/submit/")
    assert (first.status_code, second.status_code) == (200, 409)
    assert list(second.json()) == ["detail"]
    assert complete_draft.versions.count() == 1


def test_incomplete_submission_is_400_naming_the_rule_R12_1(client_for, draft):
    response = client_for("owner").post(f"{BASE}/{draft.pk}/submit/")
    assert response.status_code == 400
    assert response.json()["rule"] == "R12.1"
    assert "申报单位简介" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_submission_after_the_deadline_is_400_R12_1(client_for, complete_draft, monkeypatch):
    travel_to(dt.date(2026, 6, 1))
    response = client_for("owner").post(f"{BASE}/{complete_draft.pk}/submit/")
    assert response.status_code == 400
    assert response.json()["rule"] == "R12.1"


def test_withdraw_twice_is_409(client_for, submitted):
    client = client_for("owner")
    first = client.post(f"{BASE}/{submitted.pk}/withdraw/", {"reason": "调整"}, format="json")
    second = client.post(f"{BASE}/{submitted.pk}/withdraw/")
    assert (first.status_code, second.status_code) == (200, 409)
    assert first.json()["status"] == "withdrawn"


def test_withdraw_with_a_non_json_body_is_400_not_500(client_for, submitted):
    response = client_for("owner").post(
        f"{BASE}/{submitted.pk}/withdraw/", "[oops", content_type="application/json"
    )
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


# --- Recommendations -------------------------------------------------------------------------


def test_recommender_signs_at_own_level_R12_2(client_for, submitted, industry):
    response = client_for("recommender").post(
        f"{BASE}/{submitted.pk}/recommendations/",
        {"level": "industry", "decision": "recommend", "opinion": "同意推荐"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["level"] == "industry"
    rec = Recommendation.objects.get(application=submitted)
    assert (rec.signed_by, rec.decision) == (industry, "recommend")
    listed = client_for("owner").get(f"{BASE}/{submitted.pk}/recommendations/").json()
    assert [r["id"] for r in listed] == [rec.pk]


def test_recommender_may_not_sign_at_another_level_R12_2(client_for, submitted):
    response = client_for("recommender").post(
        f"{BASE}/{submitted.pk}/recommendations/",
        {"level": "leading_group", "decision": "recommend", "opinion": "同意"},
        format="json",
    )
    assert response.status_code == 403
    assert not Recommendation.objects.exists()


def test_same_level_twice_is_409_R12_2(client_for, submitted):
    client = client_for("recommender")
    body = {"level": "industry", "decision": "recommend", "opinion": "同意推荐"}
    first = client.post(f"{BASE}/{submitted.pk}/recommendations/", body, format="json")
    second = client.post(f"{BASE}/{submitted.pk}/recommendations/", body, format="json")
    assert (first.status_code, second.status_code) == (201, 409)


def test_recommending_an_already_recommended_application_is_409_R12_2(client_for, recommended):
    response = client_for("recommender").post(
        f"{BASE}/{recommended.pk}/recommendations/",
        {"level": "industry", "decision": "decline", "opinion": "改主意"},
        format="json",
    )
    assert response.status_code == 409


def test_bad_recommendation_is_400_R12_2(client_for, submitted):
    cases = {
        "unknown_level": ({"level": "county", "decision": "recommend", "opinion": "同意"}, "level"),
        "unknown_decision": (
            {"level": "industry", "decision": "maybe", "opinion": "同意"},
            "decision",
        ),
        "empty_opinion": ({"level": "industry", "decision": "recommend", "opinion": ""}, "opinion"),
        "blank_opinion": (
            {"level": "industry", "decision": "recommend", "opinion": "   "},
            "opinion",
        ),
        "missing_opinion": ({"level": "industry", "decision": "recommend"}, "opinion"),
        "level_number": ({"level": 1, "decision": "recommend", "opinion": "同意"}, "level"),
        "decision_list": (
            {"level": "industry", "decision": ["recommend"], "opinion": "同意"},
            "decision",
        ),
    }
    client = client_for("recommender")
    url = f"{BASE}/{submitted.pk}/recommendations/"
    answers = {}
    for case, (body, _field) in cases.items():
        response = client.post(url, body, format="json")
        answers[case] = (response.status_code, _field in response.json())
    response = client.post(url, "level=", content_type="application/json")
    answers["not_json"] = (response.status_code, "detail" in response.json())
    assert answers == {case: (400, True) for case in (*cases, "not_json")}
    assert not Recommendation.objects.exists()
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


# --- Eligibility -----------------------------------------------------------------------------


def test_eligibility_checks_are_listed_with_rule_ids_R11(client_for, submitted):
    body = client_for("owner").get(f"{BASE}/{submitted.pk}/eligibility/").json()
    # R11.5 twice: the credit grade, and the serious-dishonesty list (issue 14).
    assert [c["rule"] for c in body["checks"]] == [
        "R3",
        "R11.1",
        "R11.5",
        "R11.5",
        "R11.6",
        "R21",
        "R6",
    ]
    assert [c["passed"] for c in body["checks"]] == [True] * 7


def test_accept_while_an_incident_is_recorded_is_400_with_rule_R11_6(
    client_for, recommended, office
):
    record_incident(
        organisation=recommended.organisation,
        kind="safety_accident",
        occurred_on=dt.date(2025, 8, 1),
        description="车间火灾",
        actor=office,
    )
    response = client_for("office").post(
        f"{BASE}/{recommended.pk}/eligibility/", {"decision": "accept"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["rule"] == "R11.6"
    assert "R11.6" in response.json()["detail"]
    recommended.refresh_from_db()
    assert recommended.status == S.RECOMMENDED


def test_accept_while_the_credit_grade_is_too_low_is_400_with_rule_R11_5(
    client_for, recommended, office
):
    set_credit_grade(
        organisation=recommended.organisation,
        grade="C",
        source="复评",
        rated_on=dt.date(2026, 5, 1),
        actor=office,
    )
    response = client_for("office").post(
        f"{BASE}/{recommended.pk}/eligibility/", {"decision": "accept"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["rule"] == "R11.5"
    eligibility = client_for("office").get(f"{BASE}/{recommended.pk}/eligibility/").json()
    assert [c["rule"] for c in eligibility["checks"] if not c["passed"]] == ["R11.5"]


def test_bad_eligibility_decision_is_400_R12_3(client_for, recommended):
    cases = {
        "unknown_decision": ({"decision": "maybe"}, "decision"),
        "missing_decision": ({}, "decision"),
        "decision_list": ({"decision": ["accept"]}, "decision"),
        "reject_without_reasons": ({"decision": "reject", "reasons": ""}, "reasons"),
        "return_blank_reasons": ({"decision": "return", "reasons": "  "}, "reasons"),
        "due_not_a_date": (
            {"decision": "return", "reasons": "补材料", "correction_due": "下周"},
            "correction_due",
        ),
        "due_in_the_past": (
            {"decision": "return", "reasons": "补材料", "correction_due": "2026-05-01"},
            "correction_due",
        ),
    }
    client = client_for("office")
    url = f"{BASE}/{recommended.pk}/eligibility/"
    answers = {}
    for case, (body, field) in cases.items():
        response = client.post(url, body, format="json")
        answers[case] = (response.status_code, field in response.json())
    assert answers == {case: (400, True) for case in cases}
    recommended.refresh_from_db()
    assert recommended.status == S.RECOMMENDED


def test_return_then_owner_may_patch_again_R12_3(client_for, recommended):
    response = client_for("office").post(
        f"{BASE}/{recommended.pk}/eligibility/",
        {"decision": "return", "reasons": "请补充证书", "correction_due": "2026-07-10"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    assert response.json()["correction_due"] == "2026-07-10"
    patch = client_for("owner").patch(
        f"{BASE}/{recommended.pk}/", {"brand": "补充后的品牌说明"}, format="json"
    )
    assert patch.status_code == 200
    assert patch.json()["brand"] == "补充后的品牌说明"


# --- Query parameters and ids out of range ----------------------------------------------------


def test_list_filters_by_status_and_cycle_and_refuses_bad_values(client_for, submitted):
    client = client_for("office")
    answers = {}
    for query in (
        "?status=submitted",
        "?status=draft",
        f"?cycle={submitted.cycle_id}",
        "?status=bogus",
        "?cycle=abc",
    ):
        response = client.get(f"{BASE}/{query}")
        ids = [r["id"] for r in response.json()["results"]] if response.status_code == 200 else None
        answers[query] = (response.status_code, ids)
    assert answers == {
        "?status=submitted": (200, [submitted.pk]),
        "?status=draft": (200, []),
        f"?cycle={submitted.cycle_id}": (200, [submitted.pk]),
        "?status=bogus": (400, None),
        "?cycle=abc": (400, None),
    }


def test_ids_beyond_the_integer_range_are_404_not_500(client_for, submitted, evidence):
    huge = 2**70
    client = client_for("office")
    urls = (
        f"{BASE}/{huge}/",
        f"{BASE}/{huge}/documents/",
        f"{BASE}/{submitted.pk}/documents/{huge}/file/",
        f"{BASE}/{huge}/eligibility/",
    )
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
