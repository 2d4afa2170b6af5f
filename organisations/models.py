from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import LineField
from common.models import TimeStampedModel
from regions.models import Division

from .enums import (
    SCHEME_GRADES,
    CreditScheme,
    IncidentKind,
    IncidentStatus,
    OrganisationKind,
    a_d_equivalent,
)
from .uscc import division_code, validate_uscc

PHONE_PATTERN = r"^(1\d{10}|0\d{2,3}-?\d{7,8})$"
validate_phone = RegexValidator(
    PHONE_PATTERN, _("请填写11位手机号码或带区号的固定电话（如 0477-1234567）。")
)


class Organisation(TimeStampedModel):
    """An applicant (R3): registered in a jurisdiction, of one of five kinds."""

    name = LineField(_("组织名称"), max_length=200)
    uscc = LineField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    kind = models.CharField(_("组织类型"), max_length=32, choices=OrganisationKind.choices)
    region = LineField(_("注册地"), max_length=64, help_text=_("如：鄂托克前旗"))
    # The administrative division (GB/T 2260) the jurisdiction rules read (R3, R11.1): from
    # the USCC (characters 3-8); the office may correct it with a reason.
    division = models.ForeignKey(
        "regions.Division",
        verbose_name=_("行政区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_on = models.DateField(_("注册登记日期"))
    industry = LineField(_("所属行业"), max_length=100, blank=True)
    address = LineField(_("地址"), max_length=255, blank=True)
    legal_representative = LineField(_("法定代表人"), max_length=64, blank=True)
    contact_name = LineField(_("联系人"), max_length=64, blank=True)
    contact_phone = LineField(_("联系电话"), max_length=20, blank=True, validators=[validate_phone])
    # The latest rating, for display; R11.5 reads the history (CreditRating).
    credit_grade = models.CharField(_("质量信用等级"), max_length=3, blank=True)
    credit_grade_scheme = models.CharField(
        _("信用等级体系"), max_length=8, choices=CreditScheme.choices, default=CreditScheme.A_D
    )
    credit_grade_source = LineField(_("信用等级来源"), max_length=200, blank=True)
    credit_grade_on = models.DateField(_("信用等级评定日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("申报组织")
        verbose_name_plural = _("申报组织")
        ordering = ("name",)
        # The office's list, 30 a page in name order: an index walk (issue 12).
        indexes = [models.Index(fields=("name",), name="organisation_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def division_code(self) -> str:
        """The organisation's division: the office's correction if any, else the USCC's."""
        return self.division_id or division_code(self.uscc)

    def clean(self) -> None:
        errors = {}
        if self.registered_on and self.registered_on > timezone.localdate():
            errors["registered_on"] = _("注册登记日期不能晚于今天。")
        if (
            self.division_id is None
            and len(self.uscc or "") == 18
            and not Division.objects.filter(pk=division_code(self.uscc)).exists()
        ):
            errors["uscc"] = _(
                "统一社会信用代码第3至8位（%(code)s）不是已知的行政区划代码，"
                "请核对，或联系评审委员会办公室。"
            ) % {"code": division_code(self.uscc)}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.division_id is None and self.uscc:
            found = division_code(self.uscc)
            if Division.objects.filter(pk=found).exists():
                self.division_id = found
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "division"}
        super().save(*args, **kwargs)

    def credit_ratings_newest_first(self) -> list[CreditRating]:
        """Every rating, the one in force longest ago last (ties: the later recorded first)."""
        return sorted(self.credit_ratings.all(), key=lambda r: (r.rated_on, r.pk), reverse=True)

    def credit_grade_on_date(
        self, day: dt.date, ratings: list[CreditRating] | None = None
    ) -> CreditRating | None:
        """The rating in force on ``day``: the latest one rated on or before it (R11.5).
        ``ratings``: ``credit_ratings_newest_first()`` when already read."""
        if ratings is None:
            ratings = self.credit_ratings_newest_first()
        return next((r for r in ratings if r.rated_on <= day), None)

    def dishonesty_listings_newest_first(self) -> list[DishonestyListing]:
        """Every serious-dishonesty listing of the organisation's USCC, the latest first."""
        return list(DishonestyListing.objects.filter(uscc=self.uscc).order_by("-listed_on", "-id"))

    def dishonesty_listing_on(
        self, day: dt.date, listings: list[DishonestyListing] | None = None
    ) -> DishonestyListing | None:
        """The serious-dishonesty listing in force on ``day``, if any (R11.5): the latest one
        entered on or before it and not removed by then. ``listings``:
        ``dishonesty_listings_newest_first()`` when already read."""
        if listings is None:
            listings = self.dishonesty_listings_newest_first()
        return next((listing for listing in listings if listing.applies_on(day)), None)


class CreditRating(models.Model):
    """One quality credit rating, as the office recorded it. The history is kept so that R11.5
    is judged on the grade in force on the submission date."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="credit_ratings",
    )
    scheme = models.CharField(
        _("等级体系"), max_length=8, choices=CreditScheme.choices, default=CreditScheme.A_D
    )
    grade = models.CharField(_("等级"), max_length=3)
    source = LineField(_("来源"), max_length=200, help_text=_("评定机关或文件"))
    rated_on = models.DateField(_("评定日期"), help_text=_("生效日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("质量信用评定")
        verbose_name_plural = _("质量信用评定")
        ordering = ("-rated_on", "-id")

    def __str__(self) -> str:
        return f"{self.organisation} {self.grade} ({self.rated_on})"

    def clean(self) -> None:
        if self.grade not in SCHEME_GRADES.get(self.scheme, ()):
            raise ValidationError(
                {
                    "grade": _("等级“%(grade)s”不属于%(scheme)s体系。")
                    % {"grade": self.grade, "scheme": self.scheme}
                }
            )

    @property
    def equivalent(self) -> str | None:
        """The grade on the A-D scale R11.5 compares with the required grade."""
        return a_d_equivalent(self.scheme, self.grade)


class DishonestyListing(models.Model):
    """An entry of the serious-dishonesty list (严重失信主体名单) as the credit department
    publishes it: from ``listed_on`` up to the day before ``removed_on`` the organisation may
    not apply and no application of it may continue (R11.5). Keyed by USCC, not by a
    registered organisation, so that one registering after its listing is still caught; the
    natural key is (uscc, source, listed_on)."""

    uscc = LineField(_("统一社会信用代码"), max_length=18, db_index=True)
    source = LineField(_("来源"), max_length=200, help_text=_("列入机关或文件"))
    listed_on = models.DateField(_("列入日期"))
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("严重失信主体名单")
        verbose_name_plural = _("严重失信主体名单")
        ordering = ("-listed_on", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("uscc", "source", "listed_on"), name="unique_dishonesty_listing"
            )
        ]

    def __str__(self) -> str:
        return f"{self.uscc} {self.listed_on}"

    def applies_on(self, day: dt.date) -> bool:
        """On the list on ``day``: entered on or before it, not yet removed (the removal day is
        the first day off the list)."""
        return self.listed_on <= day and (self.removed_on is None or day < self.removed_on)


class Incident(TimeStampedModel):
    """An accident, major complaint or violation that R11.6 looks back for."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="incidents"
    )
    kind = models.CharField(_("类型"), max_length=32, choices=IncidentKind.choices)
    occurred_on = models.DateField(_("发生日期"))
    description = models.TextField(_("情况说明"))
    status = models.CharField(
        _("核实状态"),
        max_length=16,
        choices=IncidentStatus.choices,
        default=IncidentStatus.REPORTED,
    )
    source = LineField(_("信息来源"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("事故与违法记录")
        verbose_name_plural = _("事故与违法记录")
        ordering = ("-occurred_on", "-id")

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_kind_display()} {self.occurred_on}"

    @property
    def verified(self) -> bool:
        return self.status == IncidentStatus.VERIFIED
