"""The register of honours granted elsewhere (art. 13, issue 13 item 3) and the programme
settings of the rewards paid for them."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.fields import LineField

from .enums import HonourKind


def _evidence_path(instance: Honour, filename: str) -> str:
    # A random name: the original name is kept in the row, never in the path or a URL.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    suffix = f".{extension}" if extension in {"pdf", "jpg", "png", "docx", "xlsx"} else ""
    return f"honours/{instance.organisation_id}/{uuid.uuid4().hex}{suffix}"


class Honour(models.Model):
    """An honour an organisation holds from another issuer: the city mayor's quality award run
    elsewhere, an Inner Mongolia famous-brand title, a provincial or national quality award, a
    standards leader... Entered by the office (one by one or imported); never deleted."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="honours",
    )
    kind = models.CharField(_("荣誉类别"), max_length=32, choices=HonourKind.choices)
    title = LineField(_("荣誉名称"), max_length=200)
    issuer = LineField(_("授予机关"), max_length=200)
    granted_on = models.DateField(_("授予日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    evidence = models.FileField(_("证明材料"), upload_to=_evidence_path, max_length=255, blank=True)
    evidence_name = LineField(_("证明材料文件名"), max_length=255, blank=True)
    evidence_type = models.CharField(_("证明材料类型"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ("-granted_on", "id")
        constraints = [
            # The same honour entered twice (a double submission, an import run again).
            models.UniqueConstraint(
                fields=("organisation", "kind", "title", "granted_on"), name="one_honour_entry"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gt=models.F("granted_on")),
                name="honour_valid_after_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} {self.title}（{self.granted_on:%Y-%m-%d}）"


class HonourRewardAmount(models.Model):
    """A programme's setting: the art. 13 reward it pays for an honour of one kind. Without a
    row, the default of ``enums.DEFAULT_REWARD_AMOUNTS`` applies (50,000 CNY for the city
    mayor's award and a famous-brand title)."""

    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("质量奖"),
        on_delete=models.CASCADE,
        related_name="honour_reward_amounts",
    )
    kind = models.CharField(_("荣誉类别"), max_length=32, choices=HonourKind.choices)
    amount = models.DecimalField(
        _("奖励金额（元）"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("第十三条：获市长质量奖、内蒙古名牌产品的组织一次性奖励5万元"),
    )

    class Meta:
        verbose_name = _("荣誉奖励金额")
        verbose_name_plural = _("荣誉奖励金额")
        ordering = ("programme", "kind")
        constraints = [
            models.UniqueConstraint(
                fields=("programme", "kind"), name="one_honour_reward_amount_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.get_kind_display()} {self.amount}"
