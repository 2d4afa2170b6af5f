"""Reading organisations for pages and APIs."""

from __future__ import annotations

from django.http import Http404

from .models import Organisation


def visible_organisation(request, pk: int) -> Organisation:
    """The organisation if the caller may read its record, else 404 (it does not learn that
    the organisation exists)."""
    org = Organisation.objects.filter(pk=pk).first()
    if org is None or not request.user.has_perm("organisations.view_organisation_record", org):
        raise Http404
    return org
