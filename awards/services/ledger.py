"""The reward ledger (R13, R14, R20): Decimal arithmetic only; entries are never changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext

from common import audit
from common.exceptions import ApplicationError, StateConflict
from common.labels import format_money

from ..enums import AwardStatus, LedgerEntryKind, RewardKind
from ..models import Award, LedgerEntry

# Art. 13: the other rewards, 50,000 CNY each (a programme may later hold its own amounts).
OTHER_REWARD_AMOUNTS = {
    RewardKind.CITY_MAYOR_AWARD: Decimal("50000.00"),
    RewardKind.REGIONAL_BRAND: Decimal("50000.00"),
}


def money(value) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(gettext("金额格式不正确。"), field="amount") from exc
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e10"):
        raise ApplicationError(gettext("金额应为正数。"), field="amount")
    return amount


def _entry(
    award: Award,
    *,
    kind: str,
    amount: Decimal,
    on: dt.date,
    actor,
    reward: str,
    reference: str = "",
    note: str = "",
) -> LedgerEntry:
    entry = LedgerEntry.objects.create(
        award=award,
        kind=kind,
        amount=amount,
        on=on,
        reward=reward,
        reference=reference,
        note=note,
        recorded_by=actor,
    )
    audit.record(
        action=f"ledger.{kind}",
        actor=actor,
        obj=award,
        reason=note,
        data={"entry": entry.pk, "amount": amount, "reward": reward, "reference": reference},
    )
    return entry


@transaction.atomic
def record_owed(
    *,
    award: Award,
    actor,
    on: dt.date,
    reward: str = RewardKind.QUALITY_AWARD,
    amount: Decimal | None = None,
) -> LedgerEntry:
    """The reward due to a winner: the programme's amount (100,000 CNY by default) or, for the
    other reward types of art. 13, their amount. Once per award and reward (R13: one-off):
    the award's row is locked, and a unique constraint holds even if a path forgot the lock."""
    award = Award.objects.select_for_update().select_related("programme").get(pk=award.pk)
    if LedgerEntry.objects.filter(award=award, reward=reward, kind=LedgerEntryKind.OWED).exists():
        raise StateConflict(
            gettext("该奖励已登记，不能重复登记（第十三条：一次性奖励）。"), rule="R13"
        )
    if reward == RewardKind.QUALITY_AWARD:
        amount = amount or award.settings.reward_amount
    else:
        amount = amount or OTHER_REWARD_AMOUNTS[reward]
    try:
        with transaction.atomic():
            return _entry(
                award,
                kind=LedgerEntryKind.OWED,
                amount=money(amount),
                on=on,
                actor=actor,
                reward=reward,
                note="一次性奖励（第十三条）",
            )
    except IntegrityError as exc:  # the constraint, should a path have skipped the lock
        raise StateConflict(
            gettext("该奖励已登记，不能重复登记（第十三条：一次性奖励）。"), rule="R13"
        ) from exc


def _already_owed() -> StateConflict:
    return StateConflict(
        gettext("该荣誉的奖励已登记，不能重复登记（第十三条：一次性奖励）。"), rule="R13"
    )


@transaction.atomic
def record_honour_owed(
    *, honour, programme, reward: str, amount: Decimal, on: dt.date, actor
) -> LedgerEntry:
    """Art. 13: the reward owed for an honour granted elsewhere (the city mayor's award, a
    famous-brand title...), paid by ``programme`` and independent of any award of this portal.
    Once per honour: the honour's row is locked, and a unique constraint holds even if a path
    forgot the lock. The caller (``honours.services``) decides the programme and the amount."""
    honour = type(honour).objects.select_for_update().get(pk=honour.pk)
    if LedgerEntry.objects.filter(honour=honour, kind=LedgerEntryKind.OWED).exists():
        raise _already_owed()
    amount = money(amount)
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                honour=honour,
                programme=programme,
                kind=LedgerEntryKind.OWED,
                amount=amount,
                on=on,
                reward=reward,
                note="荣誉一次性奖励（第十三条）",
                recorded_by=actor,
            )
    except IntegrityError as exc:  # the constraint, should a path have skipped the lock
        raise _already_owed() from exc
    audit.record(
        action="ledger.owed",
        actor=actor,
        obj=honour,
        reason=entry.note,
        data={
            "entry": entry.pk,
            "amount": amount,
            "reward": reward,
            "programme": programme.pk,
        },
    )
    return entry


