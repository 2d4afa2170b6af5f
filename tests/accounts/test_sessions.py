"""Staff sessions end after an idle period; enterprise sessions do not (issue 8 item 12).

Time is passed explicitly: the unit tests give ``now``, the page tests write the time of the
last request into the session."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.services.sessions import LAST_ACTIVITY_KEY, session_idle_expired, touch
from tests.factories import staff_user

pytestmark = pytest.mark.unit

T0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)
STAFF_ROLES = ["office", "committee", "recommender", "expert", "supervisor", "government"]


def set_last_request(client, minutes_ago: float) -> None:
    session = client.session
    when = timezone.now() - dt.timedelta(minutes=minutes_ago)
    session[LAST_ACTIVITY_KEY] = int(when.timestamp())
    session.save()


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_a_staff_session_expires_after_the_idle_minutes_issue_8_item_12(settings, programme, role):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    user = staff_user(role, programme=programme)
    assert not session_idle_expired(user=user, last=T0, now=T0 + dt.timedelta(minutes=30))
    assert session_idle_expired(user=user, last=T0, now=T0 + dt.timedelta(minutes=30, seconds=1))


def test_an_enterprise_session_has_no_idle_limit(enterprise_user):
    assert not session_idle_expired(user=enterprise_user, last=T0, now=T0 + dt.timedelta(days=13))


def test_a_session_without_a_noted_request_is_not_expired(office):
    assert not session_idle_expired(user=office, last=None, now=T0)


def test_requests_are_noted_at_most_once_a_minute():
    session = {}
    touch(session, now=T0)
    assert session == {LAST_ACTIVITY_KEY: int(T0.timestamp())}
    touch(session, now=T0 + dt.timedelta(seconds=59))
    assert session == {LAST_ACTIVITY_KEY: int(T0.timestamp())}
    touch(session, now=T0 + dt.timedelta(seconds=60))
    assert session == {LAST_ACTIVITY_KEY: int(T0.timestamp()) + 60}


def test_an_idle_staff_session_is_logged_out_and_the_login_page_says_why(client, office):
    client.force_login(office)
    set_last_request(client, minutes_ago=31)
    response = client.get("/applications/office/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Fapplications%2Foffice%2F&reason=idle"
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert "您已超过30分钟未操作，为保护评审数据安全，系统已自动退出登录。请重新登录。" in page


def test_an_active_staff_session_goes_on_and_is_noted(client, office):
    client.force_login(office)
    set_last_request(client, minutes_ago=29)
    assert client.get("/applications/office/").status_code == 200
    noted = dt.datetime.fromtimestamp(client.session[LAST_ACTIVITY_KEY], tz=dt.UTC)
    assert timezone.now() - noted < dt.timedelta(seconds=5)


def test_the_admin_ends_idle_sessions_too(client, office):
    client.force_login(office)
    set_last_request(client, minutes_ago=45)
    response = client.get("/admin/")
    assert response.url == "/accounts/login/?next=%2Fadmin%2F&reason=idle"


def test_an_idle_staff_session_is_anonymous_on_the_api(client, office):
    client.force_login(office)
    set_last_request(client, minutes_ago=31)
    response = client.get("/api/v1/accounts/me/")
    assert response.status_code == 401
    assert "_auth_user_id" not in client.session


def test_an_enterprise_session_survives_a_long_pause(client, enterprise_user):
    client.force_login(enterprise_user)
    set_last_request(client, minutes_ago=60 * 24 * 7)
    assert client.get("/applications/mine/").status_code == 200
    assert client.session["_auth_user_id"] == str(enterprise_user.pk)


def test_the_login_page_without_a_reason_says_nothing_of_it(client, db):
    assert "未操作" not in client.get("/accounts/login/").content.decode()
