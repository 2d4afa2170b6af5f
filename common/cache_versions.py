"""Cache versions: a token in the cache that is part of the keys of a family of cached values
(public pages, divisions, the register's snapshot). Replacing the token makes every value of the
family unreachable at once, without listing or deleting keys; the old values expire by
themselves."""

from __future__ import annotations

import uuid

from django.core.cache import cache


def current_version(key: str) -> str:
    """The family's token, created on first use (``add``: two processes racing agree on one)."""
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        token = cache.get(key)
    return token or "none"


def replace_version(key: str) -> None:
    """No value cached under the old token is read any more."""
    cache.set(key, uuid.uuid4().hex, timeout=None)
