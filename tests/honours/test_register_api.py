"""The register of honours: GET/POST /api/v1/organisations/{id}/honours/ (API.md, "The award
ladder"): who reads, who writes, what is refused and why."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.models import AuditEntry
from honours.models import Honour
from tests.conftest import login_api
from tests.honours.conftest import TODAY, make_award

pytestmark = pytest.mark.unit

BODY = {
    "kind": "famous_brand",
    "title": "内蒙古名牌产品（液态奶）",
    "issuer": "内蒙古自治区市场监督管理局",
    "granted_on": "2025-09-01",
    "valid_until": "2028-08-31",
}


def url(org) -> str:
    return f"/api/v1/organisations/{org.pk}/honours/"


def test_office_records_an_honour_and_the_register_lists_the_portals_awards_too(
    org, office, programme
):
    make_award(programme, org, announced_on=dt.date(2024, 12, 20))
    api = login_api(office)
    response = api.post(url(org), BODY, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "famous_brand"
    assert body["granted_on"] == "2025-09-01"
    assert body["reward"] is None
    honour = Honour.objects.get(pk=body["id"])
    assert honour.created_by == office
    entry = AuditEntry.objects.get(action="honour.recorded")
    assert entry.object_id == str(honour.pk) and entry.actor == office

    listed = api.get(url(org)).json()
    assert listed["count"] == 2
    kinds = [r["kind"] for r in listed["results"]]
    assert kinds == ["famous_brand", "award"]  # newest first
    award_row = listed["results"][1]
    assert award_row["title"] == "鄂托克前旗旗长质量奖（2024年度）"
    assert award_row["valid_until"] == "2027-12-20"
    assert award_row["status"] == "active"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 200),
        ("office", 200),
        ("supervisor", 200),
        ("committee", 200),
        ("government", 200),
        ("expert", 404),
        ("recommender", 404),
        ("stranger", 404),
    ],
)
def test_who_reads_an_organisations_honours(request, org, honour, who, status):
    response = login_api(request.getfixturevalue(who)).get(url(org))
    assert response.status_code == status
    if status == 200:
        assert response.json()["results"][0]["id"] == honour.pk


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 403),
        ("supervisor", 403),
        ("committee", 403),
        ("government", 403),
        ("expert", 404),
        ("stranger", 404),
        ("office", 201),
    ],
)
def test_only_the_office_writes_honours(request, org, who, status):
    response = login_api(request.getfixturevalue(who)).post(url(org), BODY, format="json")
    assert response.status_code == status
    assert Honour.objects.count() == (1 if status == 201 else 0)


def test_anonymous_is_401_and_an_unknown_organisation_404(api, org, office):
    assert api.get(url(org)).status_code == 401
    assert login_api(office).get("/api/v1/organisations/999999/honours/").status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"granted_on": "2026-11-24"}, "granted_on", "晚于今天"),
        ({"granted_on": "2026-13-01"}, "granted_on", ""),
        ({"valid_until": "2025-09-01"}, "valid_until", "应晚于授予日期"),
        ({"valid_until": "2024-01-01"}, "valid_until", "应晚于授予日期"),
        ({"kind": "nobel_prize"}, "kind", "city_mayor_award"),
        ({"kind": "award"}, "kind", "不正确"),
        ({"title": "   "}, "title", ""),
        ({"issuer": ""}, "issuer", ""),
        ({"title": "x" * 201}, "title", ""),
    ],
)
def test_bad_input_is_400_with_a_clear_message(org, office, change, field, words):
    response = login_api(office).post(url(org), {**BODY, **change}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body, body
    assert words in body[field][0]
    assert not Honour.objects.exists()


def test_an_honour_granted_today_is_accepted_and_the_same_one_twice_is_400(org, office):
    api = login_api(office)
    body = {**BODY, "granted_on": TODAY.isoformat(), "valid_until": None}
    assert api.post(url(org), body, format="json").status_code == 201
    again = api.post(url(org), body, format="json")
    assert again.status_code == 400
    assert "已登记" in again.json()["detail"]
    assert Honour.objects.count() == 1


def test_evidence_is_checked_by_content_and_served_only_to_readers(org, office, member, stranger):
    api = login_api(office)
    fake = SimpleUploadedFile("cert.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    refused = api.post(url(org), {**BODY, "evidence": fake}, format="multipart")
    assert refused.status_code == 400
    assert "内容不是允许的格式" in refused.json()["detail"]
    pdf = SimpleUploadedFile("证书.html", b"%PDF-1.4\n%%EOF\n", content_type="text/html")
    created = api.post(url(org), {**BODY, "evidence": pdf}, format="multipart")
    assert created.status_code == 201, created.json()
    assert created.json()["evidence"] is True
    honour = Honour.objects.get()
    assert honour.evidence_name == "证书.pdf" and "证书" not in honour.evidence.name
    evidence_url = f"/api/v1/honours/{honour.pk}/evidence/"
    got = login_api(member).get(evidence_url)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert b"".join(got.streaming_content).startswith(b"%PDF")
    assert login_api(stranger).get(evidence_url).status_code == 404


def test_the_endpoints_are_in_the_openapi_schema(office):
    schema = login_api(office).get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    for path in (
        "/api/v1/organisations/{id}/honours/",
        "/api/v1/honours/{id}/reward/",
        "/api/v1/honours/import/",
        "/api/v1/programmes/{id}/overview/",
    ):
        assert path in paths, path
