"""Reading awards: the public registry and verification."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Award


def registry(*, query: str = "", status: str = "", uscc: str = "") -> QuerySet[Award]:
    """Awards as the public may see them, newest first; searchable by name or USCC."""
    qs = Award.objects.select_related("organisation", "programme").order_by(
        "-announced_on", "organisation__name"
    )
    if query:
        qs = qs.filter(Q(organisation__name__icontains=query) | Q(organisation__uscc=query.upper()))
    if status:
        qs = qs.filter(status=status)
    if uscc:
        qs = qs.filter(organisation__uscc=uscc.strip().upper())
    return qs


def award_by_code(code: str) -> Award | None:
    return Award.objects.select_related("organisation", "programme").filter(code=code).first()
