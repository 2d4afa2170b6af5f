"""Changing what the office records about organisations (credit grades, incidents)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from common import audit

from .enums import CreditGrade
from .models import CreditRating, Organisation


@transaction.atomic
def set_credit_grade(
    *, organisation: Organisation, grade: str, source: str, rated_on: dt.date, actor
) -> CreditRating:
    """Record a quality credit rating (R11.5) and make it the organisation's current grade if it
    is the latest."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    rating = CreditRating(
        organisation=org,
        grade=CreditGrade(grade),
        source=source,
        rated_on=rated_on,
        recorded_by=actor,
    )
    rating.full_clean()
    rating.save()
    previous = org.credit_grade
    if org.credit_grade_on is None or rated_on >= org.credit_grade_on:
        org.credit_grade, org.credit_grade_source, org.credit_grade_on = grade, source, rated_on
        org.save(
            update_fields=["credit_grade", "credit_grade_source", "credit_grade_on", "updated_at"]
        )
    audit.record(
        action="organisation.credit_grade",
        actor=actor,
        obj=org,
        from_state=previous,
        to_state=grade,
        reason=source,
        data={"rated_on": rated_on},
    )
    organisation.refresh_from_db()
    return rating
