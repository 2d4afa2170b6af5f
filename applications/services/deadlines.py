"""What the calendar ends by itself (issue 9 §1, §5): every application reaches a final status.

Run daily (beat: ``applications.end_overdue``) and idempotent:
- a submitted application still without both recommendation opinions after the cycle's
  recommendation deadline is not recommended: ``declined`` (R12.2);
- a draft never submitted by the submission deadline, and a returned application not
  resubmitted by its correction deadline, are ``withdrawn``.
The applicant is told each time (the transition notifies).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from ..enums import ApplicationStatus as S
from ..models import Application
from .workflow import lock, transition_application


@dataclass
class OverdueReport:
    declined: list[int] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"declined": self.declined, "withdrawn": self.withdrawn}


def _end(app_id: int, *, expected: str, to: str, reason: str, told: str | None = None) -> bool:
    with transaction.atomic():
        app = lock(Application(pk=app_id))
        if app.status != expected:  # moved on meanwhile, or a second run
            return False
        transition_application(
            app, to, actor=None, reason=reason, told=reason if told is None else told
        )
        return True


def end_overdue_applications(*, today: dt.date) -> OverdueReport:
    report = OverdueReport()
    unrecommended = Application.objects.filter(
        status=S.SUBMITTED, cycle__recommendation_deadline__lt=today
    ).select_related("cycle")
    for app in unrecommended.order_by("pk"):
        told = (
            f"推荐截止日期（{app.cycle.recommendation_deadline:%Y-%m-%d}）已过，"
            "未获行业主管部门和领导小组两级推荐，视为未获推荐。"
        )
        # The audit keeps the rule id; the applicant reads the sentence without it.
        reason = told[:-1] + "（R12.2）。"
        if _end(app.pk, expected=S.SUBMITTED, to=S.DECLINED, reason=reason, told=told):
            report.declined.append(app.pk)
    drafts = Application.objects.filter(
        Q(status=S.DRAFT, cycle__submission_deadline__lt=today)
        | Q(status=S.RETURNED, correction_due__lt=today)
    ).select_related("cycle")
    for app in drafts.order_by("pk"):
        if app.status == S.DRAFT:
            reason = f"申报截止日期（{app.cycle.submission_deadline:%Y-%m-%d}）前未提交，申报结束。"
        else:
            reason = f"未在修改期限（{app.correction_due:%Y-%m-%d}）内重新提交，申报结束。"
        if _end(app.pk, expected=app.status, to=S.WITHDRAWN, reason=reason):
            report.withdrawn.append(app.pk)
    return report
