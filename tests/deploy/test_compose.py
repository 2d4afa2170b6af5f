"""The compose stack does what the README says (issue 15): every documented setting reaches the
app containers, mail does not fail by default, the health checks and the image hold.

The settings are read by a fresh interpreter given exactly the environment docker-compose.yml
passes to the web container for a given .env, as the container would get it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import setuptools
from django.conf import settings

from tests.deploy.compose import (
    ROOT,
    dockerfile_cmd,
    dockerfile_instructions,
    production_run,
    readme_variables,
)

pytestmark = pytest.mark.unit

APP_SERVICES = production_run.APP_SERVICES
ENV_FILE = {"SECRET_KEY": "k" * 50}

PROBE = """
import json
from django.conf import settings as s
print(json.dumps({name: getattr(s, name, None) for name in (
    "DEBUG", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER",
    "TRUSTED_PROXIES", "ALLOWED_HOSTS", "SITE_URL", "MEDIA_ROOT",
)}, default=str))
"""


def container_settings(env_file: dict[str, str], service: str = "web") -> dict:
    """Django's settings in ``service`` when docker-compose.yml is run with ``env_file``."""
    environment = production_run.load_services(env_file)[service].environment
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {PROBE}"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "award_portal.settings",
            **environment,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_every_variable_of_the_readme_table_reaches_every_app_service_issue_15_item_1():
    documented = readme_variables()
    assert {"HTTPS", "EMAIL_PORT", "EMAIL_HOST_USER", "DEFAULT_FROM_EMAIL"} <= set(documented)
    services = production_run.load_services(ENV_FILE)
    missing = {
        name: [v for v in documented if v not in services[name].environment]
        for name in APP_SERVICES
    }
    assert missing == {name: [] for name in APP_SERVICES}


def test_https_and_mail_settings_from_env_file_reach_the_container_issue_15_item_1():
    s = container_settings(
        {
            **ENV_FILE,
            "HTTPS": "1",
            "ALLOWED_HOSTS": "award.example.gov.cn",
            "SITE_URL": "https://award.example.gov.cn",
            "TRUSTED_PROXIES": "10.0.0.0/8",
            "EMAIL_HOST": "smtp.example.gov.cn",
            "EMAIL_PORT": "587",
            "EMAIL_HOST_USER": "award",
            "EMAIL_HOST_PASSWORD": "mail-secret",
            "EMAIL_USE_TLS": "1",
            "DEFAULT_FROM_EMAIL": "质量奖办公室 <award@example.gov.cn>",
        }
    )
    assert (s["SESSION_COOKIE_SECURE"], s["CSRF_COOKIE_SECURE"], s["SECURE_SSL_REDIRECT"]) == (
        True,
        True,
        True,
    )
    assert (s["SECURE_HSTS_SECONDS"], s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]) == (31536000, True)
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["TRUSTED_PROXIES"] == ["10.0.0.0/8"]
    assert s["ALLOWED_HOSTS"] == ["award.example.gov.cn"]
    assert s["SITE_URL"] == "https://award.example.gov.cn"
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (s["EMAIL_HOST"], s["EMAIL_PORT"], s["EMAIL_USE_TLS"]) == (
        "smtp.example.gov.cn",
        587,
        True,
    )
    assert (s["EMAIL_HOST_USER"], s["EMAIL_HOST_PASSWORD"]) == ("award", "mail-secret")
    assert s["DEFAULT_FROM_EMAIL"] == "质量奖办公室 <award@example.gov.cn>"


def test_with_only_the_secret_key_mail_goes_to_the_log_not_to_a_missing_server_issue_15_item_2():
    """A new operator's first `docker compose up`: nothing sends to an SMTP server that is not
    there (80 notification tasks failed and retried before)."""
    s = container_settings(ENV_FILE, service="worker")
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert (s["EMAIL_PORT"], s["EMAIL_USE_TLS"]) == (25, False)
    assert s["DEFAULT_FROM_EMAIL"] == "质量奖办公室 <award@localhost>"
    # Plain HTTP until HTTPS=1, no debug pages in production.
    assert (s["DEBUG"], s["SESSION_COOKIE_SECURE"], s["SECURE_SSL_REDIRECT"]) == (
        False,
        False,
        False,
    )
    assert s["MEDIA_ROOT"] == "/app/var/media"


