"""Settings used only by the benchmark (issue 12): the portal's own settings, plus

- the floor: ``/__bench__/floor/``, a bare Django view behind the same middleware;
- ``X-Queries``: every response says how many SQL queries it took (outermost middleware);
- static files from the app folders (no collectstatic), no debug, a fixed key.

Never used by the portal itself: ``python -m bench.seed`` and ``python -m bench.load`` set it.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")

from award_portal.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", "/tmp/award-bench-media")  # noqa: S108
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# The runner logs in once per role and holds the session for the whole run.
STAFF_SESSION_IDLE_MINUTES = 24 * 60
