from __future__ import annotations

import contextlib

from django.core.cache import cache

from common.cache_versions import current_version, replace_version

from .models import Division

# Divisions are reference data (GB/T 2260), read on every eligibility check and organisation
# page: a found division, with its parents, is kept in the cache under a version that any
# change to a division replaces (regions.apps). A code not found is never kept.
CACHE_SECONDS = 3600
_VERSION_KEY = "regions:division:version"


def _version() -> str:
    return current_version(_VERSION_KEY)


def forget_divisions(**kwargs) -> None:
    """No cached division is read any more (a signal receiver: any save or delete)."""
    replace_version(_VERSION_KEY)


def division(code: str | None) -> Division | None:
    if not code or len(code) != 6 or not code.isdigit():
        return None
    try:
        key = f"regions:division:{_version()}:{code}"
        found = cache.get(key)
    except Exception:
        key, found = None, None
    if found is not None:
        return found
    found = Division.objects.select_related("parent__parent").filter(pk=code).first()
    if found is not None and key is not None:
        with contextlib.suppress(Exception):
            cache.set(key, found, CACHE_SECONDS)
    return found


def lies_within(code: str | None, ancestor: str | None) -> bool:
    """True when division ``code`` is ``ancestor`` or lies under it in the tree."""
    node = division(code)
    return node is not None and any(d.code == ancestor for d in node.lineage())
