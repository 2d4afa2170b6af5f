"""Changing what the office records about organisations (credit grades, incidents)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext

from common import audit
from common.exceptions import ApplicationError
from common.states import transition

from .enums import INCIDENT_MACHINE, CreditGrade, IncidentStatus
from .models import CreditRating, Incident, Organisation


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


PROFILE_FIELDS_FOR_ENTERPRISE = (
    "industry",
    "address",
    "legal_representative",
    "contact_name",
    "contact_phone",
)


@transaction.atomic
def update_profile(*, organisation: Organisation, data: dict, actor) -> Organisation:
    """Change profile fields. The name, USCC, kind, region and registration date are facts the
    eligibility rules read: only the office changes them."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    allowed = set(PROFILE_FIELDS_FOR_ENTERPRISE)
    if actor.has_role("office"):
        allowed |= {"name", "kind", "region", "registered_on"}
    refused = sorted(n for n, v in data.items() if n not in allowed and getattr(org, n, v) != v)
    if refused:
        raise ApplicationError(
            gettext("以下信息只能由评审委员会办公室修改：%(join)s。")
            % {"join": "、".join(refused)},
            code="forbidden",
            field=refused[0],
        )
    changed = {}
    for name, value in data.items():
        if name in allowed and getattr(org, name) != value:
            changed[name] = (getattr(org, name), value)
            setattr(org, name, value)
    if changed:
        org.full_clean()
        org.save(update_fields=[*changed, "updated_at"])
        audit.record(
            action="organisation.profile_changed",
            actor=actor,
            obj=org,
            data={k: {"from": v[0], "to": v[1]} for k, v in changed.items()},
        )
    organisation.refresh_from_db()
    return org


@transaction.atomic
def record_incident(
    *,
    organisation: Organisation,
    kind: str,
    occurred_on: dt.date,
    description: str,
    actor,
    status: str = IncidentStatus.REPORTED,
    source: str = "",
) -> Incident:
    """An incident R11.6 looks back for."""
    incident = Incident(
        organisation=organisation,
        kind=kind,
        occurred_on=occurred_on,
        description=description,
        status=status,
        source=source,
        recorded_by=actor,
    )
    incident.full_clean()
    incident.save()
    audit.record(
        action="incident.recorded",
        actor=actor,
        obj=organisation,
        to_state=status,
        reason=description[:500],
        data={"incident": incident.pk, "kind": kind, "occurred_on": occurred_on},
    )
    return incident


@transaction.atomic
def set_incident_status(*, incident: Incident, status: str, actor, reason: str = "") -> Incident:
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if status not in IncidentStatus.values:
        raise ApplicationError(gettext("核实状态不正确。"), field="status")
    if locked.status == status:  # already so: nothing to record
        return locked
    return transition(
        INCIDENT_MACHINE,
        locked,
        status,
        actor=actor,
        action="incident.status",
        reason=reason,
        audit_obj=locked.organisation,
        data={"incident": locked.pk},
    )
