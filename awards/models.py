from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.dates import years_after
from common.fields import LineField
from common.models import TimeStampedModel
from programmes.rule_settings import RuleSettings

from .enums import (
    AwardStatus,
    BanReason,
    CaseStatus,
    CaseTrigger,
    LedgerEntryKind,
    ObjectionStatus,
    ReminderKind,
    RewardKind,
    Sanction,
)


def new_verification_code() -> str:
    """An unguessable public code (about 120 bits) for /verify/<code>/ and the QR code."""
    return secrets.token_urlsafe(15)


class Award(TimeStampedModel):
    """A title held by an organisation: from an announcement, or recorded from before the portal."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("获奖组织"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("质量奖"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    cycle = models.ForeignKey(
        "programmes.Cycle",
        verbose_name=_("年度评审"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    announced_on = models.DateField(_("公告日期"))
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=AwardStatus.choices,
        default=AwardStatus.ACTIVE,
        db_index=True,
    )
    code = models.CharField(
        _("核验码"), max_length=32, unique=True, default=new_verification_code, editable=False
    )
    imported = models.BooleanField(_("历史获奖（系统上线前）"), default=False)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revocation_reason = models.TextField(_("撤销理由"), blank=True)

    class Meta:
        verbose_name = _("获奖")
        verbose_name_plural = _("获奖")
        ordering = ("-announced_on", "organisation__name")
        constraints = [
            models.UniqueConstraint(
                fields=("organisation", "programme", "year"), name="one_award_per_year"
            )
        ]
        # The registry's ORDER BY announced_on DESC and the office list's year DESC, each
        # then by organisation name: walked backwards, the first date's or year's awards are
        # joined and sorted, not all of them (issue 12, EXPLAIN ANALYZE at province scale).
        indexes = [
            models.Index(fields=("announced_on",), name="award_announced_on_idx"),
            models.Index(fields=("year",), name="award_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} {self.programme.name}（{self.year}年度）"

    @staticmethod
    def validity_end(announced_on: dt.date, years: int) -> dt.date:
        """R6: valid until the ``years``-th anniversary of the announcement (inclusive)."""
        return years_after(announced_on, years).last

    @property
    def settings(self) -> RuleSettings:
        """The rules the award was given under: its cycle's copy, or (an award recorded from
        before the portal) the programme's settings now."""
        return self.cycle.settings if self.cycle_id else RuleSettings.of(self.programme)

    def is_valid_on(self, day: dt.date) -> bool:
        return self.status != AwardStatus.REVOKED and self.announced_on <= day <= self.valid_until


