"""Organisations (API.md "Organisations"): the record of an applicant, its quality credit grade
(R11.5) and its incidents (R11.6), through the API and the pages."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook
from rest_framework.test import APIClient

from common.models import AuditEntry
from organisations.models import CreditRating, Incident, Organisation
from organisations.services import record_incident
from tests.conftest import login_api
from tests.factories import EnterpriseUserFactory, OrganisationFactory, staff_user

pytestmark = pytest.mark.unit

LOGIN = "/accounts/login/"
IMPORT_URL = "/api/v1/organisations/incidents/import/"

ROLE_FIXTURES = {
    "member": "member",
    "other_enterprise": "stranger",
    "office": "office",
    "supervisor": "supervisor",
    "committee": "committee",
    "government": "government",
    "expert": "expert",
    "recommender": "recommender",
}
ROLES = ("anonymous", *ROLE_FIXTURES)


@pytest.fixture
def org(db):
    return OrganisationFactory(
        name="绿原乳业有限公司", contact_name="王", contact_phone="13900000000"
    )


@pytest.fixture
def member(org):
    return EnterpriseUserFactory(organisation=org, username="greenmilk")


@pytest.fixture
def stranger(db):
    return EnterpriseUserFactory(username="stranger")


@pytest.fixture
def recommender(programme):
    user = staff_user("recommender", programme=programme, username="industry")
    user.recommender_level = "industry"
    user.industries = "制造业,乳制品,建材,纺织"  # R12.2: the industries it oversees
    user.save()
    return user


@pytest.fixture
def api_for(request):
    def make(role: str) -> APIClient:
        if role == "anonymous":
            return APIClient()
        return login_api(request.getfixturevalue(ROLE_FIXTURES[role]))

    return make


@pytest.fixture
def browser_for(request):
    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(request.getfixturevalue(ROLE_FIXTURES[role]))
        return client

    return make


def _messages(response) -> list[str]:
    found = [str(m) for m in get_messages(response.wsgi_request)]
    response.client.cookies.pop("messages", None)
    return found


# --- Files to import ------------------------------------------------------------------------

HEADER = ["uscc", "kind", "occurred_on", "description", "status", "source"]


def _csv(rows: list[list], encoding: str = "utf-8", header: list | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _xlsx(rows: list[list], header: list | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _good_rows(org, other) -> list[list]:
    return [
        [
            org.uscc,
            "quality_accident",
            "2025-03-01",
            "批次产品抽检不合格",
            "verified",
            "市场监管局",
        ],
        [other.uscc.lower(), "violation", "2024-11-20", "虚假宣传", "", ""],
    ]


def _import(client, content: bytes, name: str = "incidents.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)}, format="multipart")


# --- GET/PATCH/incidents/import: the matrix by role ----------------------------------------------


def _call_every_endpoint(client: APIClient, org: Organisation, other: Organisation) -> dict:
    base = f"/api/v1/organisations/{org.pk}/"
    return {
        "GET": client.get(base).status_code,
        "PATCH contact": client.patch(
            base, {"contact_name": "李经理", "contact_phone": "13800001111"}, format="json"
        ).status_code,
        "PATCH credit_grade": client.patch(
            base,
            {"credit_grade": "B", "credit_grade_source": "市场监管局2026年评定"},
            format="json",
        ).status_code,
        "GET incidents": client.get(base + "incidents/").status_code,
        "POST incidents": client.post(
            base + "incidents/",
            {"kind": "violation", "occurred_on": "2025-06-01", "description": "超标排放"},
            format="json",
        ).status_code,
        "POST import": _import(client, _csv(_good_rows(org, other))).status_code,
    }


def _expect(default, **overrides) -> dict:
    names = ("GET", "PATCH contact", "PATCH credit_grade", "GET incidents", "POST incidents")
    row = {name: default for name in names} | {"POST import": 403}
    return row | {k.replace("__", " "): v for k, v in overrides.items()}


_READ_ONLY = _expect(403, GET=200, GET__incidents=200)
API_MATRIX = {
    "member": _expect(200, PATCH__credit_grade=403, POST__incidents=403),
    "other_enterprise": _expect(404),
    "anonymous": _expect(401) | {"POST import": 401},
    "office": _expect(200, POST__incidents=201) | {"POST import": 201},
    "supervisor": _READ_ONLY,
    "committee": _READ_ONLY,
    "government": _READ_ONLY,
    "expert": _expect(404),
    "recommender": _expect(404),
}


@pytest.mark.parametrize("role", ROLES)
def test_organisation_api_by_role(api_for, org, role):
    other = OrganisationFactory()
    assert _call_every_endpoint(api_for(role), org, other) == API_MATRIX[role]
    org.refresh_from_db()
    changed_contact = role in ("member", "office")
    assert (org.contact_name, org.contact_phone) == (
        ("李经理", "13800001111") if changed_contact else ("王", "13900000000")
    )
    assert org.credit_grade == ("B" if role == "office" else "A")
    assert Incident.objects.count() == (3 if role == "office" else 0)


def test_member_reads_own_organisation_with_the_record_fields(api_for, org):
    body = api_for("member").get(f"/api/v1/organisations/{org.pk}/").json()
    assert body["id"] == org.pk
    assert body["uscc"] == org.uscc
    assert body["name"] == "绿原乳业有限公司"
    assert body["credit_grade"] == "A"


def test_unknown_organisation_is_404(api_for, org):
    assert api_for("office").get(f"/api/v1/organisations/{org.pk + 99}/").status_code == 404


def test_member_cannot_set_credit_grade_R11_5(api_for, org):
    response = api_for("member").patch(
        f"/api/v1/organisations/{org.pk}/",
        {"credit_grade": "A", "credit_grade_source": "自评", "contact_name": "李"},
        format="json",
    )
    assert response.status_code == 403
    org.refresh_from_db()
    assert (org.credit_grade, org.contact_name) == ("A", "王")
    assert not CreditRating.objects.exists()


def test_member_cannot_change_the_facts_the_rules_read_R3_R11_1(api_for, org):
    """Name, kind, region and registration date are the office's to change."""
    before = Organisation.objects.values("name", "kind", "region", "registered_on").get(pk=org.pk)
    response = api_for("member").patch(
        f"/api/v1/organisations/{org.pk}/",
        {
            "name": "改名有限公司",
            "kind": "institution",
            "region": "东胜区",
            "registered_on": "2001-01-01",
        },
        format="json",
    )
    assert response.status_code < 500
    after = Organisation.objects.values("name", "kind", "region", "registered_on").get(pk=org.pk)
    assert after == before


