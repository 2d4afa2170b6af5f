"""Two-factor login (issue 8, "Two-factor login"): TOTP with django-otp, open to every staff
account, required for the office, committee, government and supervisor of a programme whose
``require_two_factor`` is on; the pages, the admin and the API token all follow it.

Codes are computed as an authenticator app does: django_otp.oath.TOTP from the device key, at
the device's fixed 30-second step (the device accepts one step either side)."""

import time
from base64 import b32encode

import pytest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services.two_factor import STATE_KEY, two_factor_required
from common.models import AuditEntry
from tests.conftest import login_api
from tests.factories import EnterpriseUserFactory, ProgrammeFactory, staff_user

pytestmark = pytest.mark.unit

PASSWORD = "correct-horse-battery"  # the factories' password
STAFF_ROLES = ["office", "committee", "recommender", "expert", "supervisor", "government"]
MUST_ROLES = {"office", "committee", "government", "supervisor"}


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong(device: TOTPDevice) -> str:
    """A code of ten steps ahead: well outside the accepted window."""
    return code(device, steps_ahead=10)


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)


@pytest.fixture
def strict_programme(programme):
    programme.require_two_factor = True
    programme.save(update_fields=["require_two_factor"])
    return programme


@pytest.fixture
def no_throttle(settings):
    # django-otp makes a user wait 1, 2, 4 ... s after a wrong code; these tests try again
    # at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def password_step(client, username="office1", next_url=""):
    data = {"username": username, "password": PASSWORD}
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


# --- who must, who may -----------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
@pytest.mark.parametrize("flag", [False, True])
def test_who_must_use_two_factors_per_role_and_setting(programme, role, flag):
    programme.require_two_factor = flag
    programme.save()
    user = staff_user(role, programme=programme)
    assert two_factor_required(user) == (flag and role in MUST_ROLES)


def test_only_programmes_the_user_serves_count(programme):
    ProgrammeFactory(code="city", require_two_factor=True)
    office = staff_user("office", programme=programme)
    everything = staff_user("office", programme=None)  # serves all programmes
    assert not two_factor_required(office)
    assert two_factor_required(everything)


def test_enterprise_users_never_must(strict_programme):
    assert not two_factor_required(EnterpriseUserFactory())


# --- enrolment ------------------------------------------------------------------------------


