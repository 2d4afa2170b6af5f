"""A person opens the portal: the Chinese landing page, and every demo user can log in."""

import pytest

from demo.world import STAFF, password_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_demo_users_log_in_from_the_landing_page(live_server, page):
    from demo.world import ORGANISATIONS, load_demo
    from tests.factories import default_criteria_set

    default_criteria_set()
    load_demo()
    page.goto(live_server.url)
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("heading", name="本年度评审").is_visible()
    assert "当前阶段：申报" in page.content()
    usernames = [u for u, *_ in STAFF] + [u for u, *_ in ORGANISATIONS]
    for username in usernames:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password_for(username))
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator(".who").is_visible(), username
        page.get_by_role("button", name="退出").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.get_by_role("link", name="登录").first.is_visible()
