"""Claiming an organisation whose USCC another account registered first (issue 8 item 13,
docs/claims.md): proof, the office's decision, both sides told; pages and API per role."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.enums import ClaimStatus
from accounts.models import OrganisationClaim, User
from accounts.services.claims import decide_claim, refile_claim, submit_claim
from accounts.services.users import register_enterprise
from common.audit import verify_chain
from common.exceptions import ApplicationError, StateConflict
from common.models import AuditEntry
from notifications.models import Notification
from tests.conftest import login_api
from tests.factories import EnterpriseUserFactory, OrganisationFactory, staff_user
from tests.queries import exactly

pytestmark = pytest.mark.unit

USCC = "91440300708461136T"
PASSWORD = "a-long-passphrase-9"
ROLES = [
    "anonymous",
    "enterprise",
    "squatter",
    "claimant",
    "other_claimant",
    "office",
    "committee",
    "recommender",
    "expert",
    "supervisor",
    "government",
]


def png(name: str = "licence.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def register(username: str, uscc: str = USCC) -> User:
    return register_enterprise(
        username=username,
        password=PASSWORD,
        name="李会计" if username == "real" else "",
        organisation={
            "name": "绿原乳业有限公司",
            "uscc": uscc,
            "kind": "enterprise",
            "region": "鄂托克前旗",
            "registered_on": "2012-05-01",
            "contact_name": "李会计",
        },
    )


@pytest.fixture
def squatter(db):
    return EnterpriseUserFactory(
        username="squatter", organisation=OrganisationFactory(uscc=USCC, name="绿原乳业有限公司")
    )


@pytest.fixture
def claimant(squatter):
    return register("real")


@pytest.fixture
def claim(claimant):
    return claimant.organisation_claims.get()


@pytest.fixture
def submitted(claim, claimant):
    return submit_claim(claim=claim, licence=png(), statement="本单位从未注册。", actor=claimant)


@pytest.fixture
def people(programme, squatter, claimant, office, committee, supervisor, government, expert):
    other_org = OrganisationFactory()
    EnterpriseUserFactory(username="someone", organisation=other_org)
    other = register("other", uscc=other_org.uscc)  # a claim of their own, on another code
    return {
        "anonymous": None,
        "enterprise": EnterpriseUserFactory(username="bystander"),
        "squatter": squatter,
        "claimant": claimant,
        "other_claimant": other,
        "office": office,
        "committee": committee,
        "recommender": staff_user("recommender", programme=programme, username="rec1"),
        "expert": expert,
        "supervisor": supervisor,
        "government": government,
    }


def as_client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def as_api(user):
    if user is None:
        from rest_framework.test import APIClient

        return APIClient()
    return login_api(user)


# --- the procedure ------------------------------------------------------------------------


def test_the_claimant_is_sent_to_the_claim_on_logging_in_issue_8_item_13(client, claim):
    response = client.post("/accounts/login/", {"username": "real", "password": PASSWORD})
    assert response.url == f"/accounts/claims/{claim.pk}/"
    page = client.get(response.url).content.decode()
    assert (
        "您注册时填写的统一社会信用代码已由其他账号注册。请上传营业执照等证明材料申请认领" in page
    )
    assert "提交认领申请" in page  # the upload form
    assert 'href="/accounts/claims/mine/"' in page  # in the navigation
    mine = client.get("/accounts/claims/mine/").content.decode()
    assert f'href="/accounts/claims/{claim.pk}/"' in mine


def test_submitting_proof_tells_the_office_and_the_holders(claim, claimant, squatter, office):
    submit_claim(claim=claim, licence=png(), statement="原注册人与本单位无关。", actor=claimant)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED
    assert [(e.kind, e.content_type, e.original_name) for e in claim.evidence.all()] == [
        ("licence", "image/png", "licence.png")
    ]
    assert list(Notification.objects.filter(recipient=office).values_list("subject", "url")) == [
        ("组织认领申请待核实：绿原乳业有限公司", f"/accounts/claims/{claim.pk}/")
    ]
    note = Notification.objects.get(recipient=squatter)
    assert note.subject == "关于贵单位账号的认领申请"
    assert "real" not in note.body  # the claimant is not named to the holder
    assert not Notification.objects.filter(recipient=claimant).exists()


def test_proof_must_be_a_picture_or_pdf(claim, claimant):
    text = SimpleUploadedFile("licence.png", b"just text, not an image", content_type="image/png")
    with pytest.raises(ApplicationError, match="不是允许的格式"):
        submit_claim(claim=claim, licence=text, actor=claimant)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWAITING_EVIDENCE


def test_approval_moves_the_organisation_and_tells_both_sides_issue_8_item_13(
    submitted, claimant, squatter, office
):
    organisation = squatter.organisation
    decide_claim(claim=submitted, approve=True, reasons="已核对营业执照原件。", actor=office)
    claimant.refresh_from_db()
    squatter.refresh_from_db()
    assert claimant.organisation == organisation
    assert squatter.organisation is None
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decided_by, submitted.reasons) == (
        "approved",
        office,
        "已核对营业执照原件。",
    )
    assert (
        Notification.objects.get(recipient=claimant).subject == "认领申请已通过：绿原乳业有限公司"
    )
    assert (
        Notification.objects.get(recipient=squatter, subject__contains="不再关联").subject
        == "您的账号已不再关联“绿原乳业有限公司”"
    )
    entry = AuditEntry.objects.get(action="claim.approved")
    assert (entry.actor, entry.from_state, entry.to_state, entry.reason) == (
        office,
        "submitted",
        "approved",
        "已核对营业执照原件。",
    )
    assert entry.data["detached_users"] == [squatter.pk]
    moved = AuditEntry.objects.get(action="organisation.accounts_changed")
    assert moved.data == {"claim": submitted.pk, "added": [claimant.pk], "removed": [squatter.pk]}
    assert verify_chain().ok


def test_after_approval_each_side_sees_what_it_should(
    client, submitted, claimant, squatter, office
):
    organisation = squatter.organisation
    decide_claim(claim=submitted, approve=True, reasons="已核实。", actor=office)
    client.force_login(claimant)
    assert client.get(f"/organisations/{organisation.pk}/").status_code == 200
    client.force_login(squatter)
    assert client.get(f"/organisations/{organisation.pk}/").status_code == 404


def test_approval_can_keep_a_colleague(submitted, claimant, squatter, office):
    organisation = squatter.organisation
    decide_claim(
        claim=submitted,
        approve=True,
        reasons="同一单位的两名员工。",
        actor=office,
        keep_other_users=True,
    )
    squatter.refresh_from_db()
    claimant.refresh_from_db()
    assert squatter.organisation == organisation == claimant.organisation
    assert Notification.objects.filter(
        recipient=squatter, subject="“绿原乳业有限公司”新增了一个经核实的账号"
    ).exists()


def test_rejection_moves_nothing_and_tells_both_sides(submitted, claimant, squatter, office):
    organisation = squatter.organisation
    decide_claim(claim=submitted, approve=False, reasons="营业执照与该代码不符。", actor=office)
    squatter.refresh_from_db()
    claimant.refresh_from_db()
    assert (squatter.organisation, claimant.organisation) == (organisation, None)
    assert "营业执照与该代码不符。" in Notification.objects.get(recipient=claimant).body
    assert Notification.objects.filter(
        recipient=squatter, subject="关于贵单位账号的认领申请已处理"
    ).exists()
    again = refile_claim(claim=submitted, actor=claimant)
    assert (again.status, again.organisation, again.submitted_data) == (
        "awaiting_evidence",
        organisation,
        submitted.submitted_data,
    )


def test_a_decision_needs_reasons_and_is_made_once(submitted, office):
    with pytest.raises(ApplicationError, match="请填写核实意见"):
        decide_claim(claim=submitted, approve=True, reasons="  ", actor=office)
    decide_claim(claim=submitted, approve=False, reasons="材料不清晰。", actor=office)
    with pytest.raises(StateConflict):
        decide_claim(claim=submitted, approve=True, reasons="再次提交。", actor=office)
    assert AuditEntry.objects.filter(action__startswith="claim.").count() == 3  # filed, sub, rej


def test_a_claim_waiting_for_proof_cannot_be_decided(claim, office):
    with pytest.raises(StateConflict):
        decide_claim(claim=claim, approve=True, reasons="未见材料。", actor=office)


# --- pages ------------------------------------------------------------------------------


LIST_PAGE = {"office": 200, "supervisor": 200}


@pytest.mark.parametrize("role", ROLES)
def test_the_claim_list_page_per_role(client, people, claim, role):
    response = as_client(client, people[role]).get("/accounts/claims/")
    if role == "anonymous":
        assert response.url.startswith("/accounts/login/")
        return
    assert response.status_code == LIST_PAGE.get(role, 403)
    if response.status_code == 200:
        assert "绿原乳业有限公司" in response.content.decode()


@pytest.mark.parametrize("item_count", (1, 3))
def test_the_claim_list_page_query_count_is_constant(client, office, squatter, item_count):
    for i in range(item_count):
        register(f"real{i}")
    client.force_login(office)
    client.get("/accounts/claims/")  # the session notes the request once a minute
    with exactly(6):
        response = client.get("/accounts/claims/")
    assert response.content.decode().count('href="/accounts/claims/') == item_count + 1


SEES_CLAIM = {"claimant": 200, "office": 200, "supervisor": 200}


@pytest.mark.parametrize("role", ROLES)
def test_the_claim_page_per_role(client, people, submitted, role):
    response = as_client(client, people[role]).get(f"/accounts/claims/{submitted.pk}/")
    if role == "anonymous":
        assert response.url.startswith("/accounts/login/")
        return
    assert response.status_code == SEES_CLAIM.get(role, 404)
    if response.status_code != 200:
        return
    page = response.content.decode()
    assert "licence.png" in page
    # Only the office and the supervisor see the accounts holding the organisation.
    assert ("squatter" in page) == (role in ("office", "supervisor"))
    assert ("记录核实结论" in page) == (role == "office")


@pytest.mark.parametrize("role", ROLES)
def test_the_decision_on_the_page_per_role(client, people, submitted, role):
    response = as_client(client, people[role]).post(
        f"/accounts/claims/{submitted.pk}/decision/",
        {"decision": "approve", "reasons": "已核实营业执照。"},
    )
    expected = {"office": 302, "claimant": 403, "supervisor": 403}.get(role, 404)
    if role == "anonymous":
        assert response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == expected
    submitted.refresh_from_db()
    assert submitted.status == ("approved" if role == "office" else "submitted")


def test_the_decision_page_refuses_missing_reasons_in_chinese(client, office, submitted):
    client.force_login(office)
    response = client.post(f"/accounts/claims/{submitted.pk}/decision/", {"decision": "reject"})
    assert response.status_code == 400
    assert "请填写核实意见（R4：每项决定都须说明理由）。" in response.content.decode()


def test_the_claimant_submits_proof_on_the_page(client, claimant, claim, office):
    client.force_login(claimant)
    page = client.get(f"/accounts/claims/{claim.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    response = client.post(
        f"/accounts/claims/{claim.pk}/evidence/",
        {"licence": png(), "statement": "原注册人已离职。"},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.statement) == ("submitted", "原注册人已离职。")


def test_the_submit_form_asks_for_the_licence_in_chinese(client, claimant, claim):
    client.force_login(claimant)
    response = client.post(f"/accounts/claims/{claim.pk}/evidence/", {})
    assert response.status_code == 400
    assert "请上传营业执照或登记证书。" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_proof_file_per_role(client, people, submitted, role):
    evidence = submitted.evidence.get()
    url = f"/accounts/claims/{submitted.pk}/evidence/{evidence.pk}/"
    response = as_client(client, people[role]).get(url)
    if role == "anonymous":
        assert response.url.startswith("/accounts/login/")
        return
    assert response.status_code == SEES_CLAIM.get(role, 404)
    if response.status_code == 200:
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
        assert response["Content-Disposition"].startswith("attachment")


# --- API ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_claim_list_api_per_role(people, submitted, role):
    response = as_api(people[role]).get("/api/v1/accounts/claims/")
    expected = 401 if role == "anonymous" else LIST_PAGE.get(role, 403)
    assert response.status_code == expected
    if expected == 200:
        body = response.json()
        ids = [c["id"] for c in body["results"]]
        assert ids == list(
            OrganisationClaim.objects.order_by("-created_at", "-id").values_list("pk", flat=True)
        )
        mine = next(c for c in body["results"] if c["id"] == submitted.pk)
        assert mine["holders"] == [
            {
                "id": people["squatter"].pk,
                "username": "squatter",
                "name": people["squatter"].name,
                "email": people["squatter"].email,
                "phone": "",
            }
        ]


def test_the_claim_list_api_filters_by_status(office, submitted):
    api = login_api(office)
    assert api.get("/api/v1/accounts/claims/?status=submitted").json()["count"] == 1
    assert api.get("/api/v1/accounts/claims/?status=approved").json()["count"] == 0
    response = api.get("/api/v1/accounts/claims/?status=nope")
    assert response.status_code == 400
    assert "状态应为" in response.json()["status"][0]


@pytest.mark.parametrize("role", ROLES)
def test_the_claim_api_per_role(people, submitted, role):
    response = as_api(people[role]).get(f"/api/v1/accounts/claims/{submitted.pk}/")
    expected = 401 if role == "anonymous" else SEES_CLAIM.get(role, 404)
    assert response.status_code == expected
    if expected == 200:
        body = response.json()
        assert (body["status"], body["uscc"], body["statement"]) == (
            "submitted",
            USCC,
            "本单位从未注册。",
        )
        assert ("holders" in body) == (role != "claimant")


@pytest.mark.parametrize("role", ROLES)
def test_the_decision_api_per_role(people, submitted, role):
    response = as_api(people[role]).post(
        f"/api/v1/accounts/claims/{submitted.pk}/decision/",
        {"decision": "reject", "reasons": "营业执照与代码不符。"},
        format="json",
    )
    expected = {"anonymous": 401, "office": 200, "claimant": 403, "supervisor": 403}
    assert response.status_code == expected.get(role, 404)
    if role == "office":
        assert (response.json()["status"], response.json()["reasons"]) == (
            "rejected",
            "营业执照与代码不符。",
        )


def test_the_decision_api_twice_is_409(office, submitted):
    api = login_api(office)
    body = {"decision": "approve", "reasons": "已核实。"}
    assert api.post(f"/api/v1/accounts/claims/{submitted.pk}/decision/", body).status_code == 200
    again = api.post(f"/api/v1/accounts/claims/{submitted.pk}/decision/", body)
    assert again.status_code == 409
    assert again.json() == {"detail": "该认领申请当前为“已认领”，不能进行此操作。"}


def test_the_decision_api_refuses_bad_input_without_500(office, submitted):
    api = login_api(office)
    url = f"/api/v1/accounts/claims/{submitted.pk}/decision/"
    assert api.post(url, {"decision": "maybe", "reasons": "x"}).status_code == 400
    response = api.post(url, {"decision": "approve", "reasons": "   "}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_the_submit_api_per_role(people, claim, role):
    response = as_api(people[role]).post(
        f"/api/v1/accounts/claims/{claim.pk}/submit/",
        {"licence": png(), "statement": "原注册人已离职。"},
        format="multipart",
    )
    expected = {"anonymous": 401, "claimant": 200, "office": 403, "supervisor": 403}
    assert response.status_code == expected.get(role, 404)
    claim.refresh_from_db()
    assert claim.status == ("submitted" if role == "claimant" else "awaiting_evidence")
    if role == "claimant":
        [evidence] = response.json()["evidence"]
        assert (
            evidence["file"]
            == f"/api/v1/accounts/claims/{claim.pk}/evidence/{evidence['id']}/file/"
        )
        file = login_api(people["claimant"]).get(evidence["file"])
        assert b"".join(file.streaming_content).startswith(b"\x89PNG")


def test_the_submit_api_twice_is_409(claimant, claim):
    api = login_api(claimant)
    url = f"/api/v1/accounts/claims/{claim.pk}/submit/"
    assert api.post(url, {"licence": png()}, format="multipart").status_code == 200
    assert api.post(url, {"licence": png()}, format="multipart").status_code == 409


def test_me_lists_the_claims(claimant, claim):
    assert login_api(claimant).get("/api/v1/accounts/me/").json()["claims"] == [
        {"id": claim.pk, "status": "awaiting_evidence", "uscc": USCC}
    ]


@pytest.mark.parametrize("role", ROLES)
def test_refiling_a_rejected_claim_on_the_page_per_role(client, people, submitted, office, role):
    decide_claim(claim=submitted, approve=False, reasons="材料不清晰。", actor=office)
    response = as_client(client, people[role]).post(f"/accounts/claims/{submitted.pk}/refile/")
    expected = {"claimant": 302, "office": 403, "supervisor": 403}.get(role, 404)
    if role == "anonymous":
        assert response.url.startswith("/accounts/login/")
        return
    assert response.status_code == expected
    claims = OrganisationClaim.objects.filter(claimant=submitted.claimant).order_by("pk")
    if role == "claimant":
        new = claims.last()
        assert new.pk != submitted.pk and response.url == f"/accounts/claims/{new.pk}/"
        # A second click refiles nothing more: the new claim is open, the old one is not.
        again = client.post(f"/accounts/claims/{submitted.pk}/refile/", follow=True)
        assert again.status_code == 200
        assert claims.count() == 2
    else:
        assert claims.count() == 1