def test_member_changing_the_facts_is_refused_403_not_silently_ignored(api_for, org):
    """API.md: 403 when the role may not do this (as for credit_grade); a 200 that quietly drops
    the change tells the caller it succeeded."""
    response = api_for("member").patch(
        f"/api/v1/organisations/{org.pk}/", {"region": "东胜区"}, format="json"
    )
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.region == "鄂托克前旗"


def test_office_changes_the_facts(api_for, org):
    response = api_for("office").patch(
        f"/api/v1/organisations/{org.pk}/",
        {"name": "绿原乳业股份有限公司", "registered_on": "2011-04-01"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["name"] == "绿原乳业股份有限公司"
    assert response.json()["registered_on"] == "2011-04-01"


def test_office_sets_credit_grade_with_source_and_history_R11_5(api_for, org, office):
    response = api_for("office").patch(
        f"/api/v1/organisations/{org.pk}/",
        {
            "credit_grade": "B",
            "credit_grade_source": "市场监管局复评",
            "credit_grade_on": "2026-02-01",
        },
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["credit_grade"], body["credit_grade_source"], body["credit_grade_on"]) == (
        "B",
        "市场监管局复评",
        "2026-02-01",
    )
    rating = CreditRating.objects.get(organisation=org)
    assert (rating.grade, rating.source, rating.rated_on, rating.recorded_by) == (
        "B",
        "市场监管局复评",
        dt.date(2026, 2, 1),
        office,
    )
    entry = AuditEntry.objects.for_object(org).get(action="organisation.credit_grade")
    assert (entry.from_state, entry.to_state, entry.actor) == ("A", "B", office)


def test_an_older_rating_is_kept_in_history_but_not_made_current_R11_5(api_for, org):
    client = api_for("office")
    url = f"/api/v1/organisations/{org.pk}/"
    client.patch(
        url,
        {"credit_grade": "A", "credit_grade_source": "2026年评定", "credit_grade_on": "2026-03-01"},
        format="json",
    )
    response = client.patch(
        url,
        {"credit_grade": "C", "credit_grade_source": "2024年评定", "credit_grade_on": "2024-03-01"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["credit_grade"] == "A"
    history = list(CreditRating.objects.values_list("grade", "rated_on"))
    assert history == [("A", dt.date(2026, 3, 1)), ("C", dt.date(2024, 3, 1))]
    assert org.credit_grade_on_date(dt.date(2025, 1, 1)).grade == "C"


def test_bad_organisation_patch_is_400_with_field_messages(api_for, org):
    cases = {
        "grade_without_source": ({"credit_grade": "B"}, "credit_grade_source"),
        "grade_blank_source": (
            {"credit_grade": "B", "credit_grade_source": ""},
            "credit_grade_source",
        ),
        "unknown_grade": ({"credit_grade": "E", "credit_grade_source": "x"}, "credit_grade"),
        "grade_null": ({"credit_grade": None, "credit_grade_source": "x"}, "credit_grade"),
        "bad_rated_on": (
            {"credit_grade": "B", "credit_grade_source": "x", "credit_grade_on": "昨天"},
            "credit_grade_on",
        ),
        "source_too_long": (
            {"credit_grade": "B", "credit_grade_source": "x" * 201},
            "credit_grade_source",
        ),
        "bad_phone": ({"contact_phone": "0477-123"}, "contact_phone"),
        "phone_number_type": ({"contact_phone": ["13800001111"]}, "contact_phone"),
        "bad_kind": ({"kind": "company"}, "kind"),
        "bad_registered_on": ({"registered_on": "2015-02-30"}, "registered_on"),
        "blank_name": ({"name": ""}, "name"),
        "name_too_long": ({"name": "名" * 201}, "name"),
        "nothing": ({}, "detail"),
        "unknown_field_only": ({"uscc": "91150623MA0000001X"}, "detail"),
    }
    client = api_for("office")
    answers = {}
    for case, (body, field) in cases.items():
        response = client.patch(f"/api/v1/organisations/{org.pk}/", body, format="json")
        answers[case] = (response.status_code, field in response.json())
    for case, raw in {"not_json": "{name", "array": "[1]"}.items():
        response = client.patch(
            f"/api/v1/organisations/{org.pk}/", raw, content_type="application/json"
        )
        answers[case] = (response.status_code, bool(response.json()))
    assert answers == {case: (400, True) for case in (*cases, "not_json", "array")}
    assert not CreditRating.objects.exists()
    org.refresh_from_db()
    assert (org.name, org.contact_phone, org.credit_grade) == (
        "绿原乳业有限公司",
        "13900000000",
        "A",
    )


# --- Incidents ------------------------------------------------------------------------------


def test_office_records_an_incident_that_R11_6_reads(api_for, org, office):
    response = api_for("office").post(
        f"/api/v1/organisations/{org.pk}/incidents/",
        {
            "kind": "safety_accident",
            "occurred_on": "2025-07-15",
            "description": "仓库火灾",
            "status": "verified",
            "source": "应急管理局",
        },
        format="json",
    )
    assert response.status_code == 201
    incident = Incident.objects.get()
    assert (incident.organisation, incident.kind, incident.status, incident.recorded_by) == (
        org,
        "safety_accident",
        "verified",
        office,
    )
    assert response.json()["id"] == incident.pk
    listed = api_for("member").get(f"/api/v1/organisations/{org.pk}/incidents/").json()
    assert [i["id"] for i in listed] == [incident.pk]


def test_bad_incident_is_400_with_field_messages_R11_6(api_for, org):
    good = {"kind": "violation", "occurred_on": "2025-06-01", "description": "超标排放"}
    cases = {
        "unknown_kind": ({**good, "kind": "fire"}, "kind"),
        "missing_kind": ({k: v for k, v in good.items() if k != "kind"}, "kind"),
        "bad_date": ({**good, "occurred_on": "去年"}, "occurred_on"),
        "impossible_date": ({**good, "occurred_on": "2025-02-30"}, "occurred_on"),
        "missing_description": ({**good, "description": ""}, "description"),
        "unknown_status": ({**good, "status": "closed"}, "status"),
        "source_too_long": ({**good, "source": "s" * 201}, "source"),
    }
    client = api_for("office")
    answers = {}
    for case, (body, field) in cases.items():
        response = client.post(f"/api/v1/organisations/{org.pk}/incidents/", body, format="json")
        answers[case] = (response.status_code, field in response.json())
    response = client.post(
        f"/api/v1/organisations/{org.pk}/incidents/", "{kind", content_type="application/json"
    )
    answers["not_json"] = (response.status_code, "detail" in response.json())
    assert answers == {case: (400, True) for case in (*cases, "not_json")}
    assert not Incident.objects.exists()


def test_incident_for_an_unknown_organisation_is_404(api_for, org):
    response = api_for("office").post(
        f"/api/v1/organisations/{org.pk + 99}/incidents/",
        {"kind": "violation", "occurred_on": "2025-06-01", "description": "x"},
        format="json",
    )
    assert response.status_code == 404


# --- Import ----------------------------------------------------------------------------------


def test_import_utf8_csv_records_every_row(api_for, org):
    other = OrganisationFactory()
    response = _import(api_for("office"), _csv(_good_rows(org, other)))
    assert response.status_code == 201
    assert response.json() == {"rows": 2, "created": 2, "errors": []}
    rows = list(
        Incident.objects.order_by("occurred_on").values_list(
            "organisation", "kind", "occurred_on", "status", "source"
        )
    )
    assert rows == [
        (other.pk, "violation", dt.date(2024, 11, 20), "reported", ""),
        (org.pk, "quality_accident", dt.date(2025, 3, 1), "verified", "市场监管局"),
    ]


def test_import_utf8_csv_with_bom(api_for, org):
    content = b"\xef\xbb\xbf" + _csv([[org.uscc, "violation", "2025-01-02", "违规", "", ""]])
    response = _import(api_for("office"), content)
    assert response.status_code == 201
    assert response.json()["created"] == 1


def test_import_gb18030_csv_with_chinese_headers_and_labels(api_for, org):
    header = ["统一社会信用代码", "类型", "发生日期", "情况说明", "核实状态", "信息来源"]
    rows = [
        [org.uscc, "重大质量事故", "2025-03-01", "批次产品抽检不合格", "已核实", "市场监管局"],
        [org.uscc, "因自身原因导致的重大投诉", "2025/04/02", "消费者集体投诉", "待核实", ""],
    ]
    content = _csv(rows, encoding="gb18030", header=header)
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    response = _import(api_for("office"), content)
    assert response.status_code == 201
    assert response.json() == {"rows": 2, "created": 2, "errors": []}
    assert sorted(Incident.objects.values_list("kind", "status", "description")) == [
        ("major_complaint", "reported", "消费者集体投诉"),
        ("quality_accident", "verified", "批次产品抽检不合格"),
    ]


def test_import_xlsx_records_every_row(api_for, org):
    other = OrganisationFactory()
    rows = [
        [
            org.uscc,
            "environmental_accident",
            dt.date(2025, 5, 6),
            "废水超标",
            "verified",
            "生态环境局",
        ],
        [other.uscc, "violation", dt.datetime(2024, 9, 1, 0, 0), "无证经营", None, None],
        [other.uscc, "重大安全事故", "2025-01-31", "车间爆炸", "已核实", "应急管理局"],
    ]
    response = _import(api_for("office"), _xlsx(rows), name="incidents.xlsx")
    assert response.status_code == 201
    assert response.json() == {"rows": 3, "created": 3, "errors": []}
    assert sorted(Incident.objects.values_list("kind", "occurred_on")) == [
        ("environmental_accident", dt.date(2025, 5, 6)),
        ("safety_accident", dt.date(2025, 1, 31)),
        ("violation", dt.date(2024, 9, 1)),
    ]


def test_csv_with_one_bad_row_imports_nothing_and_lists_the_error(api_for, org):
    rows = [
        [org.uscc, "violation", "2025-01-02", "违规", "", ""],
        ["91150623MA9999999X", "violation", "2025-01-02", "未知单位", "", ""],
        [org.uscc, "quality_accident", "2025-02-03", "事故", "", ""],
    ]
    response = _import(api_for("office"), _csv(rows))
    assert response.status_code == 400
    body = response.json()
    assert (body["rows"], body["created"]) == (3, 0)
    assert [e["row"] for e in body["errors"]] == [3]
    assert "91150623MA9999999X" in body["errors"][0]["detail"]
    assert not Incident.objects.exists()


def test_every_bad_row_is_reported_row_by_row(api_for, org):
    rows = [
        [org.uscc, "fire", "2025-01-02", "类型不对", "", ""],
        [org.uscc, "violation", "2025-01-02", "好的一行", "", ""],
        [org.uscc, "violation", "2025-13-01", "日期不对", "", ""],
        [org.uscc, "violation", "2025-01-02", "", "", ""],
        [org.uscc, "violation", "2025-01-02", "状态不对", "closed", ""],
        ["", "", "", "", "", "x"],
    ]
    response = _import(api_for("office"), _csv(rows))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [e["row"] for e in errors] == [2, 4, 5, 6, 7]
    assert "fire" in errors[0]["detail"]
    assert "2025-13-01" in errors[1]["detail"]
    assert "情况说明为空" in errors[2]["detail"]
    assert "closed" in errors[3]["detail"]
    assert "不是已注册的组织" in errors[4]["detail"]
    assert not Incident.objects.exists()


def test_xlsx_with_one_bad_row_imports_nothing(api_for, org):
    rows = [
        [org.uscc, "violation", dt.date(2025, 1, 2), "违规", None, None],
        [org.uscc, "violation", "not a date", "日期不对", None, None],
    ]
    response = _import(api_for("office"), _xlsx(rows), name="incidents.xlsx")
    assert response.status_code == 400
    assert [e["row"] for e in response.json()["errors"]] == [3]
    assert not Incident.objects.exists()


def test_error_rows_count_the_file_rows_including_blank_ones(api_for, org):
    """The row number must point at the row the person sees in the file (header = row 1)."""
    content = (
        "uscc,kind,occurred_on,description\n"
        f"{org.uscc},violation,2025-01-02,好的一行\n"
        ",,,\n"
        f"{org.uscc},fire,2025-01-02,类型不对\n"
    ).encode()
    response = _import(api_for("office"), content)
    assert response.status_code == 400
    assert [e["row"] for e in response.json()["errors"]] == [4]


def test_import_refuses_bad_files_with_400(api_for, org):
    big = b"uscc,kind,occurred_on,description\n" + b"x" * (5 * 1024 * 1024)
    cases = {
        "missing_column": _csv([[org.uscc, "violation"]], header=["uscc", "kind"]),
        "empty": b"",
        "only_blank_lines": b"\n\n,,,\n",
        "binary": b"\x00\x01\x02\x7fELF" * 100,
        "broken_xlsx": b"PK\x03\x04" + b"\x00garbage" * 50,
        "latin1": "uscc,kind\n\xff\xfe".encode("latin-1") + b"\xff",
        "too_big": big,
    }
    client = api_for("office")
    answers = {name: _import(client, content).status_code for name, content in cases.items()}
    answers["no_file"] = client.post(IMPORT_URL, {}, format="multipart").status_code
    answers["file_as_text"] = client.post(
        IMPORT_URL, {"file": "uscc,kind"}, format="multipart"
    ).status_code
    assert answers == {name: 400 for name in (*cases, "no_file", "file_as_text")}
    assert not Incident.objects.exists()


def test_import_error_body_for_a_missing_column(api_for, org):
    response = _import(api_for("office"), _csv([[org.uscc]], header=["uscc"]))
    assert response.json()["errors"] == [
        {
            "row": 1,
            "detail": "表头缺少列：kind, occurred_on, description"
            "（应为 uscc, kind, occurred_on, description, status, source）。",
        }
    ]


def test_import_as_json_is_refused_not_500(api_for):
    response = api_for("office").post(IMPORT_URL, {"file": "x"}, format="json")
    assert response.status_code == 415


# --- Pages ----------------------------------------------------------------------------------


def _status(response):
    if response.status_code == 302 and response["Location"].startswith(LOGIN):
        return "login"
    return response.status_code


PAGE_MATRIX = {
    "member": {"list": 403, "detail": 200, "import": 403, "mine": 302},
    "other_enterprise": {"list": 403, "detail": 404, "import": 403, "mine": 302},
    "anonymous": {"list": "login", "detail": "login", "import": "login", "mine": "login"},
    "office": {"list": 200, "detail": 200, "import": 200, "mine": 403},
    "supervisor": {"list": 200, "detail": 200, "import": 403, "mine": 403},
    "committee": {"list": 403, "detail": 200, "import": 403, "mine": 403},
    "government": {"list": 403, "detail": 200, "import": 403, "mine": 403},
    "expert": {"list": 403, "detail": 404, "import": 403, "mine": 403},
    "recommender": {"list": 403, "detail": 404, "import": 403, "mine": 403},
}


@pytest.mark.parametrize("role", ROLES)
def test_organisation_pages_by_role(browser_for, org, role):
    client = browser_for(role)
    urls = {
        "list": "/organisations/",
        "detail": f"/organisations/{org.pk}/",
        "import": "/organisations/incidents/import/",
        "mine": "/organisations/mine/",
    }
    assert {name: _status(client.get(url)) for name, url in urls.items()} == PAGE_MATRIX[role]


def test_my_organisation_redirects_to_its_page(browser_for, org):
    response = browser_for("member").get("/organisations/mine/")
    assert response["Location"] == f"/organisations/{org.pk}/"


def test_organisation_list_searches_by_name_and_uscc(browser_for, org):
    other = OrganisationFactory(name="宏远建材有限公司")
    client = browser_for("office")
    by_name = client.get("/organisations/", {"q": "绿原"}).content.decode()
    assert ("绿原乳业有限公司" in by_name, "宏远建材" in by_name) == (True, False)
    by_uscc = client.get("/organisations/", {"q": other.uscc.lower()}).content.decode()
    assert ("绿原乳业有限公司" in by_uscc, "宏远建材" in by_uscc) == (False, True)
    assert client.get("/organisations/", {"page": "abc"}).status_code == 200


def operation(org, data: dict) -> tuple[str, dict]:
    """Where a form of the organisation's page posts: one URL per operation (issue 10 §3)."""
    data = dict(data)
    action = data.pop("action")
    if action == "incident_status":
        return f"/organisations/{org.pk}/incidents/{data.pop('incident')}/status/", data
    paths = {"profile": "profile/", "credit": "credit/", "incident": "incidents/"}
    return f"/organisations/{org.pk}/{paths[action]}", data


@pytest.mark.parametrize("role", ("member", "office", "supervisor", "committee"))
def test_organisation_page_posts_by_role(browser_for, org, role):
    client = browser_for(role)
    posts = {
        "profile": {"action": "profile", "contact_name": "赵", "contact_phone": "13811112222"},
        "credit": {
            "action": "credit",
            "grade": "B",
            "source": "市场监管局",
            "rated_on": "2026-01-05",
        },
        "incident": {
            "action": "incident",
            "kind": "violation",
            "occurred_on": "2025-06-01",
            "description": "违规",
            "status": "reported",
        },
    }
    if role == "office":
        office_fields = {
            "name": org.name,
            "kind": org.kind,
            "region": org.region,
            "registered_on": org.registered_on.isoformat(),
        }
        posts["profile"] |= office_fields
    answers = {name: client.post(*operation(org, data)).status_code for name, data in posts.items()}
    expected = {
        "member": {"profile": 302, "credit": 403, "incident": 403},
        "office": {"profile": 302, "credit": 302, "incident": 302},
        "supervisor": {"profile": 403, "credit": 403, "incident": 403},
        "committee": {"profile": 403, "credit": 403, "incident": 403},
    }
    assert answers == expected[role]
    org.refresh_from_db()
    edits = role in ("member", "office")
    assert org.contact_name == ("赵" if edits else "王")
    assert (org.credit_grade, Incident.objects.count()) == (
        ("B", 1) if role == "office" else ("A", 0)
    )


def test_member_profile_page_does_not_change_the_facts(browser_for, org):
    response = browser_for("member").post(
        *operation(
            org,
            {
                "action": "profile",
                "name": "改名有限公司",
                "region": "东胜区",
                "registered_on": "2001-01-01",
                "contact_name": "赵",
            },
        )
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.region, org.registered_on) == (
        "绿原乳业有限公司",
        "鄂托克前旗",
        dt.date(2015, 6, 1),
    )


def test_profile_page_refuses_an_invalid_phone_like_the_api(browser_for, org):
    response = browser_for("member").post(
        *operation(org, {"action": "profile", "contact_name": "赵", "contact_phone": "not-a-phone"})
    )
    assert response.status_code == 400
    org.refresh_from_db()
    assert org.contact_phone == "13900000000"


def test_bad_office_posts_on_the_organisation_page_are_400_or_redirect(browser_for, org, office):
    incident = record_incident(
        organisation=org,
        kind="violation",
        occurred_on=dt.date(2025, 1, 1),
        description="x",
        actor=office,
    )
    client = browser_for("office")
    url = f"/organisations/{org.pk}/"
    cases = {
        "credit_bad_grade": {
            "action": "credit",
            "grade": "E",
            "source": "x",
            "rated_on": "2026-01-01",
        },
        "credit_no_source": {"action": "credit", "grade": "B", "rated_on": "2026-01-01"},
        "credit_bad_date": {"action": "credit", "grade": "B", "source": "x", "rated_on": "昨天"},
        "incident_bad_kind": {
            "action": "incident",
            "kind": "fire",
            "occurred_on": "2025-01-01",
            "description": "x",
            "status": "reported",
        },
        "profile_blank_name": {
            "action": "profile",
            "name": "",
            "kind": "enterprise",
            "region": "鄂托克前旗",
            "registered_on": "2015-06-01",
        },
        "status_bad": {"action": "incident_status", "incident": incident.pk, "status": "closed"},
        "status_unknown_incident": {
            "action": "incident_status",
            "incident": incident.pk + 99,
            "status": "verified",
        },
    }
    answers = {name: client.post(*operation(org, data)).status_code for name, data in cases.items()}
    assert answers == {
        "credit_bad_grade": 400,
        "credit_no_source": 400,
        "credit_bad_date": 400,
        "incident_bad_kind": 400,
        "profile_blank_name": 400,
        "status_bad": 302,
        "status_unknown_incident": 404,
    }
    # No operation is dispatched on a posted "action": the page itself takes no POST.
    assert client.post(url, {"action": "credit", "grade": "B"}).status_code == 405
    org.refresh_from_db()
    assert (org.name, org.credit_grade) == ("绿原乳业有限公司", "A")
    incident.refresh_from_db()
    assert incident.status == "reported"


def test_incident_status_with_a_non_numeric_incident_id_is_not_500(browser_for, org):
    response = browser_for("office").post(
        f"/organisations/{org.pk}/incidents/abc/status/", {"status": "verified"}
    )
    assert response.status_code == 404


def test_office_sets_incident_status_on_the_page(browser_for, org, office):
    incident = record_incident(
        organisation=org,
        kind="violation",
        occurred_on=dt.date(2025, 1, 1),
        description="x",
        actor=office,
    )
    response = browser_for("office").post(
        *operation(
            org, {"action": "incident_status", "incident": incident.pk, "status": "dismissed"}
        )
    )
    assert response.status_code == 302
    assert _messages(response) == ["核实状态已更新。"]
    incident.refresh_from_db()
    assert incident.status == "dismissed"


def test_import_page_imports_a_good_file(browser_for, org):
    content = _csv([[org.uscc, "violation", "2025-01-02", "违规", "", ""]], encoding="gb18030")
    response = browser_for("office").post(
        "/organisations/incidents/import/", {"file": SimpleUploadedFile("a.csv", content)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/organisations/incidents/import/"
    assert _messages(response) == ["已导入 1 条记录。"]
    assert Incident.objects.count() == 1


def test_import_page_shows_the_errors_row_by_row_and_imports_nothing(browser_for, org):
    rows = [
        [org.uscc, "violation", "2025-01-02", "违规", "", ""],
        [org.uscc, "fire", "2025-01-02", "类型不对", "", ""],
    ]
    response = browser_for("office").post(
        "/organisations/incidents/import/",
        {"file": SimpleUploadedFile("a.xlsx", _xlsx(rows))},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "第 3 行" in page
    assert "fire" in page
    assert not Incident.objects.exists()


def test_import_page_refuses_bad_files_with_400(browser_for):
    client = browser_for("office")
    cases = {
        "no_file": {},
        "binary": {"file": SimpleUploadedFile("a.csv", b"\x00\x01" * 100)},
        "broken_xlsx": {"file": SimpleUploadedFile("a.xlsx", b"PK\x03\x04junk")},
        "empty": {"file": SimpleUploadedFile("a.csv", b"")},
    }
    answers = {
        name: client.post("/organisations/incidents/import/", data).status_code
        for name, data in cases.items()
    }
    assert answers == {name: 400 for name in cases}
    assert not Incident.objects.exists()
