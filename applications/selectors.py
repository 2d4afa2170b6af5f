"""Reading applications: querysets with their relations declared once."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404

from common.dates import today as local_today
from programmes.enums import CyclePhase, CycleStatus
from programmes.models import Cycle

from .enums import ApplicationStatus as S
from .models import Application, Document, Recommendation


def application_counts(cycle: Cycle) -> dict[str, int]:
    """How many applications of the cycle are in each status."""
    rows = cycle.applications.values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


def application_counts_of(cycles) -> dict[int, dict[str, int]]:
    """``application_counts`` of several cycles in one query: {cycle id: {status: n}}."""
    out: dict[int, dict[str, int]] = {c.pk: {} for c in cycles}
    rows = (
        Application.objects.filter(cycle__in=[c.pk for c in cycles])
        .values("cycle", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        out[row["cycle"]][row["status"]] = row["n"]
    return out


def cycle_phase(cycle: Cycle, today: dt.date | None = None, counts: dict | None = None) -> str:
    """The R12 step the cycle is in: the calendar up to the recommendation deadline, then the
    furthest step any live application has reached."""
    today = today or local_today()
    phase = cycle.date_phase(today)
    if phase != CyclePhase.ELIGIBILITY or cycle.status != CycleStatus.OPEN:
        return phase
    counts = application_counts(cycle) if counts is None else counts
    for status, step in (
        (S.PROPOSED, CyclePhase.DECISION),
        (S.CANDIDATE, CyclePhase.DECISION),
        (S.ONSITE_REVIEW, CyclePhase.ONSITE_REVIEW),
        (S.DOCUMENT_REVIEW, CyclePhase.DOCUMENT_REVIEW),
    ):
        if counts.get(status):
            return step
    return phase


def applications_for(user) -> QuerySet[Application]:
    """The applications ``user`` may list: their organisation's, or (staff who read intake) the
    submitted ones of the programmes they serve."""
    qs = Application.objects.select_related("cycle__programme", "organisation")
    if user.is_enterprise:
        return qs.filter(organisation_id=user.organisation_id)
    if user.has_perm("applications.list_intake"):
        return (
            qs.filter(submitted_at__isnull=False)
            .filter(user.read_programme_filter("cycle__programme"))
            .filter(user.industry_filter())
        )
    return qs.none()


# The columns an application list shows (the office's page and the list API): a row of the
# list reads these and no more, not the form's JSON, the programme's rules or the
# organisation's profile (issue 12).
LIST_COLUMNS = (
    "id",
    "cycle_id",
    "organisation_id",
    "status",
    "submitted_at",
    "last_submitted_at",
    "cycle__year",
    "cycle__programme_id",
    "cycle__programme__name",
    "organisation__name",
)


def application_rows(qs: QuerySet[Application]) -> QuerySet[Application]:
    """``qs`` (from :func:`applications_for`) loading only what a list row shows."""
    return qs.only(*LIST_COLUMNS)


def application_detail(pk: int) -> Application | None:
    # One row by its key: no ordering to compile (``first()`` would order by the model's).
    found = Application.objects.select_related(
        "cycle__programme", "cycle__criteria_set", "organisation"
    ).filter(pk=pk)
    return next(iter(found.order_by()[:1]), None)


def live_documents(application: Application) -> QuerySet[Document]:
    return application.documents.filter(removed_at=None).order_by("kind", "uploaded_at", "id")


def visible_application(request, pk: int, perm: str | None = None) -> Application:
    """The application if the caller may see it (else 404), and may do ``perm`` (else 403)."""
    app = application_detail(pk)
    if app is None or not request.user.has_perm("applications.view_application", app):
        raise Http404
    if perm and not request.user.has_perm(perm, app):
        raise PermissionDenied()
    return app


def recommendations_signed_by(user) -> QuerySet[Recommendation]:
    """The recommendation opinions ``user`` has signed (R12.2), newest first, with the
    application, its organisation and its cycle."""
    return (
        Recommendation.objects.filter(signed_by=user)
        .select_related("application__organisation", "application__cycle__programme")
        .order_by("-signed_at", "-pk")
    )
