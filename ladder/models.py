"""The award ladder (issue 13 §2): which programmes a programme takes nominations from, and the
nominations themselves (a lower application carried into an upper cycle)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.models import TimeStampedModel

from .enums import NominationStatus


class ProgrammeLadder(models.Model):
    """A programme's place on the ladder: the lower programmes whose winners it takes, and
    whether a valid lower award is a precondition of applying (``R3.nomination``)."""

    programme = models.OneToOneField(
        "programmes.Programme",
        verbose_name=_("质量奖"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="ladder",
    )
    nominated_from = models.ManyToManyField(
        "programmes.Programme",
        verbose_name=_("接受推荐的下级质量奖"),
        blank=True,
        related_name="nominates_into",
    )
    requires_lower_award = models.BooleanField(
        _("须持有下级质量奖"),
        default=False,
        help_text=_("开启后，只有持有上述下级质量奖有效奖项的组织才能申报（R3.nomination）。"),
    )
    accepts_candidates = models.BooleanField(
        _("接受下级候选组织的推荐"),
        default=False,
        help_text=_("开启后，下级质量奖列为候选及以后的组织也可被推荐，而不仅是获奖组织。"),
    )

    class Meta:
        verbose_name = _("质量奖推荐关系")
        verbose_name_plural = _("质量奖推荐关系")

    def __str__(self) -> str:
        return str(self.programme)


class Nomination(TimeStampedModel):
    """A lower programme's office nominated its winner (or candidate) into an upper cycle: the
    upper application starts from the lower file and follows the upper programme's rules."""

    cycle = models.ForeignKey(
        "programmes.Cycle",
        verbose_name=_("上级年度评审"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("上级申报"),
        on_delete=models.PROTECT,
        related_name="nomination",
    )
    nominated_from = models.ForeignKey(
        "applications.Application",
        verbose_name=_("下级申报"),
        on_delete=models.PROTECT,
        related_name="nominations_up",
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("推荐人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=NominationStatus.choices,
        default=NominationStatus.OPEN,
        db_index=True,
    )
    reference = models.JSONField(
        _("下级评审结果（参考）"),
        default=dict,
        blank=True,
        help_text=_("推荐时下级申报的状态、奖项和综合得分，供上级评审参考。"),
    )
    withdrawn_reason = models.TextField(_("撤回理由"), blank=True)

    class Meta:
        verbose_name = _("推荐")
        verbose_name_plural = _("推荐")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("cycle", "nominated_from"),
                condition=models.Q(status="open"),
                name="one_open_nomination_per_lower_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.nominated_from} → {self.cycle}"
