"""Cases and sanctions (R20, R21): the office opens a case, the committee decides, the
government approves a revocation; the ban, the recovery and (for fraud) the clawback and the
public exposure follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from applications.enums import FINAL_STATES
from applications.models import Application
from applications.services.intake import end_application
from common import audit
from common.dates import add_years, today, years_after
from common.exceptions import ApplicationError, StateConflict
from common.states import transition
from common.uploads import check_upload

from ..enums import (
    AWARD_MACHINE,
    CASE_MACHINE,
    AwardStatus,
    BanReason,
    CaseStatus,
    CaseTrigger,
    Sanction,
)
from ..models import Award, Ban, Case
from ..register import invalidate_register
from .handoffs import tell_award_revoked, tell_case_decided, tell_case_opened
from .ledger import record_clawback_due

# What other apps do when an award is revoked (the ladder withdraws the award's open
# nominations into higher programmes), registered at start-up so that awards never imports
# them. Each hook is called as ``hook(award=..., actor=..., reason=...)`` inside the
# revocation's transaction.
_ON_REVOKED: list[Callable] = []


def on_revoked(hook: Callable) -> None:
    """Call ``hook`` whenever an award is revoked (idempotent)."""
    if hook not in _ON_REVOKED:
        _ON_REVOKED.append(hook)


@transaction.atomic
def open_case(
    *, award: Award, trigger: str, occurred_on: dt.date, description: str, actor, evidence=None
) -> Case:
    """Art. 21 triggers only when they occurred within the watch window (2 years after the
    announcement by default, the anniversary included); fraud (art. 20) at any time."""
    if trigger not in CaseTrigger.values:
        raise ApplicationError(gettext("情形不正确。"), field="trigger")
    if not (description or "").strip():
        raise ApplicationError(gettext("请写明情况说明。"), field="description")
    award = Award.objects.select_for_update().select_related("programme").get(pk=award.pk)
    if award.status == AwardStatus.REVOKED:
        raise StateConflict(gettext("该奖项已撤销。"))
    if occurred_on > today():
        raise ApplicationError(gettext("发生日期不能晚于今天。"), field="occurred_on")
    # Fraud usually happened before the award (in the application): no lower bound for it.
    if trigger != CaseTrigger.FRAUD:
        window = years_after(award.announced_on, award.settings.watch_years)
        if occurred_on not in window:
            raise ApplicationError(
                gettext("第二十一条情形须发生在获奖后%(watch_years)s年内（%(first)s至%(last)s）。")
                % {
                    "watch_years": award.settings.watch_years,
                    "first": format(window.first, "%Y-%m-%d"),
                    "last": format(window.last, "%Y-%m-%d"),
                },
                rule="R21",
                field="occurred_on",
            )
    case = Case(
        award=award,
        trigger=trigger,
        occurred_on=occurred_on,
        description=description.strip(),
        opened_by=actor,
    )
    if evidence is not None:
        file_type = check_upload(evidence)  # the same content checks as evidence uploads
        case.evidence_name = (getattr(evidence, "name", "") or "")[:255]
        case.evidence.save(f"evidence.{file_type.extension}", evidence, save=False)
    case.save()
    audit.record(
        action="case.opened",
        actor=actor,
        obj=award,
        to_state=case.status,
        reason=case.description,
        data={"case": case.pk, "trigger": trigger, "rule": case.rule},
    )
    tell_case_opened(case)
    return case


@transaction.atomic
def decide_case(*, case: Case, sanction: str, reasons: str, actor) -> Case:
    """The committee's decision by severity (R21: warning, circular of criticism, or revocation).
    A fraud case (R20) admits no lesser sanction: revocation, or "fraud not established"
    (``none``). ``revoke`` waits for the government; a circular is published on the public
    exposure list with its date."""
    if sanction not in Sanction.values:
        raise ApplicationError(gettext("处理决定不正确。"), field="sanction")
    if not (reasons or "").strip():
        raise ApplicationError(gettext("请写明决定理由。"), field="reasons")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.OPEN:
        raise StateConflict(gettext("该案件已作出决定。"))
    if locked.trigger == CaseTrigger.FRAUD and sanction not in (Sanction.REVOKE, Sanction.NONE):
        raise ApplicationError(
            gettext(
                "弄虚作假一经查实应撤销奖项（第二十条），不适用警告或通报批评；未查实的，决定为“不予处理”。"
            ),
            rule="R20",
            field="sanction",
        )
    decided = transition(
        CASE_MACHINE,
        locked,
        CaseStatus.AWAITING_GOVERNMENT if sanction == Sanction.REVOKE else CaseStatus.CLOSED,
        actor=actor,
        action="case.decided",
        reason=reasons,
        fields={
            "sanction": sanction,
            "reasons": reasons.strip(),
            "decided_by": actor,
            "decided_at": timezone.now(),
            "exposed": sanction == Sanction.CIRCULAR,  # 通报批评 is public (R21)
        },
        audit_obj=locked.award,
        data={"case": locked.pk, "sanction": sanction, "rule": locked.rule},
    )
    tell_case_decided(decided)
    return decided


@transaction.atomic
def approve_revocation(*, case: Case, actor, reason: str = "") -> Case:
    """The government revokes (R20, R21): the award is ``revoked``, its certificate and plaque
    are to be recovered, the ban starts today; for fraud, the money is to be clawed back and
    the case is exposed publicly."""
    locked = Case.objects.select_for_update().select_related("award__programme").get(pk=case.pk)
    if locked.status != CaseStatus.AWAITING_GOVERNMENT:
        raise StateConflict(gettext("该案件不在待批准撤销状态。"))
    award = Award.objects.select_for_update().get(pk=locked.award_id)
    if award.status == AwardStatus.REVOKED:
        raise StateConflict(gettext("该奖项已撤销。"))
    day = today()
    programme = award.programme
    fraud = locked.trigger == CaseTrigger.FRAUD
    now = timezone.now()
    for certificate in award.certificates.filter(revoked_at=None):
        certificate.revoked_at = now
        certificate.revocation_reason = locked.reasons
        certificate.to_recover = True
        certificate.save(update_fields=["revoked_at", "revocation_reason", "to_recover"])
    # R21 bans for 3 years; art. 20 names no ban (a programme may set one, default none).
    years = award.settings.fraud_ban_years if fraud else award.settings.ban_years
    ban = None
    if years > 0:
        ban = Ban.objects.create(
            organisation=award.organisation,
            programme=programme,
            award=award,
            case=locked,
            rule=BanReason.FRAUD if fraud else BanReason.POST_AWARD,
            starts_on=day,
            ends_on=add_years(day, years),
        )
        end_banned_applications(ban=ban, actor=actor)
    transition(
        AWARD_MACHINE,
        award,
        AwardStatus.REVOKED,
        actor=actor,
        action="award.revoked",
        reason=reason or locked.reasons,
        fields={"revoked_on": day, "revocation_reason": locked.reasons},
        data={
            "case": locked.pk,
            "rule": locked.rule,
            "ban_until": ban.ends_on if ban else None,
            "exposed": fraud,
        },
    )
    for hook in _ON_REVOKED:
        hook(award=award, actor=actor, reason=reason or locked.reasons)
    locked = transition(
        CASE_MACHINE,
        locked,
        CaseStatus.CLOSED,
        actor=actor,
        action="case.revocation_approved",
        reason=reason or locked.reasons,
        fields={"approved_by": actor, "approved_at": now, "exposed": fraud},
        audit_obj=award,
        data={"case": locked.pk},
    )
    invalidate_register()
    if fraud:
        record_clawback_due(award=award, on=day, actor=actor, note="R20：弄虚作假被撤销，追缴奖金")
    tell_award_revoked(award)
    return locked


def end_banned_applications(*, ban: Ban, actor) -> list[int]:
    """A ban stops the organisation taking part in the review (不得参加评审, R20/R21): every
    live application of it in the programme ends at once, with the ban as its reason."""
    ended = []
    live = Application.objects.filter(
        organisation=ban.organisation, cycle__programme=ban.programme
    ).exclude(status__in=FINAL_STATES)
    for app in live.order_by("pk"):
        end_application(
            application=app,
            actor=actor,
            rule=ban.rule,
            reasons=(
                f"{ban.rule}：{ban.get_rule_display()}，"
                f"{ban.starts_on:%Y-%m-%d}至{ban.ends_on:%Y-%m-%d}不得参加评审。"
            ),
        )
        ended.append(app.pk)
    return ended


@transaction.atomic
def mark_recovered(*, award: Award, actor) -> int:
    """The certificate and plaque of a revoked award have been returned."""
    count = 0
    for certificate in award.certificates.filter(to_recover=True, recovered_at=None):
        certificate.recovered_at = timezone.now()
        certificate.save(update_fields=["recovered_at"])
        count += 1
    if not count:
        raise StateConflict(gettext("没有待收回的证书和奖牌。"))
    audit.record(action="certificate.recovered", actor=actor, obj=award)
    return count
