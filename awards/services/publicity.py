"""Publicity (公示, R12.7) and announcement (公告, R12.8)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.eligibility import ensure_still_eligible
from applications.services.workflow import lock, transition_application
from common import audit
from common.dates import today
from common.exceptions import ApplicationError, StateConflict
from common.models import AuditEntry
from common.states import transition
from programmes.enums import CycleStatus
from programmes.models import Cycle
from programmes.phases import ensure_review_begun
from review.services.decisions import close_cycle

from ..enums import OBJECTION_MACHINE, ObjectionStatus
from ..models import Award, Objection
from ..register import invalidate_register
from .certificates import queue_certificates
from .handoffs import tell_approval_due, tell_objection_filed, tell_publicity_started
from .ledger import record_owed

MOBILE_OR_PHONE = "0123456789-+ "


def publicity_window(starts_on: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """``days`` days starting on ``starts_on``, both ends included."""
    return starts_on, starts_on + dt.timedelta(days=days - 1)


@transaction.atomic
def start_publicity(
    *, cycle: Cycle, starts_on: dt.date, actor, days: int | None = None
) -> list[Application]:
    """proposed → publicity for every proposed winner; the list becomes public.

    R12.7: publicity follows the committee's decision, never precedes it (``starts_on``, the
    day the notice was published, may lie in the past but not before the decision), and lasts
    the cycle's publicity days: ``days`` may lengthen it, never shorten it."""
    cycle = Cycle.objects.select_for_update().select_related("programme").get(pk=cycle.pk)
    ensure_review_begun(cycle, step=pgettext("step", "公示"), rule="R12.7")
    required = cycle.settings.publicity_days
    days = days or required
    if days < required:
        raise ApplicationError(
            gettext("公示期不得少于%(required)s天（本年度评审规则）。") % {"required": required},
            rule="R12.7",
            field="days",
        )
    if days > 60:
        raise ApplicationError(gettext("公示天数不能超过60天。"), field="days")
    if starts_on > today() + dt.timedelta(days=30):
        raise ApplicationError(gettext("公示开始日期不能晚于30天之后。"), field="starts_on")
    if cycle.decided_at is None:
        raise StateConflict(gettext("评审委员会尚未审定拟获奖名单，不能公示。"), rule="R12.7")
    decided_on = timezone.localdate(cycle.decided_at)
    if starts_on < decided_on:
        raise ApplicationError(
            gettext("公示开始日期不能早于评审委员会审定日期（%(decided_on)s）。")
            % {"decided_on": format(decided_on, "%Y-%m-%d")},
            rule="R12.7",
            field="starts_on",
        )
    proposed = list(Application.objects.filter(cycle=cycle, status=S.PROPOSED).order_by("pk"))
    if not proposed:
        raise StateConflict(gettext("本年度没有待公示的拟获奖组织。"))
    rechecks = ensure_still_eligible(proposed, on=today(), gate=pgettext("step", "公示"))
    first, last = publicity_window(starts_on, days)
    cycle.publicity_starts_on, cycle.publicity_ends_on = first, last
    cycle.save(update_fields=["publicity_starts_on", "publicity_ends_on", "updated_at"])
    for app in proposed:
        transition_application(
            app,
            S.PUBLICITY,
            actor=actor,
            reason=f"公示期{first:%Y-%m-%d}至{last:%Y-%m-%d}",
            told=gettext("公示期为%(first)s至%(last)s，公示期间任何单位和个人均可实名提出异议。")
            % {"first": date_format(first), "last": date_format(last)},
            data={"eligibility": rechecks[app.pk].as_dict()},
        )
    audit.record(
        action="cycle.publicity",
        actor=actor,
        obj=cycle,
        data={"starts_on": first, "ends_on": last, "applications": [a.pk for a in proposed]},
    )
    tell_publicity_started(cycle, len(proposed))
    return proposed


def publicity_runs(cycle: Cycle, day: dt.date) -> bool:
    return bool(
        cycle.publicity_starts_on and cycle.publicity_starts_on <= day <= cycle.publicity_ends_on
    )


@transaction.atomic
def file_objection(*, application_id: int, text: str, name: str, phone: str) -> Objection:
    """Anyone may object, under their real name, while the application's publicity runs."""
    text, name, phone = (text or "").strip(), (name or "").strip(), (phone or "").strip()
    errors = {}
    if len(text) < 10:
        errors["text"] = "请具体说明异议内容（至少10个字）。"
    if len(name) < 2:
        errors["name"] = "请填写真实姓名，不受理匿名异议。"
    if not (7 <= len(phone) <= 20 and all(c in MOBILE_OR_PHONE for c in phone)):
        errors["phone"] = "请填写有效的联系电话。"
    if errors:
        field, message = next(iter(errors.items()))
        raise ApplicationError(message, field=field)
    app = (
        Application.objects.select_related("cycle__programme", "organisation")
        .filter(pk=application_id)
        .first()
    )
    if app is None or app.status != S.PUBLICITY or not publicity_runs(app.cycle, today()):
        raise ApplicationError(
            gettext("该申报不在公示期内，不能提出异议。"), rule="R12.7", field="application"
        )
    objection = Objection(application=app, text=text[:5000], name=name[:64], phone=phone)
    try:
        objection.full_clean()
    except ValidationError as exc:  # e.g. a newline in the name
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(messages[0], field=field) from exc
    objection.save()
    # The audit entry names the objection, never the objector's name or phone.
    audit.record(
        action="objection.filed",
        obj=app,
        role="public",
        to_state=ObjectionStatus.OPEN,
        data={"objection": objection.pk},
    )
    tell_objection_filed(app.cycle, app.organisation.name)
    return objection