def test_enrolment_shows_the_qr_code_and_the_secret_and_a_code_confirms_it(
    client, office, no_throttle
):
    client.force_login(office)
    page = client.get("/accounts/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user=office)
    assert not device.confirmed
    secret = b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in page
    assert '<img src="data:image/svg+xml' in page
    # Reloading keeps the secret the app has scanned.
    client.get("/accounts/two-factor/")
    assert list(TOTPDevice.objects.filter(user=office)) == [device]

    response = client.post("/accounts/two-factor/", {"otp": wrong(device)})
    assert response.status_code == 400
    assert "动态验证码不正确或已使用过" in response.content.decode()
    response = client.post("/accounts/two-factor/", {"otp": code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert AuditEntry.objects.filter(action="two_factor.enabled", actor=office).count() == 1
    assert "已启用" in client.get("/accounts/two-factor/").content.decode()


@pytest.mark.parametrize("role", ["anonymous", "enterprise", "claimant", *STAFF_ROLES])
def test_the_enrolment_page_per_role(client, programme, role):
    if role == "enterprise":
        client.force_login(EnterpriseUserFactory())
    elif role == "claimant":  # an account with neither organisation nor role
        from tests.factories import UserFactory

        client.force_login(UserFactory())
    elif role != "anonymous":
        client.force_login(staff_user(role, programme=programme, is_staff=False))
    response = client.get("/accounts/two-factor/")
    if role == "anonymous":
        assert response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == (200 if role in STAFF_ROLES else 403)
    remove = client.get("/accounts/two-factor/remove/")
    if role in STAFF_ROLES:
        assert remove.url == "/accounts/two-factor/"  # nothing to remove yet
    elif role != "anonymous":
        assert remove.status_code == 403


# --- logging in -----------------------------------------------------------------------------


def test_login_asks_for_the_code_after_the_password(client, office, no_throttle):
    device = enrolled(office)
    response = password_step(client, next_url="/applications/office/")
    assert response.url == "/accounts/login/code/?next=%2Fapplications%2Foffice%2F"
    assert "_auth_user_id" not in client.session  # not logged in yet
    assert "输入动态验证码" in client.get(response.url).content.decode()

    response = client.post(
        "/accounts/login/code/", {"otp": wrong(device), "next": "/applications/office/"}
    )
    assert response.status_code == 400
    assert "动态验证码不正确或已使用过，请输入验证器应用中当前显示的6位数字。" in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session

    response = client.post(
        "/accounts/login/code/", {"otp": code(device), "next": "/applications/office/"}
    )
    assert response.url == "/applications/office/"
    assert client.session["_auth_user_id"] == str(office.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/applications/office/").status_code == 200


def test_a_code_is_accepted_once(client, office):
    device = enrolled(office)
    used = code(device)
    password_step(client)
    assert client.post("/accounts/login/code/", {"otp": used}).status_code == 302
    client.post("/accounts/logout/")
    password_step(client)
    replay = client.post("/accounts/login/code/", {"otp": used})
    assert replay.status_code == 400
    assert "已使用过" in replay.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_next_code_works_after_a_used_one(client, office, no_throttle):
    device = enrolled(office)
    password_step(client)
    client.post("/accounts/login/code/", {"otp": code(device)})
    client.post("/accounts/logout/")
    password_step(client)
    assert client.post("/accounts/login/code/", {"otp": code(device, 1)}).status_code == 302


def test_wrong_codes_make_the_user_wait(settings, client, office):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = enrolled(office)
    password_step(client)
    client.post("/accounts/login/code/", {"otp": wrong(device)})
    response = client.post("/accounts/login/code/", {"otp": code(device)})
    assert response.status_code == 400
    assert "动态验证码错误次数过多，请" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_the_code_step_expires_after_five_minutes(client, office):
    device = enrolled(office)
    password_step(client)
    session = client.session
    session["accounts_login_pending"]["at"] = int(timezone.now().timestamp()) - 301
    session.save()
    response = client.post("/accounts/login/code/", {"otp": code(device)})
    assert response.url == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_the_code_page_without_a_password_goes_to_login(client, db):
    assert client.get("/accounts/login/code/").url == "/accounts/login/"


def test_without_a_device_the_password_logs_in(client, office):
    assert password_step(client).url == "/"
    assert client.session["_auth_user_id"] == str(office.pk)


# --- required -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_a_user_who_must_is_sent_to_enrolment_before_any_page(client, strict_programme, role):
    user = staff_user(role, programme=strict_programme)
    client.force_login(user)
    response = client.get("/notifications/")
    if role in MUST_ROLES:
        assert response.url == "/accounts/two-factor/?next=%2Fnotifications%2F"
        page = client.get(response.url).content.decode()
        assert "您服务的质量奖要求工作人员使用两步验证登录" in page
        api = client.get("/api/v1/accounts/me/")
        assert (api.status_code, api.json()) == (
            403,
            {"detail": "您服务的质量奖要求两步验证，请先启用。"},
        )
    else:
        assert response.status_code == 200


def test_after_enrolment_the_pages_open(client, strict_programme, office):
    client.force_login(office)
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=office)
    response = client.post(
        "/accounts/two-factor/", {"otp": code(device), "next": "/applications/office/"}
    )
    assert response.url == "/applications/office/"
    assert client.get("/applications/office/").status_code == 200


def test_a_setting_switched_on_reaches_logged_in_users_within_a_minute(client, programme, office):
    client.force_login(office)
    assert client.get("/notifications/").status_code == 200
    programme.require_two_factor = True
    programme.save()
    session = client.session
    session[STATE_KEY]["at"] -= 61  # the noted state is a minute old
    session.save()
    assert client.get("/notifications/").url.startswith("/accounts/two-factor/")


def test_a_session_logged_in_without_the_code_must_give_it(client, office):
    enrolled(office)
    client.force_login(office)  # another path to a session: no code given
    response = client.get("/applications/office/")
    assert response.url == "/accounts/login/code/?next=%2Fapplications%2Foffice%2F"
    assert client.get("/api/v1/accounts/me/").status_code == 403


def test_removing_needs_the_password_and_a_required_user_enrols_again(
    client, strict_programme, office
):
    device = enrolled(office)
    password_step(client)
    client.post("/accounts/login/code/", {"otp": code(device)})
    response = client.post("/accounts/two-factor/remove/", {"password": "wrong"})
    assert response.status_code == 400
    assert "密码不正确。" in response.content.decode()
    assert TOTPDevice.objects.filter(user=office).exists()
    response = client.post("/accounts/two-factor/remove/", {"password": PASSWORD})
    assert response.url == "/accounts/two-factor/"
    assert not TOTPDevice.objects.filter(user=office, confirmed=True).exists()
    assert AuditEntry.objects.filter(action="two_factor.removed", actor=office).count() == 1
    assert client.get("/notifications/").url.startswith("/accounts/two-factor/")


# --- the admin ------------------------------------------------------------------------------


def test_the_admin_login_is_the_portal_login(client, db):
    response = client.get("/admin/login/?next=/admin/programmes/")
    assert response.url == "/accounts/login/?next=%2Fadmin%2Fprogrammes%2F"


def test_the_admin_follows_the_same_rule(client, strict_programme, office):
    client.force_login(office)
    assert client.get("/admin/").url == "/accounts/two-factor/?next=%2Fadmin%2F"
    client.post("/accounts/logout/")
    device = enrolled(office)
    response = password_step(client, next_url="/admin/")
    client.post(response.url, {"otp": code(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200


def test_the_admin_asks_an_unverified_session_for_the_code(client, office):
    enrolled(office)
    client.force_login(office)
    assert client.get("/admin/").url == "/accounts/login/code/?next=%2Fadmin%2F"


# --- the API token --------------------------------------------------------------------------


def test_the_token_needs_the_code_of_a_user_with_a_device(api, office, no_throttle):
    device = enrolled(office)
    body = {"username": "office1", "password": PASSWORD}
    response = api.post("/api/v1/auth/token/", body)
    message = "该账号已启用两步验证，请在 otp 字段填写验证器应用显示的6位动态验证码。"
    assert (response.status_code, response.json()) == (
        400,
        {"detail": message, "otp": [message]},
    )
    response = api.post("/api/v1/auth/token/", {**body, "otp": wrong(device)})
    assert response.status_code == 400
    assert response.json()["otp"] == [
        "动态验证码不正确或已使用过，请输入验证器应用中当前显示的6位数字。"
    ]
    response = api.post("/api/v1/auth/token/", {**body, "otp": code(device)})
    assert response.status_code == 200
    assert login_api(office).get("/api/v1/accounts/me/").status_code == 200


def test_no_token_for_a_user_who_must_and_has_no_device(api, strict_programme, office):
    response = api.post("/api/v1/auth/token/", {"username": "office1", "password": PASSWORD})
    assert response.status_code == 400
    assert response.json()["otp"] == [
        "您服务的质量奖要求两步验证：请先登录网页启用两步验证，再获取令牌。"
    ]


def test_a_user_who_may_but_need_not_gets_a_token_with_the_password(api, strict_programme, expert):
    response = api.post("/api/v1/auth/token/", {"username": "expert1", "password": PASSWORD})
    assert response.status_code == 200
