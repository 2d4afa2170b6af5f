"""Changing what the office records about organisations (credit grades, incidents)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext

from common import audit
from common.exceptions import ApplicationError
from common.states import transition

from .enums import INCIDENT_MACHINE, CreditScheme, IncidentStatus
from .models import CreditRating, DishonestyListing, Incident, Organisation


@transaction.atomic
def set_credit_grade(
    *,
    organisation: Organisation,
    grade: str,
    source: str,
    rated_on: dt.date,
    actor,
    scheme: str = CreditScheme.A_D,
    audit_data: dict | None = None,
) -> CreditRating:
    """Record a quality credit rating (R11.5), under any scheme (``CreditScheme``), and make it
    the organisation's current grade if it is the latest."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    rating = CreditRating(
        organisation=org,
        scheme=scheme,
        grade=grade,
        source=source,
        rated_on=rated_on,
        recorded_by=actor,
    )
    rating.full_clean()
    rating.save()
    previous = org.credit_grade
    _refresh_current_grade(org)
    audit.record(
        action="organisation.credit_grade",
        actor=actor,
        obj=org,
        from_state=previous,
        to_state=grade,
        reason=source,
        data={"rated_on": rated_on, "scheme": scheme, **(audit_data or {})},
    )
    organisation.refresh_from_db()
    return rating


def _refresh_current_grade(org: Organisation) -> None:
    """The organisation's displayed grade is its latest rating (``org`` is locked)."""
    latest = org.credit_ratings.order_by("-rated_on", "-id").first()
    if latest is None:
        return
    current = (latest.grade, latest.scheme, latest.source, latest.rated_on)
    if current != (
        org.credit_grade,
        org.credit_grade_scheme,
        org.credit_grade_source,
        org.credit_grade_on,
    ):
        (
            org.credit_grade,
            org.credit_grade_scheme,
            org.credit_grade_source,
            org.credit_grade_on,
        ) = current
        org.save(
            update_fields=[
                "credit_grade",
                "credit_grade_scheme",
                "credit_grade_source",
                "credit_grade_on",
                "updated_at",
            ]
        )


@transaction.atomic
def correct_credit_grade(
    *, rating: CreditRating, grade: str, scheme: str, actor, audit_data: dict | None = None
) -> CreditRating:
    """The rating with this source and date now reads another grade (a corrected list)."""
    locked = CreditRating.objects.select_for_update().get(pk=rating.pk)
    org = Organisation.objects.select_for_update().get(pk=locked.organisation_id)
    before = (locked.scheme, locked.grade)
    locked.scheme, locked.grade = scheme, grade
    locked.full_clean()
    locked.save(update_fields=["scheme", "grade"])
    _refresh_current_grade(org)
    audit.record(
        action="organisation.credit_grade_corrected",
        actor=actor,
        obj=org,
        from_state=before[1],
        to_state=grade,
        reason=locked.source,
        data={
            "rating": locked.pk,
            "rated_on": locked.rated_on,
            "scheme": {"from": before[0], "to": scheme},
            **(audit_data or {}),
        },
    )
    return locked


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
    audit_data: dict | None = None,
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
        data={
            "incident": incident.pk,
            "kind": kind,
            "occurred_on": occurred_on,
            "source": source,
            **(audit_data or {}),
        },
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


@transaction.atomic
def record_dishonesty_listing(
    *,
    uscc: str,
    source: str,
    listed_on: dt.date,
    removed_on: dt.date | None,
    actor,
    audit_data: dict | None = None,
) -> tuple[DishonestyListing, str]:
    """Enter an organisation on the serious-dishonesty list (R11.5), or change the removal date
    of its entry with the same source and entry date. Returns the listing and what happened:
    ``created``, ``updated`` or ``unchanged`` (then nothing is written)."""
    # get_or_create: a second submission of the same list meets the unique key and reads the
    # first one's row instead of failing.
    listing, created = DishonestyListing.objects.select_for_update().get_or_create(
        uscc=uscc,
        source=source,
        listed_on=listed_on,
        defaults={"removed_on": removed_on, "recorded_by": actor},
    )
    org = Organisation.objects.filter(uscc=uscc).first()
    data = {"uscc": uscc, "listed_on": listed_on, "removed_on": removed_on, **(audit_data or {})}
    if created:
        audit.record(
            action="organisation.dishonesty_listed",
            actor=actor,
            obj=org or listing,
            to_state="listed" if removed_on is None else "removed",
            reason=source,
            data={"listing": listing.pk, **data},
        )
        return listing, "created"
    if listing.removed_on == removed_on:
        return listing, "unchanged"
    before = listing.removed_on
    listing.removed_on = removed_on
    listing.save(update_fields=["removed_on", "updated_at"])
    audit.record(
        action="organisation.dishonesty_changed",
        actor=actor,
        obj=org or listing,
        from_state="listed" if before is None else "removed",
        to_state="listed" if removed_on is None else "removed",
        reason=source,
        data={"listing": listing.pk, "removed_on_before": before, **data},
    )
    return listing, "updated"