@transaction.atomic
def resolve_objection(*, objection: Objection, upheld: bool, reasons: str, actor) -> Objection:
    """The office's finding. An upheld objection withdraws the application."""
    if not (reasons or "").strip():
        raise ApplicationError(gettext("请写明调查处理意见。"), field="reasons")
    locked = Objection.objects.select_for_update().get(pk=objection.pk)
    if locked.status != ObjectionStatus.OPEN:
        raise StateConflict(gettext("该异议已处理。"))
    locked = transition(
        OBJECTION_MACHINE,
        locked,
        ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED,
        actor=actor,
        action="objection.resolved",
        reason=reasons,
        fields={"reasons": reasons.strip(), "resolved_by": actor, "resolved_at": timezone.now()},
        audit_obj=locked.application,
        data={"objection": locked.pk},
    )
    if upheld:
        app = lock(locked.application)
        if app.status == S.PUBLICITY:
            transition_application(
                app,
                S.WITHDRAWN,
                actor=actor,
                reason=f"公示异议经调查成立：{reasons.strip()}",
                told=gettext("公示期间收到的异议经调查成立。调查处理意见：%(reasons)s")
                % {"reasons": reasons.strip()},
            )
    locked.application.refresh_from_db()
    tell_if_approval_due(
        Cycle.objects.select_for_update()
        .select_related("programme")
        .get(pk=locked.application.cycle_id),
        day=today(),
    )
    return locked


APPROVAL_DUE = "cycle.approval_due"


def tell_if_approval_due(cycle: Cycle, *, day: dt.date) -> bool:
    """Tell the government, once, that the cycle awaits its approval (R12.8): the publicity
    period has ended and no objection is open. ``cycle`` is locked by the caller. The audit
    entry records that it was told (and is the mark against telling it twice)."""
    if cycle.announced_on or not cycle.publicity_ends_on or day <= cycle.publicity_ends_on:
        return False
    if Objection.objects.filter(application__cycle=cycle, status=ObjectionStatus.OPEN).exists():
        return False
    if AuditEntry.objects.for_object(cycle).filter(action=APPROVAL_DUE).exists():
        return False
    tell_approval_due(cycle)
    audit.record(
        action=APPROVAL_DUE, obj=cycle, data={"publicity_ends_on": cycle.publicity_ends_on}
    )
    return True


def tell_due_approvals(*, day: dt.date) -> list[int]:
    """Daily (beat, with the other award rules): the cycles whose publicity ended without an
    open objection, told to the government once each. Idempotent."""
    told = []
    due = Cycle.objects.filter(
        status=CycleStatus.OPEN, announced_on=None, publicity_ends_on__lt=day
    ).order_by("pk")
    for cycle_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            cycle = Cycle.objects.select_for_update().select_related("programme").get(pk=cycle_id)
            if tell_if_approval_due(cycle, day=day):
                told.append(cycle.pk)
    return told


@transaction.atomic
def announce_cycle(*, cycle: Cycle, actor) -> list[Award]:
    """The government's consent after publicity (R12.8): 409 before the period has ended or
    while an objection is open. Winners become ``awarded``, awards are created and their
    certificates queued after commit."""
    cycle = Cycle.objects.select_for_update().select_related("programme").get(pk=cycle.pk)
    day = today()
    if cycle.announced_on:
        raise StateConflict(gettext("本年度已公告。"))
    if not cycle.publicity_ends_on:
        raise StateConflict(gettext("拟获奖名单尚未公示。"), rule="R12.7")
    if day <= cycle.publicity_ends_on:
        raise StateConflict(
            gettext("公示期至%(publicity_ends_on)s，期满后方可公告。")
            % {"publicity_ends_on": format(cycle.publicity_ends_on, "%Y-%m-%d")},
            rule="R12.7",
        )
    if Objection.objects.filter(application__cycle=cycle, status=ObjectionStatus.OPEN).exists():
        raise StateConflict(gettext("尚有未处理的公示异议。"), rule="R12.7")
    winners = list(
        Application.objects.filter(cycle=cycle, status=S.PUBLICITY)
        .select_related("organisation", "cycle__programme")
        .order_by("pk")
    )
    rechecks = ensure_still_eligible(winners, on=day, gate=pgettext("step", "公告"))
    programme = cycle.programme
    if len(winners) > cycle.settings.quota:
        raise ApplicationError(
            gettext("获奖%(len)s个，超过年度名额%(quota)s个。")
            % {"len": len(winners), "quota": cycle.settings.quota},
            rule="R7",
        )
    awards = []
    for app in winners:
        transition_application(
            app,
            S.AWARDED,
            actor=actor,
            reason="经政府同意，予以公告",
            told="",
            data={"eligibility": rechecks[app.pk].as_dict()},
        )
        award = Award.objects.create(
            organisation=app.organisation,
            programme=programme,
            cycle=cycle,
            application=app,
            year=cycle.year,
            announced_on=day,
            valid_until=Award.validity_end(day, cycle.settings.validity_years),
        )
        audit.record(
            action="award.created",
            actor=actor,
            obj=award,
            to_state=award.status,
            data={"valid_until": award.valid_until},
        )
        record_owed(award=award, actor=actor, on=day)
        awards.append(award)
    close_cycle(
        cycle=cycle,
        actor=actor,
        reason=f"批准公告，获奖{len(awards)}个：" + "、".join(a.organisation.name for a in awards),
        announced_on=day,
    )
    queue_certificates(awards=awards, actor=actor)
    invalidate_register()
    return awards
