"""Error pages (issue 11): 400, 403, 404, 500 and the CSRF failure are Chinese pages in the
portal's layout with a way back, never Django's bare English ones."""

import html as htmllib
import re

import pytest
from django.test import Client, RequestFactory

from tests.factories import staff_user

pytestmark = pytest.mark.unit

ENGLISH = ("Not Found", "Forbidden", "Server Error", "CSRF verification failed", "Bad Request")


def _assert_portal_page(response, status: int, heading: str) -> str:
    assert response.status_code == status
    page = response.content.decode()
    assert heading in page
    assert 'class="site-header"' in page  # the portal's layout
    assert 'href="/"' in page and "返回首页" in page  # a way back
    for word in ENGLISH:
        assert word not in page
    return page


@pytest.mark.django_db
def test_an_unknown_address_is_a_chinese_404_with_a_way_back(client):
    page = _assert_portal_page(client.get("/no-such-page/"), 404, "页面不存在")
    assert "登录" in page


@pytest.mark.django_db
def test_a_missing_object_is_the_same_404(client, programme):
    office = staff_user("office", programme=programme)
    client.force_login(office)
    page = _assert_portal_page(client.get("/applications/999999/"), 404, "页面不存在")
    assert office.display_name in page  # the header still knows who is logged in


@pytest.mark.django_db
def test_a_refused_role_gets_a_chinese_403_naming_the_account(client, programme):
    expert = staff_user("expert", programme=programme)
    client.force_login(expert)
    page = _assert_portal_page(client.get("/review/"), 403, "无权访问")
    assert f"您当前以“{expert.display_name}”登录" in page


@pytest.mark.django_db
def test_a_csrf_failure_is_a_chinese_page_that_offers_to_reload(programme):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    page = _assert_portal_page(response, 403, "页面已过期，未能提交")
    assert 'href="/accounts/login/"' in page  # reopen the form
    assert "Cookie" in page


def test_the_500_page_renders_without_a_request_context():
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    page = _assert_portal_page(response, 500, "系统出错了")
    assert "/static/css/portal.css" in page


@pytest.mark.django_db
def test_an_unexpected_error_shows_the_chinese_500(monkeypatch):
    from award_portal import views

    def broken(self, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.HomeView, "get_context_data", broken)
    client = Client(raise_request_exception=False)
    page = _assert_portal_page(client.get("/"), 500, "系统出错了")
    assert "boom" not in page and "Traceback" not in page


@pytest.mark.django_db
def test_an_unknown_certificate_code_says_it_may_be_forged_R15(client):
    response = client.get("/verify/FAKE-2026-0001/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "查无此证书" in page
    assert "可能是伪造的" in page
    assert "FAKE-2026-0001" in page
    # How to check by name or USCC: the registry's search, right there.
    assert 'action="/awards/"' in page and 'name="q"' in page
    assert "组织名称或统一社会信用代码" in page
    assert 'href="/awards/"' in page


@pytest.mark.django_db
def test_a_hostile_certificate_code_is_escaped_and_cut(client):
    code = "<script>x" + "A" * 200
    response = client.get(f"/verify/{code}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<script>x" not in page
    shown = re.search(r"核验码“([^”]*)”", page).group(1)
    assert shown.startswith("&lt;script&gt;") and len(htmllib.unescape(shown)) == 64
