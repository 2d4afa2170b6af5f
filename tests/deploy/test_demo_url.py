"""`manage.py demo` prints the portal's address from SITE_URL (issue 15 item 6): under compose,
behind a proxy, 127.0.0.1:8000 is not where the operator's users log in."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.unit


def test_demo_prints_the_site_url(db, settings):
    settings.SITE_URL = "https://award.example.gov.cn"
    out = io.StringIO()
    call_command("demo", stage="apply", stdout=out)
    assert out.getvalue().splitlines()[-1] == "打开 https://award.example.gov.cn/ 登录。"
