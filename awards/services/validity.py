"""The daily rules of awards (R6, R20, R21): expiry, the end of bans, reminders. Idempotent:
a second run on the same day changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.models import User
from common import audit
from common.states import transition
from notifications.services import notify

from ..enums import AWARD_MACHINE, UNDECIDED_CASE_STATES, AwardStatus, ReminderKind
from ..models import Award, Ban, Reminder
from ..register import invalidate_register
from .publicity import tell_due_approvals

# (first day, last day) before expiry in which each reminder is due; one reminder per window.
REMINDER_WINDOWS = ((31, 90, ReminderKind.EXPIRY_90), (0, 30, ReminderKind.EXPIRY_30))


@dataclass
class EnforcementReport:
    expired: list[int] = field(default_factory=list)
    bans_lifted: list[int] = field(default_factory=list)
    reminders: list[tuple[int, str]] = field(default_factory=list)
    approvals_due: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "expired": self.expired,
            "bans_lifted": self.bans_lifted,
            "reminders": [f"{a}:{k}" for a, k in self.reminders],
            "approvals_due": self.approvals_due,
        }


def _remind(award: Award, kind: str) -> bool:
    """Send one reminder of this kind for this award, once ever."""
    try:
        with transaction.atomic():
            Reminder.objects.create(award=award, kind=kind)
    except IntegrityError:
        return False
    office = (
        User.objects.filter(groups__name="office", is_active=True)
        .filter(Q(all_programmes=True) | Q(memberships__programme_id=award.programme_id))
        .distinct()
    )
    url = reverse("awards:detail", args=[award.pk])
    facts = {
        "programme": award.programme.name,
        "organisation": award.organisation.name,
        "year": award.year,
        "valid_until": date_format(award.valid_until),
    }
    if kind == ReminderKind.EXPIRED:
        subject = gettext("【%(programme)s】奖项已到期，欢迎再次申报") % facts
        body = (
            gettext(
                "%(organisation)s的%(year)s年度%(programme)s已于%(valid_until)s期满。"
                "期满后可再次申报（第六条）。"
            )
            % facts
        )
    else:
        facts["days"] = 90 if kind == ReminderKind.EXPIRY_90 else 30
        subject = gettext("【%(programme)s】奖项将在%(days)s天后到期") % facts
        body = (
            gettext("%(organisation)s的%(year)s年度%(programme)s有效期至%(valid_until)s。") % facts
        )
    notify(
        recipients=[*award.organisation.users.all(), *office],
        subject=subject,
        body=body,
        url=url,
        programme_id=award.programme_id,
    )
    audit.record(action="award.reminder", obj=award, data={"kind": kind})
    return True


def enforce_award_rules(*, today: dt.date) -> EnforcementReport:
    """Expire awards whose ``valid_until`` has passed (valid through that day, R6), lift bans
    that ended (R20, R21), send the 90- and 30-day reminders and the invitation to apply
    again after expiry, and tell the government of approvals that fell due (R12.8)."""
    report = EnforcementReport()
    for award_id in Award.objects.filter(
        status=AwardStatus.ACTIVE, valid_until__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            award = Award.objects.select_for_update().get(pk=award_id)
            if award.status != AwardStatus.ACTIVE or award.valid_until >= today:
                continue
            transition(
                AWARD_MACHINE,
                award,
                AwardStatus.EXPIRED,
                actor=None,
                action="award.expired",
                reason=f"R6：有效期至{award.valid_until:%Y-%m-%d}，已期满",
            )
            report.expired.append(award.pk)
            invalidate_register()
    for ban_id in Ban.objects.filter(lifted_at=None, ends_on__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            ban = Ban.objects.select_for_update().get(pk=ban_id)
            if ban.lifted_at is not None:
                continue
            ban.lifted_at = timezone.now()
            ban.save(update_fields=["lifted_at", "updated_at"])
            audit.record(action="ban.lifted", obj=ban, reason=f"{ban.rule}：禁止申报期已满")
            report.bans_lifted.append(ban.pk)
    active = Award.objects.filter(status=AwardStatus.ACTIVE).select_related(
        "organisation", "programme"
    )
    for first, last, kind in REMINDER_WINDOWS:
        for award in active.filter(
            valid_until__lte=today + dt.timedelta(days=last),
            valid_until__gte=today + dt.timedelta(days=first),
        ).exclude(reminders__kind=kind):
            if _remind(award, kind):
                report.reminders.append((award.pk, kind))
    # The invitation to apply again waits while a case on the award is still open: it may yet
    # end in a revocation and a ban (issue 9 §2). It goes out the day after the decision.
    for award in (
        Award.objects.filter(status=AwardStatus.EXPIRED)
        .exclude(reminders__kind=ReminderKind.EXPIRED)
        .exclude(cases__status__in=UNDECIDED_CASE_STATES)
        .select_related("organisation", "programme")
    ):
        if _remind(award, ReminderKind.EXPIRED):
            report.reminders.append((award.pk, ReminderKind.EXPIRED))
    # Issue 11: the government hears when a publicity has ended and its approval is due.
    report.approvals_due = tell_due_approvals(day=today)
    return report