def test_hsts_for_subdomains_can_be_turned_off_for_a_bare_domain():
    s = container_settings({**ENV_FILE, "HTTPS": "1", "HSTS_INCLUDE_SUBDOMAINS": "0"})
    assert (s["SECURE_HSTS_SECONDS"], s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]) == (31536000, False)
    assert s["SECURE_HSTS_PRELOAD"] is False


def test_compose_refuses_to_start_without_a_secret_key():
    with pytest.raises(production_run.MissingVariable, match="SECRET_KEY"):
        production_run.load_services({})


@pytest.mark.parametrize(
    ("text", "variables", "expected"),
    [
        ("${A:-x}", {}, "x"),
        ("${A:-x}", {"A": ""}, "x"),
        ("${A-x}", {"A": ""}, ""),
        ("${A:-x}", {"A": "y"}, "y"),
        ("${A:+on}", {"A": "y"}, "on"),
        ("${A:+on}", {"A": ""}, ""),
        ("${A}", {}, ""),
        ("$$(hostname) $${A}", {"A": "y"}, "$(hostname) ${A}"),
        ("pw:${P:-award}@db", {}, "pw:award@db"),
    ],
)
def test_interpolation_follows_compose(text, variables, expected):
    assert production_run.interpolate(text, variables) == expected


def test_web_runs_the_dockerfile_cmd_without_a_control_socket_issue_15_item_3():
    """gunicorn ≥ 25.1 opens a control socket under $HOME by default; the image's user had no
    home ("Permission denied: '/home/award'" at every start)."""
    web = production_run.load_services(ENV_FILE)["web"]
    assert web.command == dockerfile_cmd()
    assert "--no-control-socket" in web.command
    # The gunicorn the project pins knows the option (an older one would refuse to start).
    gunicorn = Path(sys.executable).parent / "gunicorn"
    help_text = subprocess.run(
        [gunicorn, "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    assert "--no-control-socket" in help_text
    # And the user has a home anyway (fontconfig keeps its cache there).
    (run,) = [args for name, args in dockerfile_instructions() if "useradd" in args]
    assert "--create-home" in run


def test_worker_health_check_asks_the_node_named_after_hostname_issue_15_item_4():
    worker = production_run.load_services(ENV_FILE)["worker"]
    assert worker.healthcheck == [
        "CMD-SHELL",
        "celery -A award_portal inspect ping -d celery@$(hostname) --timeout 5",
    ]


def test_every_app_of_the_project_is_in_the_installed_package_issue_15_item_5():
    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"
    ]["find"]["include"]
    packaged = set(setuptools.find_packages(where=str(ROOT), include=include))
    own_apps = {
        app.split(".")[0]
        for app in settings.INSTALLED_APPS
        if (ROOT / app.split(".")[0] / "__init__.py").exists()
    }
    assert "notifications" in own_apps  # the one left out before
    assert own_apps | {"award_portal"} <= packaged
    assert not {p for p in packaged if p.split(".")[0] in ("tests", "bench", "scripts")}


def test_image_installs_dependencies_before_the_code_issue_15_item_6(tmp_path):
    """A code change rebuilds only the layers after `COPY . .`: the dependency layer needs
    nothing but pyproject.toml and constraints.txt, and installs what they name."""
    steps = dockerfile_instructions()
    copies = [(i, args) for i, (name, args) in enumerate(steps) if name == "COPY"]
    (first_copy, first_args), (code_copy, code_args) = copies
    assert (first_args, code_args) == ("pyproject.toml constraints.txt ./", ". .")
    between = [args for name, args in steps[first_copy:code_copy] if name == "RUN"]
    (dependency_layer,) = between
    assert "pip install --no-cache-dir -c constraints.txt -r /tmp/requirements.txt" in (
        dependency_layer
    )
    # Run the layer's first command where only the two copied files exist.
    for name in ("pyproject.toml", "constraints.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    listing = dependency_layer.split(" > /tmp/requirements.txt")[0]
    out = subprocess.run(
        ["/bin/sh", "-c", listing.replace("python ", f"{sys.executable} ", 1)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert out.stdout.split() == [
        *project["dependencies"],
        *project["optional-dependencies"]["s3"],
    ]