@dataclass(frozen=True)
class Balance:
    owed: Decimal
    paid: Decimal
    clawback_due: Decimal
    clawback_received: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.owed - self.paid

    @property
    def to_recover(self) -> Decimal:
        return self.clawback_due - self.clawback_received


def balance(entries) -> Balance:
    sums = {k: Decimal("0.00") for k in LedgerEntryKind.values}
    for row in entries.values("kind").annotate(total=Sum("amount")).order_by():
        # SQLite sums to a Decimal without places: money always has two.
        sums[row["kind"]] = (row["total"] or Decimal(0)).quantize(Decimal("0.01"))
    return Balance(
        sums[LedgerEntryKind.OWED],
        sums[LedgerEntryKind.PAID],
        sums[LedgerEntryKind.CLAWBACK_DUE],
        sums[LedgerEntryKind.CLAWBACK_RECEIVED],
    )


def award_balance(award: Award) -> Balance:
    return balance(LedgerEntry.objects.filter(award=award))


@transaction.atomic
def record_payment(
    *,
    award: Award,
    amount,
    on: dt.date,
    reference: str,
    actor,
    reward: str = RewardKind.QUALITY_AWARD,
) -> LedgerEntry:
    """The office records money paid directly to the winner (R14). Never more than owed, and
    nothing for a revoked award (R20, R21)."""
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.status == AwardStatus.REVOKED:
        raise StateConflict(gettext("奖项已撤销，不能再登记支付。"), rule="R20")
    amount = money(amount)
    if not (reference or "").strip():
        raise ApplicationError(gettext("请填写支付凭证号。"), field="reference")
    owed = balance(LedgerEntry.objects.filter(award=award, reward=reward))
    if amount > owed.outstanding:
        raise ApplicationError(
            gettext("支付金额%(amount)s元超过应付未付金额%(outstanding)s元。")
            % {"amount": format_money(amount), "outstanding": format_money(owed.outstanding)},
            rule="R13",
            field="amount",
        )
    return _entry(
        award,
        kind=LedgerEntryKind.PAID,
        amount=amount,
        on=on,
        actor=actor,
        reward=reward,
        reference=reference.strip(),
    )


@transaction.atomic
def record_other_reward(*, award: Award, reward: str, on: dt.date, actor) -> LedgerEntry:
    """A winner that also won the city mayor's award or a regional famous-brand title (art. 13)."""
    if reward not in OTHER_REWARD_AMOUNTS:
        raise ApplicationError(gettext("奖励类型不正确。"), field="reward")
    return record_owed(award=award, actor=actor, on=on, reward=reward)


def record_clawback_due(*, award: Award, on: dt.date, actor, note: str) -> LedgerEntry | None:
    """R20: after a fraud revocation, this award's own money paid is to be recovered; the art.
    13 rewards for honours granted elsewhere are not this award's and stay with the winner."""
    paid = balance(LedgerEntry.objects.filter(award=award, reward=RewardKind.QUALITY_AWARD)).paid
    if paid <= 0:
        return None
    return _entry(
        award,
        kind=LedgerEntryKind.CLAWBACK_DUE,
        amount=paid,
        on=on,
        actor=actor,
        reward=RewardKind.QUALITY_AWARD,
        note=note,
    )


@transaction.atomic
def record_clawback_received(
    *, award: Award, amount, on: dt.date, reference: str, actor
) -> LedgerEntry:
    award = Award.objects.select_for_update().get(pk=award.pk)
    amount = money(amount)
    due = award_balance(award)
    if amount > due.to_recover:
        raise ApplicationError(
            gettext("追回金额%(amount)s元超过应追缴未追回金额%(to_recover)s元。")
            % {"amount": format_money(amount), "to_recover": format_money(due.to_recover)},
            rule="R20",
            field="amount",
        )
    return _entry(
        award,
        kind=LedgerEntryKind.CLAWBACK_RECEIVED,
        amount=amount,
        on=on,
        actor=actor,
        reward=RewardKind.QUALITY_AWARD,
        reference=reference,
    )
