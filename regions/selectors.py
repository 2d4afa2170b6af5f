from __future__ import annotations

from .models import Division


def division(code: str | None) -> Division | None:
    if not code or len(code) != 6 or not code.isdigit():
        return None
    return Division.objects.select_related("parent__parent").filter(pk=code).first()


def lies_within(code: str | None, ancestor: str | None) -> bool:
    """True when division ``code`` is ``ancestor`` or lies under it in the tree."""
    node = division(code)
    return node is not None and any(d.code == ancestor for d in node.lineage())
