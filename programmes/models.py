from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.fields import LineField
from common.models import TimeStampedModel
from organisations.enums import CreditGrade
from regions.enums import DivisionLevel
from regions.models import Division

from .enums import CyclePhase, CycleStatus, ItemKind, ProgrammeLevel
from .rule_settings import RuleSettings

# The division a programme of each level belongs to (a corps division is a city of the
# Xinjiang Production and Construction Corps, 师市合一, county-level in GB/T 2260).
LEVEL_DIVISIONS = {
    ProgrammeLevel.COUNTY: {DivisionLevel.COUNTY},
    ProgrammeLevel.CITY: {DivisionLevel.PREFECTURE},
    ProgrammeLevel.PROVINCE: {DivisionLevel.PROVINCE},
    ProgrammeLevel.CORPS_DIVISION: {DivisionLevel.COUNTY, DivisionLevel.PREFECTURE},
}


class CriteriaSet(models.Model):
    """A scoring standard, e.g. GB/T 19580-2012 (1000 points). Shipped as data."""

    code = LineField(_("编号"), max_length=32, unique=True)
    name = LineField(_("名称"), max_length=100)
    edition = models.PositiveSmallIntegerField(_("版本年份"))
    total_points = models.PositiveIntegerField(_("总分"))

    class Meta:
        verbose_name = _("评价准则")
        verbose_name_plural = _("评价准则")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CriteriaCategory(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("评价准则"), on_delete=models.CASCADE, related_name="categories"
    )
    code = models.CharField(_("条款号"), max_length=16)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    points = models.PositiveIntegerField(_("分值"))
    order = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("评价类目")
        verbose_name_plural = _("评价类目")
        ordering = ("criteria_set", "order")
        constraints = [
            models.UniqueConstraint(fields=("criteria_set", "code"), name="unique_category_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CriteriaItem(models.Model):
    category = models.ForeignKey(
        CriteriaCategory, verbose_name=_("类目"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("条款号"), max_length=16)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    points = models.PositiveIntegerField(_("分值"))
    kind = models.CharField(_("类型"), max_length=16, choices=ItemKind.choices)
    order = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("评分条款")
        verbose_name_plural = _("评分条款")
        ordering = ("category__order", "order")
        constraints = [models.UniqueConstraint(fields=("category", "code"), name="unique_item")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}（{self.points}分）"

    def points_for(self, percent: int | Decimal) -> Decimal:
        """Points = percentage × item points (SCORING.md)."""
        return Decimal(self.points) * Decimal(percent) / Decimal(100)


# Windows counted in years (validity, operating years, look-back, watch, ban): 1 to 10.
YEARS = [MinValueValidator(1), MaxValueValidator(10)]


def _default_criteria_set() -> int | None:
    found = CriteriaSet.objects.filter(code="GB/T 19580-2012").values_list("pk", flat=True)
    return found.first()


class Programme(TimeStampedModel):
    """One award of one government. Holds every rule setting of RULES.md with its default."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = LineField(_("名称"), max_length=100, help_text=_("如：鄂托克前旗旗长质量奖"))
    region = LineField(
        _("管辖区域"),
        max_length=64,
        help_text=_(
            "行政区划代码（GB/T 2260，6位），如鄂托克前旗 150623；"
            "申报组织须在此或其下级区划注册（R3）"
        ),
    )
    level = models.CharField(
        _("层级"), max_length=16, choices=ProgrammeLevel.choices, default=ProgrammeLevel.COUNTY
    )
    government_name = LineField(
        _("颁奖政府"), max_length=100, help_text=_("如：鄂托克前旗人民政府")
    )
    office_name = LineField(_("评审委员会办公室"), max_length=100, default="评审委员会办公室")
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("评价准则"),
        on_delete=models.PROTECT,
        related_name="+",
        default=_default_criteria_set,
    )
    quota = models.PositiveSmallIntegerField(
        _("年度获奖名额上限"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="R7",
    )
    validity_years = models.PositiveSmallIntegerField(
        _("有效期（年）"), default=3, validators=YEARS, help_text="R6"
    )
    min_operating_years = models.PositiveSmallIntegerField(
        _("申报前最少运行年数"), default=3, validators=YEARS, help_text="R11.1"
    )
    lookback_years = models.PositiveSmallIntegerField(
        _("事故与违法回溯年数"), default=2, validators=YEARS, help_text="R11.6"
    )
    required_credit_grade = models.CharField(
        _("要求的质量信用等级"),
        max_length=2,
        choices=CreditGrade.choices,
        default=CreditGrade.A,
        help_text="R11.5",
    )
    watch_years = models.PositiveSmallIntegerField(
        _("获奖后监督期（年）"), default=2, validators=YEARS, help_text="R21"
    )
    ban_years = models.PositiveSmallIntegerField(
        _("撤销后禁止申报年数（第二十一条）"), default=3, validators=YEARS, help_text="R21"
    )
    fraud_ban_years = models.PositiveSmallIntegerField(
        _("弄虚作假撤销后禁止申报年数"),
        default=0,
        validators=[MaxValueValidator(10)],
        help_text=_("R20：第二十条未规定禁止申报期（默认0，即不禁止）；质量奖可另行设定。"),
    )
    reward_amount = models.DecimalField(
        _("奖金（元）"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("100000.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="R13",
    )
    publicity_days = models.PositiveSmallIntegerField(
        _("公示期（天）"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="R12.7",
    )
    document_experts = models.PositiveSmallIntegerField(
        _("资料评审专家人数"), default=3, validators=[MinValueValidator(1)], help_text="R10.2"
    )
    onsite_group_size = models.PositiveSmallIntegerField(
        _("现场评审组人数"), default=5, validators=[MinValueValidator(1)], help_text="R12.5"
    )
    weight_document = models.PositiveSmallIntegerField(
        _("资料评审权重（%）"), default=30, validators=[MaxValueValidator(100)]
    )
    weight_onsite = models.PositiveSmallIntegerField(
        _("现场评审权重（%）"), default=60, validators=[MaxValueValidator(100)]
    )
    weight_satisfaction = models.PositiveSmallIntegerField(
        _("满意度权重（%）"), default=10, validators=[MaxValueValidator(100)]
    )
    min_composite_score = models.DecimalField(
        _("候选最低综合得分"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("600"),
        help_text="R12.6",
    )
    trimmed_mean = models.BooleanField(
        _("资料评审去掉最高分和最低分"),
        default=False,
        help_text=_("至少5名专家评分时生效"),
    )
    dispersion_threshold = models.PositiveSmallIntegerField(_("专家分歧阈值（百分点）"), default=30)
    evidence_total_mb = models.PositiveIntegerField(
        _("每份申报实证材料总量上限（MB）"), default=200, validators=[MinValueValidator(20)]
    )
    correction_days = models.PositiveSmallIntegerField(
        _("退回修改期限（天）"), default=10, validators=[MinValueValidator(1)]
    )
    require_two_factor = models.BooleanField(
        _("工作人员须使用两步验证登录"),
        default=False,
        help_text=_(
            "开启后，服务本质量奖的评审委员会办公室、评审委员会、政府和监察部门用户登录时"
            "须输入验证器应用的动态验证码；未启用者登录后须先启用。"
        ),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("质量奖")
        verbose_name_plural = _("质量奖")
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    weight_document=100
                    - models.F("weight_onsite")
                    - models.F("weight_satisfaction")
                ),
                name="programme_weights_sum_to_100",
                violation_error_message=_("三项权重之和必须为100%。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def region_division(self):
        return Division.objects.select_related("parent__parent").filter(pk=self.region).first()

    @property
    def region_name(self) -> str:
        found = self.region_division
        return found.full_name if found else self.region

    def clean(self) -> None:
        found = Division.objects.filter(pk=self.region).first() if self.region else None
        if self.region and found is None:
            raise ValidationError(
                {
                    "region": _("“%(code)s”不是已知的行政区划代码（GB/T 2260，6位数字）。")
                    % {"code": self.region}
                }
            )
        expected = LEVEL_DIVISIONS.get(self.level)
        if found is not None and expected and found.level not in expected:
            raise ValidationError(
                {
                    "level": _(
                        "%(level)s质量奖的管辖区域应为%(kinds)s行政区划，“%(name)s”是%(found)s。"
                    )
                    % {
                        "level": ProgrammeLevel(self.level).label,
                        "kinds": gettext("或").join(str(DivisionLevel(k).label) for k in expected),
                        "name": found.name,
                        "found": found.get_level_display(),
                    }
                }
            )
        total = (
            (self.weight_document or 0)
            + (self.weight_onsite or 0)
            + (self.weight_satisfaction or 0)
        )
        if total != 100:
            raise ValidationError(
                {
                    "weight_satisfaction": _("三项权重之和必须为100%%，当前为%(t)d%%。")
                    % {"t": total}
                }
            )


year_validator = [MinValueValidator(2000), MaxValueValidator(2100)]


class Cycle(TimeStampedModel):
    """One year's round of a programme (R5: at most one a year)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("质量奖"), on_delete=models.PROTECT, related_name="cycles"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=year_validator)
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("评价准则"), on_delete=models.PROTECT, related_name="+"
    )
    opens_on = models.DateField(_("开始申报日期"), null=True, blank=True)
    submission_deadline = models.DateField(_("申报截止日期"))
    recommendation_deadline = models.DateField(_("推荐截止日期"))
    document_review_deadline = models.DateField(_("资料评审截止日期"), null=True, blank=True)
    onsite_review_deadline = models.DateField(_("现场评审截止日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    decided_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    decision_rationale = models.TextField(_("审定理由"), blank=True)
    publicity_starts_on = models.DateField(_("公示开始日期"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("公示结束日期"), null=True, blank=True)
    announced_on = models.DateField(_("公告日期"), null=True, blank=True)
    settings_snapshot = models.JSONField(
        _("评审规则（开启时的副本）"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("本年度开启时质量奖的评审规则；此后修改质量奖只影响以后的年度。"),
    )

    class Meta:
        verbose_name = _("年度评审")
        verbose_name_plural = _("年度评审")
        ordering = ("-year", "programme__name")
        constraints = [
            models.UniqueConstraint(
                fields=("programme", "year"),
                name="one_cycle_per_programme_year",
                violation_error_message=_("R5：每个质量奖每年只评审一次。"),
            ),
            models.CheckConstraint(
                condition=models.Q(recommendation_deadline__gte=models.F("submission_deadline")),
                name="recommendation_after_submission",
                violation_error_message=_("推荐截止日期不能早于申报截止日期。"),
            ),
        ]
        # The office lists order cycles (and their applications) by year DESC, the
        # announcements by announced_on DESC: a backward index walk instead of a sort of every
        # cycle of the deployment's history (issue 12).
        indexes = [
            models.Index(fields=("year",), name="cycle_year_idx"),
            models.Index(fields=("announced_on",), name="cycle_announced_on_idx"),
        ]

    def __str__(self) -> str:
        return gettext("%(name)s %(year)s年度") % {"name": self.programme.name, "year": self.year}

    @cached_property
    def settings(self) -> RuleSettings:
        """The rule settings of this cycle: those in force when it opened."""
        return RuleSettings.from_snapshot(self.settings_snapshot, RuleSettings.of(self.programme))

    def save(self, *args, **kwargs):
        if not self.settings_snapshot and self.programme_id:
            # A cycle keeps the rules it opened with (issue 9 §5): copied once, never later.
            self.settings_snapshot = RuleSettings.of(self.programme).snapshot()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "settings_snapshot"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        if (
            self.submission_deadline
            and self.recommendation_deadline
            and self.recommendation_deadline < self.submission_deadline
        ):
            errors["recommendation_deadline"] = _("推荐截止日期不能早于申报截止日期。")
        if self.opens_on and self.submission_deadline and self.opens_on > self.submission_deadline:
            errors["opens_on"] = _("开始申报日期不能晚于申报截止日期。")
        if errors:
            raise ValidationError(errors)

    def accepts_submissions(self, today: dt.date) -> bool:
        return (
            self.status == CycleStatus.OPEN
            and (self.opens_on is None or self.opens_on <= today)
            and today <= self.submission_deadline
        )

    def was_held(self) -> bool:
        """R5: a cycle is held when at least one application was ever submitted to it."""
        return self.applications.filter(submitted_at__isnull=False).exists()

    def date_phase(self, today: dt.date) -> CyclePhase:
        """The phase the calendar alone implies; the review steps after it depend on the
        applications and are refined by ``programmes.selectors.cycle_phase``."""
        if self.status == CycleStatus.NOT_HELD:
            return CyclePhase.NOT_HELD
        if self.status == CycleStatus.CLOSED:
            return CyclePhase.CLOSED
        if self.announced_on:
            return CyclePhase.ANNOUNCEMENT
        if self.publicity_starts_on:
            return CyclePhase.PUBLICITY
        if self.opens_on and today < self.opens_on:
            return CyclePhase.NOT_OPEN
        if today <= self.submission_deadline:
            return CyclePhase.SUBMISSION
        if today <= self.recommendation_deadline:
            return CyclePhase.RECOMMENDATION
        return CyclePhase.ELIGIBILITY
