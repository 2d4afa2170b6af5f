"""Telling the next role what waits for it after publicity and in cases (issue 11: no dead
ends), and the supervisor what it watches (R22). Called by the service that completes the
step, inside its transaction; ``notify`` sends the e-mails after commit.

An objector's name and phone are confidential (R12.7): no notification carries them, nor the
objection's text, which may name its author."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.enums import Role
from notifications.services import notify, notify_staff
from programmes.models import Cycle

from ..enums import CaseStatus, Sanction
from ..models import Award, Case


def tell_publicity_started(cycle: Cycle, count: int) -> None:
    """The government approves after the publicity period (R12.8): it hears of the date now,
    and finds the list on its approvals page."""
    facts = {
        "programme": cycle.programme.name,
        "year": cycle.year,
        "count": count,
        "first": date_format(cycle.publicity_starts_on),
        "last": date_format(cycle.publicity_ends_on),
    }
    notify_staff(
        cycle.programme_id,
        Role.GOVERNMENT,
        subject=gettext("【%(programme)s】拟获奖名单开始公示，期满后待政府批准公告") % facts,
        body=gettext(
            "%(year)s年度%(programme)s拟获奖组织%(count)s个，公示期%(first)s至%(last)s。"
            "公示期满且异议处理完毕后，请批准公告。"
        )
        % facts,
        url=reverse("awards:approvals"),
    )


def tell_objection_filed(cycle: Cycle, organisation_name: str) -> None:
    """The office investigates (R12.7); the supervisor watches. Neither message names the
    objector."""
    facts = {"programme": cycle.programme.name, "organisation": organisation_name}
    subject = gettext("【%(programme)s】公示期间收到对%(organisation)s的异议") % facts
    url = reverse("review:cycle", args=[cycle.pk])
    notify_staff(
        cycle.programme_id,
        Role.OFFICE,
        subject=subject,
        body=gettext(
            "公示期间收到对%(organisation)s的实名异议，请调查核实并记录处理意见；"
            "异议处理完毕前不能公告。"
        )
        % facts,
        url=url,
    )
    notify_staff(
        cycle.programme_id,
        Role.SUPERVISOR,
        subject=subject,
        body=gettext("公示期间收到对%(organisation)s的实名异议，由评审委员会办公室调查处理。")
        % facts,
        url=url,
    )


def tell_approval_due(cycle: Cycle) -> None:
    """The last open objection of an ended publicity was resolved: the government may now
    approve (R12.8)."""
    facts = {"programme": cycle.programme.name, "year": cycle.year}
    notify_staff(
        cycle.programme_id,
        Role.GOVERNMENT,
        subject=gettext("【%(programme)s】拟获奖名单待政府批准公告") % facts,
        body=gettext("%(year)s年度%(programme)s公示期已满，异议已全部处理完毕，请批准公告。")
        % facts,
        url=reverse("awards:approvals"),
    )


def _case_facts(award: Award) -> dict:
    return {
        "programme": award.programme.name,
        "organisation": award.organisation.name,
        "year": award.year,
    }


def tell_case_opened(case: Case) -> None:
    """The committee investigates and decides (R20, R21); the supervisor watches."""
    award = case.award
    facts = {**_case_facts(award), "trigger": case.get_trigger_display()}
    subject = gettext("【%(programme)s】%(organisation)s的奖项已立案，等待评审委员会决定") % facts
    url = reverse("awards:detail", args=[award.pk])
    notify_staff(
        award.programme_id,
        Role.COMMITTEE,
        subject=subject,
        body=gettext(
            "评审委员会办公室对%(organisation)s的%(year)s年度%(programme)s立案（%(trigger)s），"
            "请评审委员会调查并作出处理决定。"
        )
        % facts,
        url=url,
    )
    notify_staff(
        award.programme_id,
        Role.SUPERVISOR,
        subject=subject,
        body=gettext(
            "评审委员会办公室对%(organisation)s的%(year)s年度%(programme)s立案（%(trigger)s）。"
        )
        % facts,
        url=url,
    )


def tell_case_decided(case: Case) -> None:
    """A revocation waits for the government (R20, R21); the supervisor hears of every
    decision."""
    award = case.award
    facts = {**_case_facts(award), "sanction": Sanction(case.sanction).label}
    url = reverse("awards:detail", args=[award.pk])
    if case.status == CaseStatus.AWAITING_GOVERNMENT:
        subject = gettext("【%(programme)s】撤销%(organisation)s的奖项待政府批准") % facts
        notify_staff(
            award.programme_id,
            Role.GOVERNMENT,
            subject=subject,
            body=gettext(
                "评审委员会决定撤销%(organisation)s的%(year)s年度%(programme)s，"
                "请审阅决定理由并批准撤销。"
            )
            % facts,
            url=url,
        )
    else:
        subject = gettext("【%(programme)s】评审委员会对%(organisation)s的案件作出决定") % facts
    notify_staff(
        award.programme_id,
        Role.SUPERVISOR,
        subject=subject,
        body=gettext("评审委员会对%(organisation)s的案件作出处理决定：%(sanction)s。") % facts,
        url=url,
    )


def tell_award_revoked(award: Award) -> None:
    """The office recovers the certificate and plaque (R20); the supervisor watches."""
    facts = _case_facts(award)
    subject = gettext("【%(programme)s】%(organisation)s的奖项已撤销") % facts
    url = reverse("awards:detail", args=[award.pk])
    notify_staff(
        award.programme_id,
        Role.OFFICE,
        subject=subject,
        body=gettext(
            "政府已批准撤销%(organisation)s的%(year)s年度%(programme)s，请收回证书和奖牌并登记。"
        )
        % facts,
        url=url,
    )
    notify_staff(
        award.programme_id,
        Role.SUPERVISOR,
        subject=subject,
        body=gettext("政府已批准撤销%(organisation)s的%(year)s年度%(programme)s。") % facts,
        url=url,
    )
    # The organisation itself hears it from the portal, with what follows (R20).
    notify(
        recipients=award.organisation.users.all(),
        subject=subject,
        body=gettext(
            "政府已批准撤销贵单位的%(year)s年度%(programme)s。请按评审委员会办公室的通知交回证书和"
            "奖牌；撤销后的禁止申报期以处理决定为准。"
        )
        % facts,
        url=reverse("applications:mine"),
        programme_id=award.programme_id,
    )
