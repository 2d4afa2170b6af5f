"""Settings come from the environment (12-factor): each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
from django.conf import settings
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
    "tz": settings.TIME_ZONE,
    "lang": settings.LANGUAGE_CODE,
    "cache": settings.CACHES["default"]["BACKEND"],
    "acks_late": settings.CELERY_TASK_ACKS_LATE,
    "media": str(settings.MEDIA_ROOT),
    "storage": settings.STORAGES["default"]["BACKEND"],
}))
"""

KEYS = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "DEBUG",
    "ALLOWED_HOSTS",
    "MEDIA_ROOT",
    "EMAIL_BACKEND",
    "CELERY_TASK_ALWAYS_EAGER",
    "AWS_STORAGE_BUCKET_NAME",
)


def _settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in KEYS}
    clean.update(DJANGO_SETTINGS_MODULE="award_portal.settings", **env)
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return out


def test_settings_with_nothing_set_but_debug_are_the_embedded_default():
    out = _settings(DEBUG="1")
    assert out.returncode == 0, out.stderr
    s = json.loads(out.stdout)
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["db_name"] == str(ROOT / "db.sqlite3")
    assert s["eager"] is True
    assert s["email"] == "django.core.mail.backends.console.EmailBackend"
    assert s["tz"] == "Asia/Shanghai"
    assert s["lang"] == "zh-hans"
    assert s["acks_late"] is True
    assert s["media"] == str(ROOT / "var" / "media")


def test_settings_without_a_secret_key_make_one_file_and_reuse_it(tmp_path):
    key_file = tmp_path / "secret_key"
    first = _settings(SECRET_KEY_FILE=str(key_file))
    assert first.returncode == 0, first.stderr
    key = key_file.read_text()
    assert len(key) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert _settings(SECRET_KEY_FILE=str(key_file)).returncode == 0
    assert key_file.read_text() == key


def test_settings_production_shape_from_urls():
    out = _settings(
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://award:pw@db.internal:5432/award",
        REDIS_URL="redis://cache.internal:6379/0",
        ALLOWED_HOSTS="award.example.gov.cn,10.0.0.5",
        MEDIA_ROOT="/srv/media",
        AWS_STORAGE_BUCKET_NAME="award-media",
    )
    assert out.returncode == 0, out.stderr
    s = json.loads(out.stdout)
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["db_name"] == "award"
    assert s["eager"] is False
    assert s["broker"] == "redis://cache.internal:6379/0"
    assert s["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert s["hosts"] == ["award.example.gov.cn", "10.0.0.5"]
    assert s["debug"] is False
    assert s["media"] == "/srv/media"
    assert s["storage"] == "storages.backends.s3.S3Storage"