class Ban(TimeStampedModel):
    """An organisation may not apply while banned (R20, R21): from ``starts_on`` through
    ``ends_on`` inclusive."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="bans",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("质量奖"),
        on_delete=models.PROTECT,
        related_name="bans",
    )
    award = models.ForeignKey(
        Award,
        verbose_name=_("被撤销的奖项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bans",
    )
    rule = models.CharField(_("依据"), max_length=4, choices=BanReason.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    case = models.ForeignKey(
        "Case",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bans",
    )

    class Meta:
        verbose_name = _("禁止申报")
        verbose_name_plural = _("禁止申报")
        ordering = ("-starts_on",)

    def __str__(self) -> str:
        return f"{self.organisation} {self.rule} {self.starts_on}–{self.ends_on}"

    def applies_on(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Objection(models.Model):
    """A public objection during publicity (R12.7). Name and phone are confidential: the office,
    which investigates, reads them (``awards.view_objector``); nobody else sees them, nor may
    filter, sort or search by them."""

    CONFIDENTIAL_FIELDS = ("name", "phone")

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    text = models.TextField(_("异议内容"))
    name = LineField(_("姓名"), max_length=64)
    phone = LineField(_("联系电话"), max_length=20)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    status = models.CharField(
        _("处理状态"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    reasons = models.TextField(_("处理意见"), blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.application} {self.get_status_display()}"


class Certificate(models.Model):
    """An issued certificate (证书): a document copied at issue time and never edited. A
    re-issue is a new certificate that points at the one it replaces (pretix invoices)."""

    award = models.ForeignKey(
        Award, verbose_name=_("奖项"), on_delete=models.PROTECT, related_name="certificates"
    )
    serial = models.CharField(_("证书编号"), max_length=40, unique=True)
    organisation_name = models.CharField(_("获奖组织"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    programme_name = models.CharField(_("奖项名称"), max_length=100)
    government_name = models.CharField(_("颁奖政府"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    announced_on = models.DateField(_("公告日期"))
    valid_until = models.DateField(_("有效期至"))
    verification_code = models.CharField(_("核验码"), max_length=32)
    pdf = models.FileField(_("PDF"), upload_to="certificates/", blank=True, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("替换的证书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    superseded_at = models.DateTimeField(_("被替换时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    revocation_reason = models.TextField(_("作废原因"), blank=True)
    to_recover = models.BooleanField(_("待收回证书和奖牌"), default=False)
    recovered_at = models.DateTimeField(_("已收回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("award",),
                condition=models.Q(superseded_at=None),
                name="one_current_certificate_per_award",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial} {self.organisation_name}"

    @property
    def is_rendered(self) -> bool:
        return bool(self.pdf)


class LedgerEntry(models.Model):
    """Money of an award (R13, R14, R20): what is owed, paid, to be clawed back and recovered.
    Append-only: a correction is a new entry."""

    award = models.ForeignKey(
        Award,
        verbose_name=_("奖项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger",
    )
    # Art. 13's rewards for honours granted elsewhere are independent of any award of this
    # portal: such an entry names the honour and the programme that pays it, and no award.
    honour = models.ForeignKey(
        "honours.Honour",
        verbose_name=_("荣誉"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("支付质量奖"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("荣誉奖励由哪个质量奖的经费支付；获奖奖金取自奖项"),
    )
    reward = models.CharField(
        _("奖励类型"), max_length=20, choices=RewardKind.choices, default=RewardKind.QUALITY_AWARD
    )
    kind = models.CharField(_("类别"), max_length=20, choices=LedgerEntryKind.choices)
    amount = models.DecimalField(
        _("金额（元）"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    on = models.DateField(_("日期"))
    reference = LineField(_("凭证号"), max_length=100, blank=True)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("奖金台账")
        verbose_name_plural = _("奖金台账")
        ordering = ("on", "id")
        constraints = [
            # R13: each reward is owed once per award, whatever runs concurrently.
            models.UniqueConstraint(
                fields=("award", "reward"),
                condition=models.Q(kind="owed"),
                name="one_owed_entry_per_award_and_reward",
            ),
            # R13: the reward for an honour granted elsewhere is owed once per honour.
            models.UniqueConstraint(
                fields=("honour",),
                condition=models.Q(kind="owed"),
                name="one_owed_entry_per_honour",
            ),
            # An entry is an award's money, or an honour's reward paid by a programme.
            models.CheckConstraint(
                condition=(
                    models.Q(award__isnull=False, honour__isnull=True, programme__isnull=True)
                    | models.Q(award__isnull=True, honour__isnull=False, programme__isnull=False)
                ),
                name="ledger_entry_of_award_or_honour",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award or self.honour} {self.get_kind_display()} {self.amount}"


class Visit(models.Model):
    """A follow-up visit to a winner (定期巡访, R19)."""

    award = models.ForeignKey(
        Award, verbose_name=_("奖项"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("巡访日期"))
    visitors = LineField(_("巡访人员"), max_length=200)
    findings = models.TextField(_("发现的情况"))
    follow_up = models.TextField(_("整改要求"), blank=True)
    attachment = models.FileField(_("附件"), upload_to="visits/", blank=True, max_length=255)
    attachment_name = LineField(_("附件名"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("巡访记录")
        verbose_name_plural = _("巡访记录")
        ordering = ("-visited_on", "-id")

    def __str__(self) -> str:
        return f"{self.award} {self.visited_on}"


class Case(TimeStampedModel):
    """A case against a winner (R20, R21): opened by the office, decided by the committee, a
    revocation approved by the government."""

    award = models.ForeignKey(
        Award, verbose_name=_("奖项"), on_delete=models.PROTECT, related_name="cases"
    )
    trigger = models.CharField(_("情形"), max_length=20, choices=CaseTrigger.choices)
    occurred_on = models.DateField(_("发生日期"))
    description = models.TextField(_("情况说明"))
    evidence = models.FileField(_("证据材料"), upload_to="cases/", blank=True, max_length=255)
    evidence_name = LineField(_("证据文件名"), max_length=255, blank=True)
    status = models.CharField(
        _("状态"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("立案人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sanction = models.CharField(_("处理决定"), max_length=16, choices=Sanction.choices, blank=True)
    reasons = models.TextField(_("决定理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    exposed = models.BooleanField(_("公开曝光"), default=False)

    class Meta:
        verbose_name = _("违规案件")
        verbose_name_plural = _("违规案件")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.award} {self.get_trigger_display()}"

    @property
    def rule(self) -> str:
        return "R20" if self.trigger == CaseTrigger.FRAUD else "R21"


class Reminder(models.Model):
    """One reminder sent about an award; unique per kind, so a second daily run sends none."""

    award = models.ForeignKey(
        Award, verbose_name=_("奖项"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        constraints = [
            models.UniqueConstraint(fields=("award", "kind"), name="one_reminder_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.award} {self.get_kind_display()}"
