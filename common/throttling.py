"""Who is asking, and how often: the client address behind trusted proxies, and rate limits
counted atomically in the shared cache (Redis when configured), for the API and the pages alike
(issue 8, item 10).

- ``X-Forwarded-For`` is believed only when the request comes from an address listed in the
  ``TRUSTED_PROXIES`` setting (addresses or networks), and then only as far back as the
  proxies are trusted: the first address from the right that is not a trusted proxy is the
  client. With no trusted proxy the header is ignored, so a rotating header buys nothing.
- Each window is one cache counter, created with ``add`` and raised with ``incr`` (atomic in
  Redis and in the local-memory cache), so a burst of simultaneous requests cannot all read
  "4 of 5" and pass.
- When the cache itself is down, limits fail open (logged): the public may still object and
  register; brute-force protection of logins (django-axes) keeps its own store.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import time
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

log = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()))))


def client_address(request) -> str:
    """The address of the person (or program) behind the request."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not _trusted(remote):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if not _trusted(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a proxy we trust would not forward garbage: ignore it
    return remote


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/hour"`` → (5, 3600)."""
    number, period = rate.split("/")
    return int(number), _PERIODS[period.strip()[0]]


def _key(scope: str, ident: str, period: int, now: float) -> str:
    return f"rate:{scope}:{ident}:{int(now // period)}"


def take(scope: str, ident: str, *, rate: str, now: float | None = None) -> bool:
    """Count one request of ``ident`` against ``scope``'s ``rate``; False when over it."""
    limit, period = parse_rate(rate)
    key = _key(scope, ident, period, time.time() if now is None else now)
    try:
        cache.add(key, 0, timeout=period + 1)
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=period + 1)
        count = 1
    except Exception as exc:
        log.warning("rate limit %s not counted: %s", scope, type(exc).__name__)
        return True
    return count <= limit


def give_back(scope: str, ident: str, *, rate: str, now: float | None = None) -> None:
    """Return a request that did not count (it was refused as invalid before any effect)."""
    _limit, period = parse_rate(rate)
    # Expired, or the cache is down: nothing to give back.
    with contextlib.suppress(Exception):
        cache.decr(_key(scope, ident, period, time.time() if now is None else now))


def rate_of(scope: str) -> str:
    return api_settings.DEFAULT_THROTTLE_RATES[scope]


class SharedRateThrottle(BaseThrottle):
    """DRF throttle on ``view.throttle_scope``, counted per client address with :func:`take`
    (the same counters as the pages use)."""

    def allow_request(self, request, view):
        scope = getattr(view, "throttle_scope", None)
        if not scope:
            return True
        self.rate = rate_of(scope)
        return take(scope, client_address(request), rate=self.rate)

    def wait(self):
        return parse_rate(self.rate)[1]


def too_many_message() -> str:
    return _("提交过于频繁，请稍后再试。")
