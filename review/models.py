from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.fields import LineField
from common.models import TimeStampedModel

from .enums import (
    AssignmentStatus,
    ConflictScoresDecision,
    ExpertStatus,
    RespondentKind,
    Stage,
)

percent_validators = [MinValueValidator(0), MaxValueValidator(100)]


class ExpertProfile(TimeStampedModel):
    """A member of the expert pool (专家库, R10.2)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.PROTECT,
        related_name="expert_profile",
    )
    qualifications = models.TextField(
        _("资质"), blank=True, help_text=_("如：全国质量奖评审员、注册审核员")
    )
    industries = LineField(
        _("擅长行业"), max_length=255, blank=True, help_text=_("多个行业用逗号分隔")
    )
    employer = LineField(_("工作单位"), max_length=200, blank=True)
    term_starts_on = models.DateField(_("聘期开始"), null=True, blank=True)
    term_ends_on = models.DateField(_("聘期结束"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ExpertStatus.choices, default=ExpertStatus.ACTIVE
    )
    status_reason = models.TextField(_("状态说明"), blank=True)
    pledge_accepted_at = models.DateTimeField(_("签署保密承诺时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ("user__username",)

    def __str__(self) -> str:
        return str(self.user)

    def in_term(self, day) -> bool:
        """Within the appointment term (open ends count as unbounded)."""
        return (self.term_starts_on is None or self.term_starts_on <= day) and (
            self.term_ends_on is None or day <= self.term_ends_on
        )

    def industry_list(self) -> list[str]:
        return [s.strip() for s in self.industries.replace("，", ",").split(",") if s.strip()]

    def matches_industry(self, industry: str) -> bool:
        industry = (industry or "").strip()
        return bool(industry) and any(i in industry or industry in i for i in self.industry_list())


class ConflictOfInterest(models.Model):
    """An expert is never assigned to (and loses access to) an organisation they are
    conflicted with."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("专家"),
        on_delete=models.PROTECT,
        related_name="conflicts",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="conflicts",
    )
    reason = models.TextField(_("回避理由"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)
    scores_decision = models.CharField(
        _("已提交评分的处理"),
        max_length=16,
        choices=ConflictScoresDecision.choices,
        default=ConflictScoresDecision.NOT_NEEDED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)

    class Meta:
        verbose_name = _("利益冲突回避")
        verbose_name_plural = _("利益冲突回避")
        constraints = [
            models.UniqueConstraint(fields=("expert", "organisation"), name="one_conflict_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.expert} ↔ {self.organisation}"


class Assignment(models.Model):
    """An expert assigned to score one application at one stage."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("专家"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices)
    leader = models.BooleanField(_("组长"), default=False)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指派人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("指派时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.TextField(_("撤销原因"), blank=True)
    # The sheet's totals, kept when it is submitted and recomputed when the stage's consensus
    # changes (review.services.totals): the ranking reads them instead of every item score
    # (issue 12). Empty (None) on a sheet not yet submitted, or written by other means; the
    # scores are then computed from the item scores, with the same result.
    own_total = models.DecimalField(
        _("本人评分合计"), max_digits=7, decimal_places=2, null=True, blank=True, editable=False
    )
    total = models.DecimalField(
        _("计入评分合计"), max_digits=7, decimal_places=2, null=True, blank=True, editable=False
    )
    own_by_category = models.JSONField(_("本人各类目得分"), null=True, blank=True, editable=False)
    by_category = models.JSONField(_("计入各类目得分"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("评审任务")
        verbose_name_plural = _("评审任务")
        ordering = ("application", "stage", "-leader", "assigned_at")
        constraints = [
            models.UniqueConstraint(
                fields=("application", "expert", "stage"),
                condition=~models.Q(status="revoked"),
                name="one_live_assignment_per_expert_stage",
            ),
        ]
        indexes = [
            models.Index(fields=("expert", "status")),
            # The few sheets without kept totals (not submitted yet), whose item scores the
            # ranking and the cycle page still fetch (``with_score_totals``): without it the
            # planner read every assignment of the deployment to find them (issue 12).
            models.Index(
                fields=("id",),
                condition=models.Q(total=None) | models.Q(by_category=None),
                name="assignment_without_totals",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.expert} · {self.get_stage_display()}"


class ItemScore(models.Model):
    """One expert's mark on one criteria item (SCORING.md)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("评审任务"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        "programmes.CriteriaItem",
        verbose_name=_("条款"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    percent = models.PositiveSmallIntegerField(_("百分比"), validators=percent_validators)
    strengths = models.TextField(_("优势"), blank=True)
    improvements = models.TextField(_("改进机会"), blank=True)
    updated_at = models.DateTimeField(_("保存时间"), auto_now=True)

    class Meta:
        verbose_name = _("条款评分")
        verbose_name_plural = _("条款评分")
        constraints = [
            models.UniqueConstraint(fields=("assignment", "item"), name="one_score_per_item"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="percent_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.percent}%"


class ConsensusScore(models.Model):
    """The consensus value of an item: by the office for the document stage (dispersion
    flags), by the on-site group's leader for the on-site stage (SCORING.md)."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="consensus_scores",
    )
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices)
    item = models.ForeignKey(
        "programmes.CriteriaItem",
        verbose_name=_("条款"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    percent = models.PositiveSmallIntegerField(_("百分比"), validators=percent_validators)
    comment = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)
    # R23: a consensus recorded by someone later conflicted, suspended or disqualified stops
    # counting; it stays on record, marked.
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_reason = models.TextField(_("作废原因"), blank=True)

    class Meta:
        verbose_name = _("一致意见评分")
        verbose_name_plural = _("一致意见评分")
        constraints = [
            models.UniqueConstraint(
                fields=("application", "stage", "item"),
                condition=models.Q(voided_at=None),
                name="one_consensus_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.stage} {self.item.code} {self.percent}%"


class SiteVisit(TimeStampedModel):
    """The on-site review visit (现场评审) of one application."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="site_visit",
    )
    scheduled_on = models.DateField(_("现场评审日期"))
    notes = models.TextField(_("安排说明"), blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("安排人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("现场评审安排")
        verbose_name_plural = _("现场评审安排")

    def __str__(self) -> str:
        return f"{self.application} {self.scheduled_on}"


def new_survey_token() -> str:
    return secrets.token_urlsafe(16)


class SurveyToken(models.Model):
    """A single-use link for one customer's answer to the satisfaction survey (满意度测评)."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="survey_tokens",
    )
    token = models.CharField(_("令牌"), max_length=40, unique=True, default=new_survey_token)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("满意度测评链接")
        verbose_name_plural = _("满意度测评链接")

    def __str__(self) -> str:
        return f"{self.application} {'已用' if self.used_at else '未用'}"


class SurveyResponse(models.Model):
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    score = models.PositiveSmallIntegerField(_("满意度（0-100）"), validators=percent_validators)
    respondent_kind = models.CharField(_("测评对象"), max_length=16, choices=RespondentKind.choices)
    comment = models.TextField(_("意见"), blank=True)
    token = models.OneToOneField(
        SurveyToken,
        verbose_name=_("链接"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="response",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("满意度测评结果")
        verbose_name_plural = _("满意度测评结果")

    def __str__(self) -> str:
        return f"{self.application} {self.score}"
