"""Who may do what with awards (API.md "Awards", RULES.md R13, R19-R22), role by role.

Every awards endpoint and every awards page is called by: the holder's enterprise user, another
enterprise, an anonymous visitor, the office, the committee, the supervisor (reads everything,
writes nothing, R22), the government, a recommender, an expert and a staff member holding every
role in another programme. The matrix asserts the status of each call and that a refused call
changes nothing. Then bad input (never a 500, always a message), the rules the endpoints enforce
(R13, R19, R20, R21, R6), and what the public may never see.
"""

import datetime as dt
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.enums import Role
from applications.enums import ApplicationStatus
from awards.enums import AwardStatus, CaseStatus
from awards.models import Award, Ban, Case, Certificate, LedgerEntry, Visit
from awards.services import certificates
from awards.services.certificates import queue_certificates
from awards.services.ledger import record_owed, record_payment
from awards.services.sanctions import decide_case, open_case
from common.models import AuditEntry
from programmes.enums import CycleStatus
from tests.awards.conftest import make_award
from tests.factories import (
    ApplicationFactory,
    ApplicationVersionFactory,
    AwardFactory,
    CycleFactory,
    EnterpriseUserFactory,
    OrganisationFactory,
    ProgrammeFactory,
    staff_user,
)

pytestmark = pytest.mark.unit

D = dt.date
LOGIN = "/accounts/login/"
# A stand-in for a rendered PDF: the real renderer runs in two tests only (it takes a second).
STUB_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


AWARD_OPERATIONS = {
    "payment": "payments/",
    "other_reward": "rewards/",
    "clawback": "clawbacks/",
    "visit": "visits/",
    "case": "cases/",
    "reissue": "reissue/",
    "recovered": "recovered/",
}


def award_operation(base: str, data: dict) -> tuple[str, dict]:
    """Where a form of the award's page posts: one URL per operation (issue 10 §3)."""
    data = dict(data)
    action = data.pop("action")
    if action in ("decide", "approve"):
        step = "decision" if action == "decide" else "approval"
        return f"{base}cases/{data.pop('case')}/{step}/", data
    return f"{base}{AWARD_OPERATIONS[action]}", data


def _id(value) -> str | None:
    """Readable test ids for dicts of changed fields: ``amount=-5.00``."""
    if isinstance(value, dict):
        return ",".join(f"{k}={str(v)[:12]}" for k, v in value.items()) or "empty"
    return None


ROLES = (
    "holder",
    "stranger",
    "anonymous",
    "office",
    "committee",
    "supervisor",
    "government",
    "recommender",
    "expert",
    "foreign",
)


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def recommender(programme):
    user = staff_user(Role.RECOMMENDER, programme=programme, username="recommender1")
    user.recommender_level = "industry"
    user.industries = "制造业,乳制品,建材,纺织"  # R12.2: the industries it oversees
    user.save()
    return user


@pytest.fixture
def stranger(db):
    """An enterprise user of another organisation."""
    return EnterpriseUserFactory(username="stranger")


@pytest.fixture
def foreign(db):
    """Holds every staff role, but serves another programme."""
    other = ProgrammeFactory(code="otherqq", name="鄂托克旗旗长质量奖", region="150624")
    return staff_user(list(Role.values), programme=other, username="foreign")


@pytest.fixture
def world(programme, office, committee):
    """An award (announced 2025-06-01, inside its R21 watch window) with a rendered certificate,
    an open case (for the committee) and a case awaiting the government's approval, plus an
    organisation without an award (for imports) and a cycle not yet in publicity."""
    award = make_award(
        programme, announced_on=D(2025, 6, 1), office=office, name="绿原乳业有限公司"
    )
    (certificate,) = queue_certificates(awards=[award], actor=office)
    certificate.pdf.save("stub.pdf", ContentFile(STUB_PDF), save=True)
    open_ = open_case(
        award=award,
        trigger="complaints",
        occurred_on=D(2026, 3, 1),
        description="重大质量投诉查实",
        actor=office,
    )
    pending = open_case(
        award=award,
        trigger="spot_check_failed",
        occurred_on=D(2026, 5, 1),
        description="市级抽检不合格",
        actor=office,
    )
    decide_case(case=pending, sanction="revoke", reasons="抽检严重不合格", actor=committee)
    return SimpleNamespace(
        award=award,
        certificate=certificate,
        open_case=open_,
        pending_case=pending,
        holder=award.organisation.users.get(),
        other_org=OrganisationFactory(name="历史获奖企业有限公司"),
        cycle=CycleFactory(programme=programme, year=2026),
    )


def user_for(request, world, role: str):
    if role == "anonymous":
        return None
    if role == "holder":
        return world.holder
    return request.getfixturevalue(role)


def api_as(user) -> APIClient:
    client = APIClient()
    client.raise_request_exception = False  # a crash is a 500 answer, as a real client sees it
    if user is not None:
        client.force_authenticate(user)
    return client


