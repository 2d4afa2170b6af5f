"""Reading organisations for pages and APIs."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from .models import Incident, Organisation


def organisations_with_incident_counts(query: str = "") -> QuerySet[Organisation]:
    """The office's list: organisations in name order, each with ``incident_count``,
    searchable by name or USCC. The count is a subquery per row shown, not a join grouped
    over every organisation, so a page of 30 walks the name index (issue 12)."""
    incidents = (
        Incident.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = Organisation.objects.annotate(
        incident_count=Coalesce(Subquery(incidents, output_field=IntegerField()), 0)
    ).order_by("name")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(uscc=query.upper()))
    return qs


def visible_organisation(request, pk: int) -> Organisation:
    """The organisation if the caller may read its record, else 404 (it does not learn that
    the organisation exists)."""
    org = Organisation.objects.filter(pk=pk).first()
    if org is None or not request.user.has_perm("organisations.view_organisation_record", org):
        raise Http404
    return org
