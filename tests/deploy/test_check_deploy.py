"""`check --deploy` with production settings prints no warning, drf-spectacular's schema
warnings included (issue 8, "Promises proved in CI"; issue 15 item 1: under compose it showed
W004, W008, W012 and W016)."""

from __future__ import annotations

import secrets
import subprocess
import sys

import pytest

from tests.deploy.compose import ROOT, production_run

pytestmark = pytest.mark.unit

PRODUCTION = {
    "ALLOWED_HOSTS": "award.example.gov.cn",
    "HTTPS": "1",
    "DATABASE_URL": "postgres://award:award@127.0.0.1:5432/award",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def check_deploy(environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_no_warning(out: subprocess.CompletedProcess) -> None:
    lines = (out.stdout + out.stderr).splitlines()
    assert [line for line in lines if line.strip()] == [
        "System check identified no issues (0 silenced)."
    ]
    assert out.returncode == 0


def test_check_deploy_with_production_settings_prints_no_warning():
    assert_no_warning(check_deploy({"SECRET_KEY": secrets.token_urlsafe(50)[:50], **PRODUCTION}))


def test_check_deploy_in_the_web_container_prints_no_warning_issue_15_item_1():
    """The environment docker-compose.yml gives web for a .env that follows the README."""
    env_file = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "award.example.gov.cn",
        "SITE_URL": "https://award.example.gov.cn",
        "CSRF_TRUSTED_ORIGINS": "https://award.example.gov.cn",
        "HTTPS": "1",
    }
    assert_no_warning(check_deploy(production_run.load_services(env_file)["web"].environment))


def test_check_deploy_names_what_a_plain_http_deployment_lacks():
    """The check is live: without HTTPS=1 it reports the settings HTTPS turns on."""
    out = check_deploy({"SECRET_KEY": secrets.token_urlsafe(50), **PRODUCTION, "HTTPS": "0"})
    assert out.returncode == 1
    reported = sorted(
        line.split(")")[0].split("(")[1]
        for line in out.stderr.splitlines()
        if line.startswith("?: (security.")
    )
    assert reported == ["security.W004", "security.W008", "security.W012", "security.W016"]
