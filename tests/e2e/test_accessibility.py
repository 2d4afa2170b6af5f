"""Accessibility (axe-core, run in chromium): the pages people use most have no serious or
critical violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.enums import Role
from accounts.models import User
from demo.world import load_demo, password_for
from tests.factories import default_criteria_set

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC = [
    "/",
    "/accounts/login/",
    "/accounts/register/",
    "/awards/",
    "/publicity/",
    "/announcements/",
]
AS_OFFICE = ["/applications/office/", "/review/", "/review/experts/", "/awards/office/"]
AS_ENTERPRISE = ["/applications/mine/"]


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])})"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password_for(username))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def test_pages_have_no_serious_accessibility_violations(live_server, page):
    default_criteria_set()
    load_demo(stage="awarded")
    found = {}
    for url in PUBLIC:
        page.goto(live_server.url + url)
        found[url] = _serious(page)
    desktop = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})  # a phone, with the menu open
    for url in PUBLIC:
        page.goto(live_server.url + url)
        page.locator(".nav-toggle-label").click()
        found[f"{url} (phone)"] = _serious(page)
    page.set_viewport_size(desktop)
    _login(page, live_server.url, "office")
    expert = User.objects.filter(groups__name=Role.EXPERT).order_by("username").first()
    for url in [*AS_OFFICE, f"/review/experts/{expert.pk}/"]:  # an expert's page, its forms
        page.goto(live_server.url + url)
        found[url] = _serious(page)
    page.context.clear_cookies()
    _login(page, live_server.url, "greenmilk")
    for url in AS_ENTERPRISE:
        page.goto(live_server.url + url)
        found[url] = _serious(page)
    assert {url: v for url, v in found.items() if v} == {}
