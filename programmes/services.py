"""Creating programmes and cycles, and closing cycles nobody applied to (R5)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from common import audit
from common.exceptions import ApplicationError
from common.states import transition

from .enums import CYCLE_MACHINE, CycleStatus
from .models import Cycle, Programme


@transaction.atomic
def create_programme(*, actor, **fields) -> Programme:
    """Create a programme with RULES.md defaults for every setting not given.

    A creator who serves only some programmes also serves the new one.
    """
    if Programme.objects.filter(code=fields.get("code")).exists():
        raise ApplicationError(gettext("该代码已被其他质量奖使用。"), field="code")
    programme = Programme(**fields)
    programme.full_clean()
    programme.save()
    if actor is not None and actor.is_authenticated and not actor.all_programmes:
        programme.memberships.create(user=actor)
        actor.refresh_roles()
    audit.record(action="programme.created", actor=actor, obj=programme, data=fields)
    return programme


@transaction.atomic
def create_cycle(
    *,
    programme: Programme,
    year: int,
    submission_deadline: dt.date,
    recommendation_deadline: dt.date,
    actor,
    opens_on: dt.date | None = None,
    document_review_deadline: dt.date | None = None,
    onsite_review_deadline: dt.date | None = None,
) -> Cycle:
    """Open a year's round of a programme. R5: one a year; the cycle records the criteria
    set (edition) in force, so a later change of the programme's set does not rescore it."""
    Programme.objects.select_for_update().get(pk=programme.pk)
    if Cycle.objects.filter(programme=programme, year=year).exists():
        raise ApplicationError(
            gettext("%(name)s%(year)s年度已有评审，每年只评审一次。")
            % {"name": programme.name, "year": year},
            rule="R5",
            field="year",
        )
    cycle = Cycle(
        programme=programme,
        year=year,
        criteria_set_id=programme.criteria_set_id,
        opens_on=opens_on,
        submission_deadline=submission_deadline,
        recommendation_deadline=recommendation_deadline,
        document_review_deadline=document_review_deadline,
        onsite_review_deadline=onsite_review_deadline,
    )
    cycle.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError as exc:  # a concurrent request created the same year
        raise ApplicationError(gettext("该年度已有评审。"), rule="R5", field="year") from exc
    audit.record(
        action="cycle.created",
        actor=actor,
        obj=cycle,
        to_state=cycle.status,
        data={
            "year": year,
            "submission_deadline": submission_deadline,
            "recommendation_deadline": recommendation_deadline,
            "criteria_set": cycle.criteria_set.code,
        },
    )
    return cycle


def close_unheld_cycles(*, today: dt.date) -> list[Cycle]:
    """R5: a cycle whose submission deadline has passed with no submitted application closes
    as "not held". Idempotent; returns the cycles it closed."""
    closed = []
    overdue = Cycle.objects.filter(status=CycleStatus.OPEN, submission_deadline__lt=today)
    for cycle_id in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
            if cycle.status != CycleStatus.OPEN or cycle.was_held():
                continue
            transition(
                CYCLE_MACHINE,
                cycle,
                CycleStatus.NOT_HELD,
                actor=None,
                action="cycle.not_held",
                reason="R5：申报截止时无组织提交申报，当年不组织评审。",
            )
            closed.append(cycle)
    return closed