def browser_as(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def status_of(response) -> int | str:
    """The status; ``"login"`` for a redirect to the login page."""
    if response.status_code == 302 and response["Location"].startswith(LOGIN):
        return "login"
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # read to the end: closes the file
    return response.status_code


def messages_of(response) -> list[str]:
    """The messages queued so far; taken, so the next response shows only its own."""
    found = [str(m) for m in get_messages(response.wsgi_request)]
    response.client.cookies.pop("messages", None)
    return found


def snapshot(w) -> dict:
    """Everything a call on the award could change."""
    return {
        "awards": Award.objects.count(),
        "award_status": Award.objects.get(pk=w.award.pk).status,
        "ledger": LedgerEntry.objects.count(),
        "visits": Visit.objects.count(),
        "cases": Case.objects.count(),
        "open_case": Case.objects.get(pk=w.open_case.pk).status,
        "pending_case": Case.objects.get(pk=w.pending_case.pk).status,
        "certificates": Certificate.objects.count(),
        "bans": Ban.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def assert_changes(before: dict, after: dict, changes: dict) -> None:
    """``after`` is ``before`` with ``changes`` applied (ints add, strings replace); every
    change is recorded in the audit trail, and without changes nothing is recorded."""
    expected = {
        k: (v + changes[k] if isinstance(changes.get(k), int) else changes.get(k, v))
        for k, v in before.items()
    }
    if changes:
        assert after["audit"] > before["audit"]
    else:
        assert after["audit"] == before["audit"]
    after, expected = dict(after), dict(expected)
    after.pop("audit")
    expected.pop("audit")
    assert after == expected


# --- the API matrix ---------------------------------------------------------------------------

API_CALLS = (
    "registry",
    "verify",
    "certificate",
    "visits",
    "import",
    "visit",
    "case",
    "payment",
    "decision",
    "approve",
)
_API_NOT_VISIBLE = (200, 200, 404, 404, 403, 404, 404, 404, 404, 404)
API_EXPECTED = {
    "holder": (200, 200, 200, 403, 403, 403, 403, 403, 404, 404),
    "stranger": _API_NOT_VISIBLE,
    "anonymous": (200, 200, 401, 401, 401, 401, 401, 401, 401, 401),
    "office": (200, 200, 200, 200, 201, 201, 201, 201, 403, 403),
    "committee": (200, 200, 200, 200, 403, 403, 403, 403, 200, 403),
    "supervisor": (200, 200, 200, 200, 403, 403, 403, 403, 403, 403),
    "government": (200, 200, 200, 200, 403, 403, 403, 403, 403, 200),
    "recommender": _API_NOT_VISIBLE,
    "expert": _API_NOT_VISIBLE,
    "foreign": _API_NOT_VISIBLE,
}
API_CHANGES = {
    "office": {"awards": 1, "visits": 1, "cases": 1, "ledger": 1},
    "committee": {"open_case": CaseStatus.CLOSED},
    "government": {
        "pending_case": CaseStatus.CLOSED,
        "award_status": AwardStatus.REVOKED,
        "bans": 1,
    },
}


def api_calls(w) -> dict[str, tuple[str, str, dict | None]]:
    base = f"/api/v1/awards/{w.award.pk}/"
    return {
        "registry": ("get", "/api/v1/awards/", None),
        "verify": ("get", f"/api/v1/public/verify/{w.award.code}/", None),
        "certificate": ("get", base + "certificate.pdf", None),
        "visits": ("get", base + "visits/", None),
        "import": (
            "post",
            "/api/v1/awards/import/",
            {
                "organisation": w.other_org.pk,
                "programme": w.award.programme_id,
                "year": 2020,
                "announced_on": "2020-12-01",
            },
        ),
        "visit": (
            "post",
            base + "visits/",
            {
                "visited_on": "2026-10-08",
                "visitors": "张伟、李娜",
                "findings": "质量管理体系运行正常",
            },
        ),
        "case": (
            "post",
            base + "cases/",
            {"trigger": "accident", "occurred_on": "2026-09-01", "description": "重大安全事故"},
        ),
        "payment": (
            "post",
            base + "payments/",
            {"amount": "30000.00", "on": "2026-11-01", "reference": "财拨2026-01"},
        ),
        "decision": (
            "post",
            f"/api/v1/cases/{w.open_case.pk}/decision/",
            {"sanction": "warning", "reasons": "情节较轻，予以警告"},
        ),
        "approve": ("post", f"/api/v1/cases/{w.pending_case.pk}/approve-revocation/", {}),
    }


@pytest.mark.parametrize("role", ROLES)
def test_api_permission_matrix(request, world, role):
    """API.md: 401 anonymous, 403 the role may not, 404 not visible; only the office records
    imports, visits (R19), cases (R20/R21) and payments (R13), only the committee decides and
    only the government approves a revocation; a refused call changes nothing."""
    client = api_as(user_for(request, world, role))
    before = snapshot(world)
    got = {}
    for name, (method, url, data) in api_calls(world).items():
        if method == "get":
            got[name] = status_of(client.get(url))
        else:
            got[name] = status_of(client.post(url, data, format="json"))
    assert got == dict(zip(API_CALLS, API_EXPECTED[role], strict=True))
    assert_changes(before, snapshot(world), API_CHANGES.get(role, {}))


def test_api_office_writes_are_what_was_asked(office, world):
    client = api_as(office)
    calls = api_calls(world)
    body = client.post(calls["payment"][1], calls["payment"][2], format="json").json()
    assert [Decimal(body[k]) for k in ("owed", "paid", "outstanding")] == [
        Decimal("100000.00"),
        Decimal("30000.00"),
        Decimal("70000.00"),
    ]
    body = client.post(calls["visit"][1], calls["visit"][2], format="json").json()
    assert (body["visited_on"], body["visitors"]) == ("2026-10-08", "张伟、李娜")
    body = client.post(calls["case"][1], calls["case"][2], format="json").json()
    assert (body["trigger"], body["status"], body["award"]) == ("accident", "open", world.award.pk)
    body = client.post(calls["import"][1], calls["import"][2], format="json").json()
    assert (body["organisation"], body["year"], body["status"]) == (
        "历史获奖企业有限公司",
        2020,
        "expired",
    )


def test_api_committee_decides_and_government_approves(committee, government, world):
    body = api_as(committee).post(*api_calls(world)["decision"][1:], format="json").json()
    assert (body["status"], body["sanction"]) == ("closed", "warning")
    body = api_as(government).post(*api_calls(world)["approve"][1:], format="json").json()
    assert body["status"] == "closed"
    world.award.refresh_from_db()
    assert (world.award.status, world.award.revoked_on) == ("revoked", D(2026, 11, 23))


# --- the page matrix --------------------------------------------------------------------------

PAGE_CALLS = (
    "registry",
    "verify",
    "publicity",
    "announcements",
    "exposures",
    "office_list",
    "import_page",
    "detail",
    "certificate",
    "dossier_pdf",
    "dossier_xlsx",
    "approvals",
    "import_post",
    "payment",
    "other_reward",
    "clawback",
    "visit",
    "case",
    "reissue",
    "recovered",
    "decide",
    "approve",
    "approvals_post",
)
# Rows follow PAGE_CALLS in four groups: the 5 public pages | office_list, import_page, detail,
# certificate, dossier_pdf, dossier_xlsx, approvals, import_post | the office's 7 actions on the
# award (payment .. recovered) | decide, approve, approvals_post.
_PUBLIC = (200, 200, 200, 200, 200)
_NO_WRITE = (403,) * 7  # payment .. recovered
_NOT_VISIBLE = (403, 403, 404, 404, 404, 404, 403, 403, *(404,) * 7, 404, 404)
PAGE_EXPECTED = {
    "holder": (
        *_PUBLIC,
        *(403, 403, 200, 200, 403, 403, 403, 403),
        *_NO_WRITE,
        *(403, 403, 404),
    ),
    "stranger": (*_PUBLIC, *_NOT_VISIBLE, 404),
    "anonymous": (*_PUBLIC, *("login",) * 18),
    "office": (
        *_PUBLIC,
        *(200, 200, 200, 200, 200, 200, 403, 302),
        *(302,) * 7,
        *(403, 403, 403),
    ),
    "committee": (
        *_PUBLIC,
        *(200, 403, 200, 200, 200, 200, 403, 403),
        *_NO_WRITE,
        *(302, 403, 403),
    ),
    "supervisor": (
        *_PUBLIC,
        *(200, 403, 200, 200, 200, 200, 403, 403),
        *_NO_WRITE,
        *(403, 403, 403),
    ),
    "government": (
        *_PUBLIC,
        *(200, 403, 200, 200, 200, 200, 200, 403),
        *_NO_WRITE,
        *(403, 302, 302),
    ),
    "recommender": (*_PUBLIC, *_NOT_VISIBLE, 403),
    "expert": (*_PUBLIC, *_NOT_VISIBLE, 403),
    # Holds the office role elsewhere: the import form offers only its own programmes (400).
    "foreign": (
        *_PUBLIC,
        *(200, 200, 404, 404, 404, 404, 200, 400),
        *(404,) * 7,
        *(404, 404, 404),
    ),
}
PAGE_CHANGES = {
    "office": {"awards": 1, "ledger": 2, "visits": 1, "cases": 1, "certificates": 1},
    "committee": {"open_case": CaseStatus.CLOSED},
    "government": {
        "pending_case": CaseStatus.CLOSED,
        "award_status": AwardStatus.REVOKED,
        "bans": 1,
    },
}


def page_calls(w) -> dict[str, tuple[str, str, dict | None]]:
    base = f"/awards/{w.award.pk}/"
    return {
        "registry": ("get", "/awards/", None),
        "verify": ("get", f"/verify/{w.award.code}/", None),
        "publicity": ("get", "/publicity/", None),
        "announcements": ("get", "/announcements/", None),
        "exposures": ("get", "/exposures/", None),
        "office_list": ("get", "/awards/office/", None),
        "import_page": ("get", "/awards/import/", None),
        "detail": ("get", base, None),
        "certificate": ("get", f"{base}certificates/{w.certificate.pk}/", None),
        "dossier_pdf": ("get", base + "dossier.pdf", None),
        "dossier_xlsx": ("get", base + "dossier.xlsx", None),
        "approvals": ("get", "/approvals/", None),
        "import_post": (
            "post",
            "/awards/import/one/",
            {
                "organisation": w.other_org.pk,
                "programme": w.award.programme_id,
                "year": 2020,
                "announced_on": "2020-12-01",
            },
        ),
        "payment": (
            "post",
            base,
            {"action": "payment", "amount": "30000.00", "on": "2026-11-01", "reference": "A1"},
        ),
        "other_reward": (
            "post",
            base,
            {"action": "other_reward", "reward": "city_mayor_award", "on": "2026-11-01"},
        ),
        "clawback": (
            "post",
            base,
            {"action": "clawback", "amount": "10.00", "on": "2026-11-01", "reference": "Z1"},
        ),
        "visit": (
            "post",
            base,
            {
                "action": "visit",
                "visited_on": "2026-10-08",
                "visitors": "张伟、李娜",
                "findings": "质量管理体系运行正常",
            },
        ),
        "case": (
            "post",
            base,
            {
                "action": "case",
                "trigger": "accident",
                "occurred_on": "2026-09-01",
                "description": "重大安全事故",
            },
        ),
        "reissue": ("post", base, {"action": "reissue", "reason": "单位更名"}),
        "recovered": ("post", base, {"action": "recovered"}),
        "decide": (
            "post",
            base,
            {
                "action": "decide",
                "case": w.open_case.pk,
                "sanction": "warning",
                "reasons": "情节较轻，予以警告",
            },
        ),
        "approve": ("post", base, {"action": "approve", "case": w.pending_case.pk}),
        "approvals_post": ("post", "/approvals/", {"cycle": w.cycle.pk}),
    }


@pytest.mark.parametrize("role", ROLES)
def test_page_permission_matrix(request, world, role, monkeypatch):
    """Public pages open to all; staff pages send the anonymous to the login page; 403 when
    the role may not, 404 when the award is not visible; the supervisor reads everything and
    changes nothing (R22); a refused action changes nothing."""
    monkeypatch.setattr("awards.views.dossier_pdf", lambda award: STUB_PDF)
    client = browser_as(user_for(request, world, role))
    before = snapshot(world)
    got = {}
    for name, (method, url, data) in page_calls(world).items():
        if method == "post" and data and "action" in data:
            url, data = award_operation(url, data)
        response = client.get(url) if method == "get" else client.post(url, data)
        got[name] = status_of(response)
    assert got == dict(zip(PAGE_CALLS, PAGE_EXPECTED[role], strict=True))
    assert_changes(before, snapshot(world), PAGE_CHANGES.get(role, {}))


def test_page_office_sees_only_its_programmes_awards(foreign, office, world):
    assert "绿原乳业有限公司" in browser_as(office).get("/awards/office/").content.decode()
    assert "绿原乳业有限公司" not in browser_as(foreign).get("/awards/office/").content.decode()


def test_page_actions_show_only_to_the_role_that_may_use_them(
    office, committee, supervisor, government, world
):
    def forms(user) -> set[str]:
        page = browser_as(user).get(f"/awards/{world.award.pk}/").content.decode()
        posts = set(re.findall(r'<form method="post" action="([^"]+)"', page))
        base = f"/awards/{world.award.pk}/"
        wanted = {
            "payment": f"{base}payments/",
            "visit": f"{base}visits/",
            "case": f"{base}cases/",
            "decide": f"{base}cases/{world.open_case.pk}/decision/",
            "approve": f"{base}cases/{world.pending_case.pk}/approval/",
        }
        return {name for name, url in wanted.items() if url in posts}

    assert forms(office) == {"payment", "visit", "case"}
    assert forms(committee) == {"decide"}
    assert forms(government) == {"approve"}
    assert forms(supervisor) == set()


def test_certificate_404_until_rendered_then_holder_and_staff_download(
    programme, office, supervisor, stranger, foreign
):
    """API.md: the holder and staff get the certificate PDF, 404 until the worker rendered it;
    everyone else 404 (anonymous 401). Renders one real certificate."""
    award = make_award(programme, announced_on=D(2025, 6, 1), name="绿原乳业有限公司")
    holder = award.organisation.users.get()
    (certificate,) = queue_certificates(awards=[award], actor=office)
    api_url = f"/api/v1/awards/{award.pk}/certificate.pdf"
    page_url = f"/awards/{award.pk}/certificates/{certificate.pk}/"
    assert status_of(api_as(holder).get(api_url)) == 404
    assert status_of(api_as(office).get(api_url)) == 404
    assert status_of(browser_as(holder).get(page_url)) == 404

    certificates.render(certificate_id=certificate.pk)

    response = api_as(holder).get(api_url)
    content = b"".join(response.streaming_content)
    assert (response.status_code, response["Content-Type"], content[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )
    assert response["Cache-Control"] == "private, no-store"
    got = {
        "supervisor": status_of(api_as(supervisor).get(api_url)),
        "stranger": status_of(api_as(stranger).get(api_url)),
        "foreign": status_of(api_as(foreign).get(api_url)),
        "anonymous": status_of(api_as(None).get(api_url)),
        "holder_page": status_of(browser_as(holder).get(page_url)),
        "stranger_page": status_of(browser_as(stranger).get(page_url)),
        "anonymous_page": status_of(browser_as(None).get(page_url)),
    }
    assert got == {
        "supervisor": 200,
        "stranger": 404,
        "foreign": 404,
        "anonymous": 401,
        "holder_page": 200,
        "stranger_page": 404,
        "anonymous_page": "login",
    }


def test_certificate_of_an_award_without_one_is_404(programme, office):
    award = make_award(programme)
    assert status_of(api_as(office).get(f"/api/v1/awards/{award.pk}/certificate.pdf")) == 404
    assert status_of(api_as(office).get("/api/v1/awards/999999/certificate.pdf")) == 404


def test_dossier_supervisor_reads_real_pdf_and_xlsx(supervisor, world):
    """R22: the supervisor reads the dossier; a made-up format is 404. One real PDF render."""
    client = browser_as(supervisor)
    base = f"/awards/{world.award.pk}/"
    response = client.get(base + "dossier.pdf")
    assert (response.status_code, response.content[:5]) == (200, b"%PDF-")
    assert response["Content-Disposition"] == f'attachment; filename="dossier-{world.award.pk}.pdf"'
    response = client.get(base + "dossier.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [sheet["A1"].value, sheet["B1"].value] == ["组织名称", "绿原乳业有限公司"]
    assert client.get(base + "dossier.doc").status_code == 404


# --- bad input via the API: 400 with a message, never 500 ---------------------------------------


@pytest.fixture
def office_api(office):
    return api_as(office)


def _field_error(response, field: str) -> str:
    """The message of a 400 that names ``field``."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    message = body[field][0] if isinstance(body[field], list) else body[field]
    assert isinstance(message, str)
    assert message.strip() != ""
    return message


PAYMENT = {"amount": "100.00", "on": "2026-11-01", "reference": "财拨2026-01"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-5.00"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "0.001"}, "amount"),
        ({"amount": "1.005"}, "amount"),
        ({"amount": "123456789012345678"}, "amount"),
        ({"amount": "1e20"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": "十万元"}, "amount"),
        ({"amount": ["100"]}, "amount"),
        ({"amount": {"value": "100"}}, "amount"),
        ({"on": "2026-13-01"}, "on"),
        ({"on": "2026-02-30"}, "on"),
        ({"on": "yesterday"}, "on"),
        ({"reference": ""}, "reference"),
        ({"reference": "x" * 101}, "reference"),
    ],
    ids=_id,
)
def test_R13_api_payment_bad_input_is_400_and_records_nothing(office_api, world, change, field):
    before = LedgerEntry.objects.count()
    response = office_api.post(
        f"/api/v1/awards/{world.award.pk}/payments/", {**PAYMENT, **change}, format="json"
    )
    _field_error(response, field)
    assert LedgerEntry.objects.count() == before


def test_R13_api_payment_of_huge_json_number_is_400(office_api, world):
    response = office_api.post(
        f"/api/v1/awards/{world.award.pk}/payments/",
        '{"amount": 1e400, "on": "2026-11-01", "reference": "A1"}',
        content_type="application/json",
    )
    _field_error(response, "amount")


def test_R13_api_payment_beyond_what_is_owed_is_400_rule_R13(office_api, world):
    url = f"/api/v1/awards/{world.award.pk}/payments/"
    assert office_api.post(url, {**PAYMENT, "amount": "60000"}, format="json").status_code == 201
    response = office_api.post(url, {**PAYMENT, "amount": "40000.01"}, format="json")
    body = response.json()
    assert (response.status_code, body["rule"]) == (400, "R13")
    assert body["detail"].startswith("支付金额40,000.01元超过应付未付金额40,000")
    response = office_api.post(url, {**PAYMENT, "amount": "40000.00"}, format="json")
    assert (response.status_code, Decimal(response.json()["outstanding"])) == (201, Decimal(0))
    response = office_api.post(url, {**PAYMENT, "amount": "0.01"}, format="json")
    assert (response.status_code, response.json()["rule"]) == (400, "R13")


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/awards/import/", "[1, 2]"),
        ("/api/v1/awards/{award}/visits/", '[{"visited_on": "2026-10-08"}]'),
        ("/api/v1/awards/{award}/cases/", '[{"trigger": "accident"}]'),
        ("/api/v1/awards/{award}/payments/", '[{"amount": "100"}]'),
        ("/api/v1/awards/{award}/payments/", '"100.00"'),
        ("/api/v1/awards/{award}/payments/", "42"),
        ("/api/v1/awards/{award}/payments/", '{"amount": '),
    ],
)
def test_api_lists_scalars_or_broken_json_instead_of_an_object_is_400(office_api, world, url, body):
    before = snapshot(world)
    response = office_api.post(
        url.format(award=world.award.pk), body, content_type="application/json"
    )
    assert response.status_code == 400
    (messages,) = response.json().values()  # {"non_field_errors": [...]} or {"detail": "..."}
    message = messages[0] if isinstance(messages, list) else messages
    assert message.strip() != ""
    assert_changes(before, snapshot(world), {})


def test_api_decision_with_a_list_body_is_400(committee, world):
    response = api_as(committee).post(
        f"/api/v1/cases/{world.open_case.pk}/decision/",
        '[{"sanction": "warning"}]',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert Case.objects.get(pk=world.open_case.pk).status == CaseStatus.OPEN


def test_api_approve_revocation_ignores_a_list_body(government, world):
    """The approval needs no body; a list where an optional reason would be is no error."""
    response = api_as(government).post(
        f"/api/v1/cases/{world.pending_case.pk}/approve-revocation/",
        "[1, 2]",
        content_type="application/json",
    )
    assert (response.status_code, response.json()["status"]) == (200, "closed")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/awards/abc/visits/",
        "/api/v1/awards/abc/cases/",
        "/api/v1/awards/abc/payments/",
        "/api/v1/awards/-1/payments/",
        "/api/v1/awards/999999/payments/",
        "/api/v1/cases/abc/decision/",
        "/api/v1/cases/999999/decision/",
        "/api/v1/cases/999999/approve-revocation/",
    ],
)
def test_api_unknown_or_non_numeric_ids_are_404(office, committee, government, world, url):
    user = {"decision": committee, "approve-revocation": government}.get(
        url.rstrip("/").rsplit("/", 1)[-1], office
    )
    assert api_as(user).post(url, PAYMENT, format="json").status_code == 404


VISIT = {"visited_on": "2026-10-08", "visitors": "张伟、李娜", "findings": "质量管理体系运行正常"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"visited_on": "2026-13-01"}, "visited_on"),
        ({"visited_on": "08/10/2026"}, "visited_on"),
        ({"visited_on": "2026-12-01"}, "visited_on"),  # after today
        ({"visited_on": "2025-05-31"}, "visited_on"),  # before the announcement
        ({"findings": ""}, "findings"),
        ({"findings": "   "}, "findings"),
        ({"visitors": "x" * 201}, "visitors"),
        ({"visitors": ["张伟"]}, "visitors"),
    ],
    ids=_id,
)
def test_R19_api_visit_bad_input_is_400_and_records_nothing(office_api, world, change, field):
    response = office_api.post(
        f"/api/v1/awards/{world.award.pk}/visits/", {**VISIT, **change}, format="json"
    )
    _field_error(response, field)
    assert Visit.objects.count() == 0


def test_R19_api_visit_attachment_is_checked_by_content(office_api, world):
    response = office_api.post(
        f"/api/v1/awards/{world.award.pk}/visits/",
        {**VISIT, "attachment": SimpleUploadedFile("巡访报告.pdf", ELF)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "PDF、JPEG、PNG、DOCX、XLSX" in response.json()["detail"]
    assert Visit.objects.count() == 0


def test_R19_api_visit_recorded_and_listed_for_staff_only(office_api, supervisor, world):
    response = office_api.post(f"/api/v1/awards/{world.award.pk}/visits/", VISIT, format="json")
    assert response.status_code == 201
    listed = api_as(supervisor).get(f"/api/v1/awards/{world.award.pk}/visits/").json()
    assert [(v["visited_on"], v["findings"]) for v in listed] == [
        ("2026-10-08", "质量管理体系运行正常")
    ]
    assert api_as(world.holder).get(f"/api/v1/awards/{world.award.pk}/visits/").status_code == 403


CASE = {"trigger": "accident", "occurred_on": "2026-09-01", "description": "重大安全事故"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"trigger": "bogus"}, "trigger"),
        ({"trigger": ""}, "trigger"),
        ({"trigger": ["accident"]}, "trigger"),
        ({"occurred_on": "2026-13-01"}, "occurred_on"),
        ({"occurred_on": 20260901}, "occurred_on"),
        ({"occurred_on": "2026-12-01"}, "occurred_on"),  # after today
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
    ],
    ids=_id,
)
def test_api_case_bad_input_is_400_and_opens_nothing(office_api, world, change, field):
    before = Case.objects.count()
    response = office_api.post(
        f"/api/v1/awards/{world.award.pk}/cases/", {**CASE, **change}, format="json"
    )
    _field_error(response, field)
    assert Case.objects.count() == before


def test_R21_api_accident_outside_the_watch_window_is_400_rule_R21(programme, office_api):
    award = make_award(programme, announced_on=D(2023, 1, 10))  # watch window to 2025-01-10
    response = office_api.post(
        f"/api/v1/awards/{award.pk}/cases/",
        {**CASE, "occurred_on": "2025-01-11"},
        format="json",
    )
    body = response.json()
    assert (response.status_code, body["rule"]) == (400, "R21")
    assert body["detail"] == "第二十一条情形须发生在获奖后2年内（2023-01-10至2025-01-10）。"
    assert Case.objects.filter(award=award).count() == 0
    # The anniversary itself is still inside (RULES.md: one date helper, ends included).
    response = office_api.post(
        f"/api/v1/awards/{award.pk}/cases/", {**CASE, "occurred_on": "2025-01-10"}, format="json"
    )
    assert response.status_code == 201


def test_R21_api_accident_before_the_announcement_is_400_rule_R21(office_api, world):
    response = office_api.post(
        f"/api/v1/awards/{world.award.pk}/cases/",
        {**CASE, "occurred_on": "2025-05-31"},
        format="json",
    )
    assert (response.status_code, response.json()["rule"]) == (400, "R21")


def test_R20_api_fraud_case_any_time(programme, office_api):
    award = make_award(programme, announced_on=D(2020, 1, 10))
    response = office_api.post(
        f"/api/v1/awards/{award.pk}/cases/",
        {"trigger": "fraud", "occurred_on": "2019-05-01", "description": "伪造检测报告"},
        format="json",
    )
    assert (response.status_code, response.json()["trigger"]) == (201, "fraud")


def test_R21_api_case_on_a_revoked_award_is_409(office_api, government, world):
    assert (
        api_as(government)
        .post(f"/api/v1/cases/{world.pending_case.pk}/approve-revocation/")
        .status_code
        == 200
    )
    response = office_api.post(f"/api/v1/awards/{world.award.pk}/cases/", CASE, format="json")
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"sanction": "bogus", "reasons": "理由"}, "sanction"),
        ({"sanction": "", "reasons": "理由"}, "sanction"),
        ({"sanction": "warning"}, "reasons"),
        ({"sanction": "warning", "reasons": "  "}, "reasons"),
    ],
    ids=_id,
)
def test_R21_api_decision_bad_input_is_400(committee, world, data, field):
    response = api_as(committee).post(
        f"/api/v1/cases/{world.open_case.pk}/decision/", data, format="json"
    )
    _field_error(response, field)
    assert Case.objects.get(pk=world.open_case.pk).status == CaseStatus.OPEN


def test_R21_api_deciding_twice_is_409(committee, world):
    client = api_as(committee)
    url = f"/api/v1/cases/{world.open_case.pk}/decision/"
    data = {"sanction": "circular", "reasons": "通报批评"}
    assert client.post(url, data, format="json").status_code == 200
    response = client.post(url, {"sanction": "revoke", "reasons": "改判"}, format="json")
    assert response.status_code == 409
    case = Case.objects.get(pk=world.open_case.pk)
    assert (case.status, case.sanction) == (CaseStatus.CLOSED, "circular")


def test_R21_api_approving_twice_is_409(government, world):
    client = api_as(government)
    url = f"/api/v1/cases/{world.pending_case.pk}/approve-revocation/"
    assert client.post(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 409
    assert response.json()["detail"] == "该案件不在待批准撤销状态。"
    assert Ban.objects.filter(award=world.award).count() == 1


def test_R21_api_approving_a_case_not_yet_decided_is_409(government, world):
    response = api_as(government).post(f"/api/v1/cases/{world.open_case.pk}/approve-revocation/")
    assert response.status_code == 409
    assert Award.objects.get(pk=world.award.pk).status == AwardStatus.ACTIVE


IMPORT = {"year": 2020, "announced_on": "2020-12-01"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"organisation": "abc"}, "organisation"),
        ({"organisation": 999999}, "organisation"),
        ({"organisation": [1]}, "organisation"),
        ({"programme": "abc"}, "programme"),
        ({"year": "二〇二〇"}, "year"),
        ({"year": "2020.5"}, "year"),
        ({"year": 1989}, "year"),
        ({"year": "9" * 40}, "year"),
        ({"year": 2027}, "year"),  # after this year
        ({"announced_on": "2026-13-01"}, "announced_on"),
        ({"announced_on": "2026-12-01"}, "announced_on"),  # after today
        ({"announced_on": "2023-01-01"}, "announced_on"),  # not in the year or the next
    ],
    ids=_id,
)
def test_api_import_bad_input_is_400_and_creates_nothing(office_api, world, change, field):
    before = Award.objects.count()
    data = {
        "organisation": world.other_org.pk,
        "programme": world.award.programme_id,
        **IMPORT,
        **change,
    }
    _field_error(office_api.post("/api/v1/awards/import/", data, format="json"), field)
    assert Award.objects.count() == before


def test_R6_api_import_valid_three_years_from_announcement(office_api, world, programme):
    data = {"organisation": world.other_org.pk, "programme": programme.pk}
    expired = office_api.post(
        "/api/v1/awards/import/",
        {**data, "year": 2022, "announced_on": "2022-12-01"},
        format="json",
    ).json()
    assert (expired["valid_until"], expired["status"]) == ("2025-12-01", "expired")
    active = office_api.post(
        "/api/v1/awards/import/",
        {**data, "year": 2023, "announced_on": "2024-01-10"},
        format="json",
    ).json()
    assert (active["valid_until"], active["status"]) == ("2027-01-10", "active")
    again = office_api.post(
        "/api/v1/awards/import/",
        {**data, "year": 2023, "announced_on": "2024-01-10"},
        format="json",
    )
    assert _field_error(again, "year") == "该组织该年度的奖项已登记。"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?status=bogus", 400),
        ("?uscc=" + "X" * 40, 400),
        ("?q=" + "绿" * 101, 400),
        ("?page=abc", 404),
        ("?page=999", 404),
        ("?page_size=abc", 200),
        ("?page_size=-5", 200),
        ("?uscc=%00", 400),
        ("?status=active&status=revoked", 200),
    ],
)
def test_api_registry_bad_query_never_500(api, world, query, status):
    assert api.get("/api/v1/awards/" + query).status_code == status


# --- bad input on the pages: a message, never 500 ----------------------------------------------


@pytest.fixture
def office_browser(office):
    return browser_as(office)


def _post_detail(client, w, data):
    return client.post(*award_operation(f"/awards/{w.award.pk}/", data))


@pytest.mark.parametrize("action", ["bogus", "", "DELETE", "payment;drop", "payment"])
def test_page_takes_no_posted_action_and_changes_nothing(office_browser, world, action):
    """One view per operation (issue 10 §3): the award's page itself takes no POST."""
    before = snapshot(world)
    response = office_browser.post(f"/awards/{world.award.pk}/", {"action": action, "amount": "1"})
    assert response.status_code == 405
    assert_changes(before, snapshot(world), {})


@pytest.mark.parametrize(
    "change",
    [
        {"amount": "-5"},
        {"amount": "0"},
        {"amount": "1.005"},
        {"amount": "abc"},
        {"amount": "1e20"},
        {"amount": "NaN"},
        {"amount": ""},
        {"on": "2026-13-01"},
        {"on": "abc"},
        {"reference": ""},
    ],
    ids=_id,
)
def test_R13_page_payment_bad_input_is_a_message_and_records_nothing(office_browser, world, change):
    before = snapshot(world)
    data = {"action": "payment", "amount": "100.00", "on": "2026-11-01", "reference": "A1"}
    response = _post_detail(office_browser, world, {**data, **change})
    assert response.status_code == 302
    (message,) = messages_of(response)
    assert message.strip() != ""
    assert_changes(before, snapshot(world), {})


def test_R13_page_payment_beyond_what_is_owed_names_R13(office_browser, world):
    before = snapshot(world)
    data = {"action": "payment", "amount": "100000.01", "on": "2026-11-01", "reference": "A1"}
    response = _post_detail(office_browser, world, data)
    assert response.status_code == 302
    assert messages_of(response) == ["R13：支付金额100,000.01元超过应付未付金额100,000.00元。"]
    assert_changes(before, snapshot(world), {})


def test_page_other_reward_of_unknown_kind_is_a_message(office_browser, world):
    before = snapshot(world)
    response = _post_detail(
        office_browser, world, {"action": "other_reward", "reward": "bogus", "on": "2026-11-01"}
    )
    assert response.status_code == 302
    assert len(messages_of(response)) == 1
    assert_changes(before, snapshot(world), {})


def test_R20_page_clawback_with_nothing_to_recover_names_R20(office_browser, world):
    before = snapshot(world)
    data = {"action": "clawback", "amount": "10", "on": "2026-11-01", "reference": "Z1"}
    response = _post_detail(office_browser, world, data)
    assert response.status_code == 302
    assert messages_of(response) == ["R20：追回金额10.00元超过应追缴未追回金额0.00元。"]
    assert_changes(before, snapshot(world), {})


@pytest.mark.parametrize(
    "change",
    [
        {"visited_on": "2026-13-01"},
        {"visited_on": "abc"},
        {"findings": ""},
        {"visitors": "x" * 201},
    ],
    ids=_id,
)
def test_R19_page_visit_bad_input_is_400_with_the_form(office_browser, world, change):
    data = {"action": "visit", "visited_on": "2026-10-08", "visitors": "张伟", "findings": "正常"}
    response = _post_detail(office_browser, world, {**data, **change})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert Visit.objects.count() == 0


def test_R19_page_visit_in_the_future_is_a_message(office_browser, world):
    data = {"action": "visit", "visited_on": "2026-12-01", "visitors": "张伟", "findings": "正常"}
    response = _post_detail(office_browser, world, data)
    assert response.status_code == 302
    assert messages_of(response) == ["巡访日期不能晚于今天。"]
    assert Visit.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [{"occurred_on": "2026-13-01"}, {"trigger": "bogus"}, {"description": ""}],
    ids=_id,
)
def test_page_case_bad_input_is_400_with_the_form(office_browser, world, change):
    before = Case.objects.count()
    data = {"action": "case", **CASE}
    response = _post_detail(office_browser, world, {**data, **change})
    assert response.status_code == 400
    assert Case.objects.count() == before


def test_R21_page_accident_outside_the_watch_window_names_R21(programme, office_browser):
    award = make_award(programme, announced_on=D(2023, 1, 10))
    response = office_browser.post(
        *award_operation(
            f"/awards/{award.pk}/", {"action": "case", **CASE, "occurred_on": "2025-01-11"}
        )
    )
    assert response.status_code == 302
    assert messages_of(response) == [
        "R21：第二十一条情形须发生在获奖后2年内（2023-01-10至2025-01-10）。"
    ]
    assert Case.objects.filter(award=award).count() == 0


@pytest.mark.parametrize("case_id", ["abc", "1.5", "-1", "999999", ""])
def test_page_decide_with_a_bad_case_id_is_404(committee, world, case_id):
    """A non-numeric or unknown case id is "no such case" (404), not a crash."""
    before = snapshot(world)
    data = {"action": "decide", "case": case_id, "sanction": "warning", "reasons": "警告"}
    response = _post_detail(browser_as(committee), world, data)
    assert response.status_code == 404
    assert_changes(before, snapshot(world), {})


@pytest.mark.parametrize("case_id", ["abc", "999999", ""])
def test_page_approve_with_a_bad_case_id_is_404(government, world, case_id):
    before = snapshot(world)
    response = _post_detail(browser_as(government), world, {"action": "approve", "case": case_id})
    assert response.status_code == 404
    assert_changes(before, snapshot(world), {})


def test_page_decide_a_case_of_another_award_is_404(programme, office, committee, world):
    other = make_award(programme, announced_on=D(2025, 6, 1))
    foreign_case = open_case(
        award=other,
        trigger="losses",
        occurred_on=D(2026, 6, 1),
        description="严重亏损",
        actor=office,
    )
    data = {"action": "decide", "case": foreign_case.pk, "sanction": "warning", "reasons": "警告"}
    assert _post_detail(browser_as(committee), world, data).status_code == 404
    assert Case.objects.get(pk=foreign_case.pk).status == CaseStatus.OPEN


def test_R21_page_approving_twice_is_a_message_and_one_ban(government, world):
    client = browser_as(government)
    data = {"action": "approve", "case": world.pending_case.pk}
    assert messages_of(_post_detail(client, world, data)) == ["已批准撤销奖项。"]
    response = _post_detail(client, world, data)
    assert response.status_code == 302
    assert messages_of(response) == ["该案件不在待批准撤销状态。"]
    assert Ban.objects.filter(award=world.award).count() == 1


@pytest.mark.parametrize("cycle_id", ["abc", "999999", ""])
def test_page_approvals_with_a_bad_cycle_id_is_404(government, world, cycle_id):
    response = browser_as(government).post("/approvals/", {"cycle": cycle_id})
    assert response.status_code == 404


def test_page_approvals_of_a_cycle_not_in_publicity_is_a_message(government, world):
    response = browser_as(government).post("/approvals/", {"cycle": world.cycle.pk})
    assert response.status_code == 302
    assert messages_of(response) == ["拟获奖名单尚未公示。"]


@pytest.mark.parametrize(
    "change",
    [
        {"organisation": "abc"},
        {"programme": "abc"},
        {"year": "abc"},
        {"year": "-1"},
        {"announced_on": "2026-13-01"},
        {"announced_on": "2026-12-01"},
    ],
    ids=_id,
)
def test_page_import_bad_input_is_400_and_creates_nothing(office_browser, world, change):
    before = Award.objects.count()
    data = {
        "organisation": world.other_org.pk,
        "programme": world.award.programme_id,
        **IMPORT,
    }
    response = office_browser.post("/awards/import/one/", {**data, **change})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert Award.objects.count() == before


def test_page_import_posts_to_one_operation_each_never_to_the_page(office_browser, world):
    """Issue 10 §3: no dispatch on a hidden field: the page itself takes no post."""
    before = Award.objects.count()
    data = {"which": "one", "organisation": world.other_org.pk, **IMPORT}
    data["programme"] = world.award.programme_id
    assert office_browser.post("/awards/import/", data).status_code == 405
    assert Award.objects.count() == before


def test_page_import_of_a_file_that_is_not_xlsx_is_400(office_browser, world):
    response = office_browser.post(
        "/awards/import/file/",
        {
            "programme": world.award.programme_id,
            "file": SimpleUploadedFile("awards.xlsx", ELF),
        },
    )
    assert response.status_code == 400
    assert "无法读取该XLSX文件。" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/awards/abc/",
        "/awards/999999/",
        "/awards/999999/dossier.pdf",
        "/awards/{award}/dossier.doc",
        "/awards/{award}/certificates/abc/",
        "/awards/{award}/certificates/999999/",
        "/verify/" + "a" * 500 + "/",
        "/verify/%00/",
        "/awards/?page=abc&status=bogus&q=" + "x" * 300,
    ],
)
def test_page_unknown_or_malformed_urls_never_500(office_browser, world, url):
    status = office_browser.get(url.format(award=world.award.pk)).status_code
    expected = 200 if url.startswith("/awards/?") else 400 if "%00" in url else 404
    assert status == expected


# --- what the public may never see ---------------------------------------------------------------


@pytest.fixture
def awarded_with_secrets(programme, office):
    """An award from a real application, with contact data, form content and paid money."""
    org = OrganisationFactory(
        name="草原机械有限公司", contact_name="王建国", contact_phone="13912345678"
    )
    holder = EnterpriseUserFactory(organisation=org)
    cycle = CycleFactory(
        programme=programme,
        year=2025,
        opens_on=D(2025, 3, 1),
        submission_deadline=D(2025, 5, 31),
        recommendation_deadline=D(2025, 6, 30),
        announced_on=D(2025, 12, 20),
        status=CycleStatus.CLOSED,
    )
    app = ApplicationFactory(
        cycle=cycle,
        organisation=org,
        status=ApplicationStatus.AWARDED,
        summary="本公司核心配方为保密工艺甲乙丙",
        innovation="独家专利工艺丁戊己",
        contact_name="李秘书",
        contact_phone="13887654321",
        indicators=[{"year": 2024, "revenue": "98765432.10", "profit": "7654321.00"}],
    )
    ApplicationVersionFactory(
        application=app,
        number=1,
        submitted_at=timezone.now(),
        submitted_by=holder,
        content={"summary": app.summary, "contact_phone": app.contact_phone},
    )
    award = AwardFactory(
        organisation=org,
        programme=programme,
        cycle=cycle,
        application=app,
        year=2025,
        announced_on=D(2025, 12, 20),
        valid_until=D(2028, 12, 20),
    )
    record_owed(award=award, actor=office, on=D(2025, 12, 20))
    record_payment(
        award=award, amount="12345.67", on=D(2026, 1, 5), reference="财拨2026-07", actor=office
    )
    return award


SECRETS = (
    "王建国",
    "13912345678",
    "李秘书",
    "13887654321",
    "保密工艺甲乙丙",
    "丁戊己",
    "98765432",
    "12345.67",
    "12,345",
    "100000",
    "100,000",
    "财拨2026-07",
)


def test_verify_page_and_api_never_show_contacts_content_or_money(api, awarded_with_secrets):
    award = awarded_with_secrets
    response = api.get(f"/api/v1/public/verify/{award.code}/")
    body = response.json()
    assert set(body) == {
        "valid",
        "status",
        "organisation",
        "programme",
        "year",
        "announced_on",
        "valid_until",
        "revoked_on",
    }
    assert (body["valid"], body["organisation"]) == (True, "草原机械有限公司")
    page = Client().get(f"/verify/{award.code}/").content.decode()
    assert "草原机械有限公司" in page
    for text in (response.content.decode(), page):
        assert [s for s in SECRETS if s in text] == []


def test_public_lists_never_show_contacts_content_or_money(api, awarded_with_secrets):
    client = Client()
    pages = {
        "registry_api": api.get("/api/v1/awards/").content.decode(),
        "registry": client.get("/awards/").content.decode(),
        "announcements": client.get("/announcements/").content.decode(),
        "exposures": client.get("/exposures/").content.decode(),
    }
    assert "草原机械有限公司" in pages["announcements"]
    assert {name: [s for s in SECRETS if s in text] for name, text in pages.items()} == {
        name: [] for name in pages
    }


def test_holder_page_shows_no_ledger_visits_or_cases(office, world):
    record_payment(
        award=world.award, amount="12345.67", on=D(2026, 1, 5), reference="财拨-9", actor=office
    )
    page = browser_as(world.holder).get(f"/awards/{world.award.pk}/").content.decode()
    assert [
        s for s in ("12345.67", "财拨-9", "重大质量投诉查实", "市级抽检不合格") if s in page
    ] == []


def test_confidential_uploads_are_never_reachable_by_a_public_url(
    office_api, supervisor, stranger, world
):
    """Visit attachments (R19) and case evidence (R20, R21) are stored outside any served
    path: neither the answers nor the pages carry a link to them, and guessing the storage path
    under MEDIA_URL, /media/ or / finds nothing, for the public and for the holder alike."""
    base = f"/api/v1/awards/{world.award.pk}/"
    visit = office_api.post(
        base + "visits/",
        {**VISIT, "attachment": SimpleUploadedFile("巡访报告.pdf", STUB_PDF)},
        format="multipart",
    )
    case = office_api.post(
        base + "cases/",
        {**CASE, "evidence": SimpleUploadedFile("举报证据.pdf", STUB_PDF)},
        format="multipart",
    )
    assert (visit.status_code, case.status_code) == (201, 201)
    stored = [
        Visit.objects.get().attachment.name,
        Case.objects.get(pk=case.json()["id"]).evidence.name,
    ]
    assert all(stored)
    answers = [
        visit.content.decode(),
        case.content.decode(),
        api_as(supervisor).get(base + "visits/").content.decode(),
    ]
    for text in answers:
        assert [s for s in [*stored, settings.MEDIA_URL, "巡访报告", "举报证据"] if s in text] == []
    guesses = [prefix + name for name in stored for prefix in (settings.MEDIA_URL, "/media/", "/")]
    for client in (Client(), browser_as(world.holder), browser_as(stranger)):
        assert {url: client.get(url).status_code for url in guesses} == {
            url: 404 for url in guesses
        }
    staff_page = browser_as(supervisor).get(f"/awards/{world.award.pk}/").content.decode()
    assert "巡访报告.pdf" in staff_page  # the name is shown to staff, but never as a link
    assert [s for s in [*stored, settings.MEDIA_URL] if s in staff_page] == []
    public = [
        Client().get(url).content.decode()
        for url in ("/awards/", f"/verify/{world.award.code}/", "/announcements/", "/exposures/")
    ]
    public.append(browser_as(world.holder).get(f"/awards/{world.award.pk}/").content.decode())
    for text in public:
        assert [s for s in [*stored, "巡访报告", "举报证据"] if s in text] == []
