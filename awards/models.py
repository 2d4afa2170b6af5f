from __future__ import annotations

import datetime as dt
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.dates import years_after
from common.models import TimeStampedModel

from .enums import AwardStatus, BanReason


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
