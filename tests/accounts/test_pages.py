"""Login, logout, password change and registration pages, in Chinese, without JavaScript."""

import pytest

from accounts.models import User

pytestmark = pytest.mark.unit


def test_login_page_is_chinese(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()
    assert response.headers["Content-Language"] == "zh-hans"


def test_login_ignores_browser_language_but_follows_the_switcher(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response.headers["Content-Language"] == "en"
    assert "Quality award" in response.content.decode()


def test_login_and_logout(client, office):
    office.set_password("s3cret-pass-9")
    office.save()
    response = client.post("/accounts/login/", {"username": "office1", "password": "s3cret-pass-9"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert office.name in page
    assert "评审委员会办公室" in page  # the role shown in the header
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_wrong_password_shows_a_message(client, office):
    response = client.post("/accounts/login/", {"username": "office1", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_password_change_requires_login_and_works(client, office):
    assert client.get("/accounts/password/").status_code == 302
    client.force_login(office)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "correct-horse-battery",
            "new_password1": "another-long-pass-7",
            "new_password2": "another-long-pass-7",
        },
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.check_password("another-long-pass-7")


def _register_form(**overrides):
    data = {
        "username": "cashmere",
        "password1": "a-long-passphrase-9",
        "password2": "a-long-passphrase-9",
        "name": "张经理",
        "email": "",
        "phone": "13900000000",
        "org_name": "城川羊绒制品有限公司",
        "uscc": "91330100799655058B",
        "kind": "enterprise",
        "region": "鄂托克前旗",
        "registered_on": "2019-04-01",
        "industry": "纺织",
    }
    return {**data, **overrides}


def test_register_page_creates_the_user_who_then_logs_in(client, programme):
    page = client.get("/accounts/register/").content.decode()
    assert "统一社会信用代码" in page
    assert '<option value="鄂托克前旗">' in page  # regions of the active programmes
    response = client.post("/accounts/register/", _register_form())
    # Not logged in at once: that would tell a stranger the username was free (issue 8 item 13).
    assert response.status_code == 302
    assert response.url == "/accounts/register/done/"
    assert "_auth_user_id" not in client.session
    user = User.objects.get(username="cashmere")
    assert user.organisation.name == "城川羊绒制品有限公司"
    response = client.post(
        "/accounts/login/", {"username": "cashmere", "password": "a-long-passphrase-9"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_register_page_shows_the_uscc_error_in_chinese(client, programme):
    response = client.post("/accounts/register/", _register_form(uscc="91330100799655058C"))
    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确" in response.content.decode()
    assert not User.objects.filter(username="cashmere").exists()


def test_register_page_a_duplicate_uscc_answers_the_same(client, programme):
    """Issue 8 item 13: no error on the field any more, the same page as a new code."""
    first = client.post("/accounts/register/", _register_form())
    response = client.post("/accounts/register/", _register_form(username="other"))
    assert (response.status_code, response.url) == (first.status_code, first.url)
    assert User.objects.get(username="other").organisation is None
