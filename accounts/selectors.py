"""Reading accounts data for pages and APIs."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from regions.models import Division

from .enums import OPEN_CLAIM_STATES
from .models import OrganisationClaim, User, programme_model


def staff_of(programme_id: int, *roles: str) -> QuerySet[User]:
    """The active users holding one of ``roles`` who serve the programme (or all programmes):
    the people a hand-off of that programme goes to."""
    return (
        User.objects.filter(groups__name__in=roles, is_active=True)
        .filter(Q(all_programmes=True) | Q(memberships__programme_id=programme_id))
        .distinct()
    )


def claims() -> QuerySet[OrganisationClaim]:
    return OrganisationClaim.objects.select_related(
        "claimant", "organisation", "decided_by"
    ).prefetch_related("evidence")


def claim_with_holders() -> QuerySet[OrganisationClaim]:
    """Claims with the accounts that hold each claimed organisation (for the office)."""
    return claims().prefetch_related(
        Prefetch(
            "organisation__users",
            queryset=User.objects.order_by("pk"),
            to_attr="holder_list",
        )
    )


def visible_claim(user, pk: int) -> OrganisationClaim:
    """The claim, or 404 when there is none or the user may not see it."""
    claim = claim_with_holders().filter(pk=pk).first()
    if claim is None or not user.has_perm("accounts.view_claim", claim):
        raise Http404
    return claim


def claims_of(user) -> QuerySet[OrganisationClaim]:
    return claims().filter(claimant=user)


def open_claim_of(user) -> OrganisationClaim | None:
    return (
        OrganisationClaim.objects.filter(claimant=user, status__in=OPEN_CLAIM_STATES)
        .order_by("-created_at", "-id")
        .first()
    )


def programme_regions() -> list[str]:
    """The names of the active programmes' jurisdictions, for the registration form (the
    rules themselves read the division in the USCC, R3)."""
    programmes = programme_model().objects.filter(is_active=True)
    codes = set(programmes.values_list("region", flat=True))
    names = dict(Division.objects.filter(code__in=codes).values_list("code", "name"))
    return sorted({names.get(code, code) for code in codes})
