"""Reading applications: querysets with their relations declared once."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from common.dates import today as local_today
from programmes.enums import CyclePhase, CycleStatus
from programmes.models import Cycle

from .enums import ApplicationStatus as S


def application_counts(cycle: Cycle) -> dict[str, int]:
    """How many applications of the cycle are in each status."""
    rows = cycle.applications.values("status").annotate(n=Count("id")).order_by()
    return {row["status"]: row["n"] for row in rows}


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
