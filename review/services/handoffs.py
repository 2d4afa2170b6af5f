"""Telling the next role that a cycle waits for it (issue 11: no dead ends). Called by the
service that completes the step, inside its transaction; ``notify`` sends the e-mails after
commit. Each notification links to the page where its recipient acts."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext

from accounts.enums import Role
from notifications.services import notify_staff
from programmes.models import Cycle


def _facts(cycle: Cycle, **more) -> dict:
    return {"programme": cycle.programme.name, "year": cycle.year, **more}


def tell_candidates_proposed(cycle: Cycle, count: int) -> None:
    """The committee decides among the candidates the office proposed (R12.6 → R12.7)."""
    facts = _facts(cycle, count=count)
    notify_staff(
        cycle.programme_id,
        Role.COMMITTEE,
        subject=gettext("【%(programme)s】%(count)s个候选获奖组织等待评审委员会审定") % facts,
        body=gettext(
            "评审委员会办公室已提出%(year)s年度%(programme)s的候选获奖组织%(count)s个，"
            "请评审委员会审定拟获奖名单并写明审定理由。"
        )
        % facts,
        url=reverse("review:decision", args=[cycle.pk]),
    )


def tell_winners_decided(cycle: Cycle, count: int) -> None:
    """The office publishes the proposed winners (R12.7); the supervisor watches the decision
    (R22). With no winner the cycle closes and nothing waits for the office."""
    facts = _facts(cycle, count=count)
    subject = gettext("【%(programme)s】评审委员会已审定拟获奖名单") % facts
    if count:
        notify_staff(
            cycle.programme_id,
            Role.OFFICE,
            subject=subject,
            body=gettext(
                "评审委员会已审定%(year)s年度%(programme)s拟获奖组织%(count)s个，"
                "请安排公示（公示期不得早于审定日期开始）。"
            )
            % facts,
            url=reverse("review:cycle", args=[cycle.pk]),
        )
    notify_staff(
        cycle.programme_id,
        Role.SUPERVISOR,
        subject=subject,
        body=(
            gettext("评审委员会已审定%(year)s年度%(programme)s拟获奖组织%(count)s个。") % facts
            if count
            else gettext("评审委员会审定%(year)s年度%(programme)s名额空缺，本年度评审结束。")
            % facts
        ),
        url=reverse("review:decision", args=[cycle.pk]),
    )
