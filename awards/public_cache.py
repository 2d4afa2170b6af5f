"""Whole public pages from Django's cache (issue 12 item 3): the landing page, the registry,
the publicity list, the announcements, the exposures and the verification page, and their APIs.

What is cached and for whom:

- only a ``GET`` by someone not logged in, with no ``Authorization`` header and no pending
  message (the "logged out" notice), so a cached page never carries a person's menu, name or
  message, and nobody's page is served to someone else;
- only a 200 or 404 the view built without touching the CSRF token, setting a cookie or
  saying ``private``/``no-store``: a cached body holds nothing personal and no ``Set-Cookie``;
- keyed by the path with its query, the language, the ``Accept`` header (the API's renderer),
  the day (a publicity ends, an award expires at midnight: ``common.dates.today``, which the
  tests' clock moves) and a **version** that every event changing a public page replaces.

The version is replaced on every save or delete of the rows public pages are made of
(``PUBLIC_MODELS``: awards, certificates, cases, objections, applications, cycles,
programmes, organisations) and by ``invalidate_register`` (bulk imports, which send no
signal): once at once, so the writing transaction's own later reads miss, and again after
commit, so a page another request built from the old rows between the two is never read.
``CACHE_SECONDS`` bounds what no event announces. A cache that is down is passed by.
"""

from __future__ import annotations

import hashlib
import logging
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import translation

from common.cache_versions import current_version, replace_version
from common.dates import today

log = logging.getLogger(__name__)

CACHE_SECONDS = 300
_VERSION_KEY = "public-pages:version"
# The response headers a cached page keeps; the middleware adds the rest on every request.
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Allow")
PUBLIC_MODELS = (
    "awards.Award",
    "awards.Certificate",
    "awards.Case",
    "awards.Objection",
    "applications.Application",
    "programmes.Cycle",
    "programmes.Programme",
    "organisations.Organisation",
)


def _version() -> str:
    return current_version(_VERSION_KEY)


def _bump() -> None:
    try:
        replace_version(_VERSION_KEY)
    except Exception:
        log.warning("public page cache not invalidated", exc_info=True)


def invalidate_public_pages() -> None:
    """No cached public page is read any more: now, and again after the current transaction
    commits (see the module's docstring for why both)."""
    _bump()
    transaction.on_commit(_bump)


def _on_change(sender, **kwargs) -> None:
    invalidate_public_pages()


def connect_signals() -> None:
    """Called once by ``AwardsConfig.ready``."""
    from django.apps import apps  # noqa: PLC0415

    for label in PUBLIC_MODELS:
        model = apps.get_model(label)
        post_save.connect(_on_change, sender=model, dispatch_uid=f"public-pages-save-{label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"public-pages-del-{label}")


def _cacheable_request(request) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and "HTTP_AUTHORIZATION" not in request.META
        and not len(messages.get_messages(request))
    )


def _cacheable_response(request, response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code in (200, 404)
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _key(request, version: str) -> str:
    raw = "\n".join(
        (
            request.get_full_path(),
            translation.get_language() or "",
            request.META.get("HTTP_ACCEPT", ""),
            today().isoformat(),
        )
    )
    return f"public-pages:{version}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cache_public_page(view):
    """Serves the view's page from the cache to anonymous readers (see the module docstring).
    Wraps a view function (``cache_public_page(View.as_view())``)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        try:
            key = _key(request, _version())
            found = cache.get(key)
        except Exception:
            log.warning("public page cache unavailable", exc_info=True)
            return view(request, *args, **kwargs)
        if found is not None:
            status, headers, content = found
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Public-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _cacheable_response(request, response):
            headers = [(h, response[h]) for h in _KEPT_HEADERS if h in response]
            try:
                cache.set(key, (response.status_code, headers, response.content), CACHE_SECONDS)
            except Exception:
                log.warning("public page cache unavailable", exc_info=True)
        response["X-Public-Cache"] = "miss"
        return response

    return wrapped
