from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.dates import years_after
from common.models import TimeStampedModel

from .enums import AwardStatus, BanReason, ObjectionStatus


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

    def __str__(self) -> str:
        return f"{self.organisation.name} {self.programme.name}（{self.year}年度）"

    @staticmethod
    def validity_end(announced_on: dt.date, years: int) -> dt.date:
        """R6: valid until the ``years``-th anniversary of the announcement (inclusive)."""
        return years_after(announced_on, years).last

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

    class Meta:
        verbose_name = _("禁止申报")
        verbose_name_plural = _("禁止申报")
        ordering = ("-starts_on",)

    def __str__(self) -> str:
        return f"{self.organisation} {self.rule} {self.starts_on}–{self.ends_on}"

    def applies_on(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Objection(models.Model):
    """A public objection during publicity (R12.7). Name and phone are confidential: they are
    shown to the office and the supervisor only, never publicly."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    text = models.TextField(_("异议内容"))
    name = models.CharField(_("姓名"), max_length=64)
    phone = models.CharField(_("联系电话"), max_length=20)
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
