"""Test settings: the real settings with faster hashing, mail kept in memory and a temporary
media root. Database and Redis still come from the environment, so the same suite runs on SQLite
and on PostgreSQL + Redis."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="award-portal-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run tasks in the test process; the integration tests start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
# No persistent connections in tests: a connection left open by a server thread would keep
# PostgreSQL from dropping the test database at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Static files are served from the app folders, without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The demo signing key of a test run: made once per process (the first signature), in a
# temporary directory, never in the project's var/.
SIGNING_PKCS12_FILE = ""
SIGNING_DEMO_FILE = os.path.join(tempfile.mkdtemp(prefix="award-portal-signing-"), "demo.p12")
