"""Login, logout, password change and registration pages, in Chinese, without JavaScript."""

import re

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


def test_the_blank_login_form_never_shows_what_someone_typed(client, office):
    """The login page's blank form is rendered once per language (issue 12, common.forms
    BlankForm); a refused attempt shows the person's own input and error, and the next blank
    page none of it."""
    blank = client.get("/accounts/login/").content.decode()
    assert 'name="username"' in blank and 'name="password"' in blank
    refused = client.post("/accounts/login/", {"username": "someone-else", "password": "nope"})
    assert 'value="someone-else"' in refused.content.decode()
    assert "请输入一个正确的" in refused.content.decode()
    again = client.get("/accounts/login/").content.decode()
    assert "someone-else" not in again and "请输入一个正确的" not in again
    fields = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*">(.*)<input type="hidden"', re.S)
    assert fields.search(again).group(1) == fields.search(blank).group(1)


def test_a_blank_form_is_one_without_data_initial_values_or_prefix():
    from django.contrib.auth.forms import AuthenticationForm

    from common.forms import BlankForm

    assert BlankForm.of(AuthenticationForm()) == BlankForm(AuthenticationForm)
    assert BlankForm.of(AuthenticationForm(data={"username": "x"})) is None
    assert BlankForm.of(AuthenticationForm(initial={"username": "x"})) is None
    assert BlankForm.of(AuthenticationForm(prefix="p")) is None


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
