"""Registration gives one answer whatever exists (issue 8 item 13): the same status, body and
work whether the username or the USCC is new or taken."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

from accounts.models import OrganisationClaim, User
from accounts.services.users import REGISTRATION_RECEIVED, register_enterprise
from common.models import AuditEntry
from organisations.models import Organisation
from tests.factories import EnterpriseUserFactory, OrganisationFactory, make_uscc

pytestmark = pytest.mark.unit

PASSWORD = "a-long-passphrase-9"
TAKEN_USCC = "91440300708461136T"


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast, as in the test settings) that counts the passwords it hashes."""

    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


@pytest.fixture
def holder(db):
    """An account already holding the organisation with TAKEN_USCC, username 'taken'."""
    return EnterpriseUserFactory(
        username="taken", organisation=OrganisationFactory(uscc=TAKEN_USCC, name="绿原乳业有限公司")
    )


def api_body(username: str, uscc: str, **extra) -> dict:
    return {
        "username": username,
        "password": PASSWORD,
        "organisation": {
            "name": "绿原乳业有限公司",
            "uscc": uscc,
            "kind": "enterprise",
            "region": "鄂托克前旗",
            "registered_on": "2012-05-01",
        },
        **extra,
    }


def page_form(username: str, uscc: str, **extra) -> dict:
    return {
        "username": username,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "name": "张经理",
        "email": "",
        "phone": "13900000000",
        "org_name": "绿原乳业有限公司",
        "uscc": uscc,
        "kind": "enterprise",
        "region": "鄂托克前旗",
        "registered_on": "2012-05-01",
        "industry": "",
        **extra,
    }


# (username, USCC) for: both new, code taken, username taken, username taken in other case.
CASES = [("fresh", "new"), ("fresh", "taken"), ("taken", "new"), ("TAKEN", "taken")]


def _uscc(which: str) -> str:
    return TAKEN_USCC if which == "taken" else make_uscc()


def test_the_api_answers_alike_whatever_exists_issue_8_item_13(api, holder):
    answers = set()
    for i, (username, uscc) in enumerate(CASES):
        body = api_body(f"{username}{i}" if username == "fresh" else username, _uscc(uscc))
        response = api.post("/api/v1/accounts/register/", body, format="json")
        answers.add((response.status_code, response.headers["Content-Type"], response.content))
    assert answers == {
        (201, "application/json", f'{{"detail":"{REGISTRATION_RECEIVED}"}}'.encode()),
    }


def test_the_page_answers_alike_whatever_exists_issue_8_item_13(client, programme, holder):
    answers = set()
    for i, (username, uscc) in enumerate(CASES):
        form = page_form(f"{username}{i}" if username == "fresh" else username, _uscc(uscc))
        response = client.post("/accounts/register/", form)
        answers.add((response.status_code, response.url))
        assert "_auth_user_id" not in client.session
    assert answers == {(302, "/accounts/register/done/")}
    page = client.get("/accounts/register/done/").content.decode()
    assert str(REGISTRATION_RECEIVED) in page


@pytest.mark.parametrize(("username", "uscc"), CASES)
def test_every_outcome_hashes_the_password_once_issue_8_item_13(
    settings, api, holder, username, uscc
):
    """The work (and so the time, dominated by the password hash) is the same in every case."""
    settings.PASSWORD_HASHERS = ["tests.accounts.test_registration.CountingHasher"]
    CountingHasher.calls = 0
    body = api_body(username, _uscc(uscc))
    response = api.post("/api/v1/accounts/register/", body, format="json")
    assert response.status_code == 201
    assert CountingHasher.calls == 1


def test_a_new_username_and_code_create_both(holder):
    user = register_enterprise(
        username="fresh", password=PASSWORD, organisation=api_body("x", make_uscc())["organisation"]
    )
    assert user.organisation.name == "绿原乳业有限公司"
    assert not OrganisationClaim.objects.exists()


def test_a_taken_code_creates_the_user_without_it_and_files_a_claim_issue_8_item_13(holder):
    user = register_enterprise(
        username="real", password=PASSWORD, organisation=api_body("x", TAKEN_USCC)["organisation"]
    )
    assert user.organisation is None
    assert user.check_password(PASSWORD)
    claim = OrganisationClaim.objects.get()
    assert (claim.claimant, claim.organisation, claim.status, claim.uscc) == (
        user,
        holder.organisation,
        "awaiting_evidence",
        TAKEN_USCC,
    )
    assert claim.submitted_data["registered_on"] == "2012-05-01"
    holder.refresh_from_db()
    assert holder.organisation.uscc == TAKEN_USCC  # nothing moves before the office decides
    assert AuditEntry.objects.filter(action="claim.filed", object_id=str(claim.pk)).count() == 1


@pytest.mark.parametrize("username", ["taken", "Taken"])
def test_a_taken_username_creates_nothing_issue_8_item_13(holder, username):
    result = register_enterprise(
        username=username,
        password=PASSWORD,
        organisation=api_body("x", make_uscc())["organisation"],
    )
    assert result is None
    assert list(User.objects.values_list("username", flat=True)) == ["taken"]
    assert Organisation.objects.count() == 1
    assert not OrganisationClaim.objects.exists()
    entry = AuditEntry.objects.get(action="registration.username_taken")
    assert (entry.actor_role, entry.data) == ("public", {"username": username})


@pytest.mark.parametrize("username", ["fresh", "taken"])
def test_input_errors_do_not_depend_on_what_exists_issue_8_item_13(api, holder, username):
    weak = api.post(
        "/api/v1/accounts/register/",
        {**api_body(username, TAKEN_USCC), "password": "12345678"},
        format="json",
    )
    assert weak.status_code == 400
    assert sorted(weak.json()) == ["password"]
    bad_code = api.post(
        "/api/v1/accounts/register/", api_body(username, TAKEN_USCC[:-1] + "X"), format="json"
    )
    assert bad_code.json() == {
        "organisation": {"uscc": ["统一社会信用代码校验位不正确，请核对后重新输入。"]}
    }


def test_the_page_shows_no_username_taken_error(client, programme, holder):
    response = client.post("/accounts/register/", page_form("taken", make_uscc(), password2="x"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "输入的两个密码不一致。" in page
    assert "已存在" not in page and "已被使用" not in page


def test_after_a_taken_username_the_login_fails_and_the_done_page_said_what_that_means(
    client, programme, holder
):
    client.post("/accounts/register/", page_form("taken", make_uscc()))
    response = client.post("/accounts/login/", {"username": "taken", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "可能是该用户名已被他人使用" in str(REGISTRATION_RECEIVED)
