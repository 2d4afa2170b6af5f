from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.enums import RecommenderLevel
from common.fields import LineField
from common.models import TimeStampedModel

from .enums import EDITABLE_STATES, LIVE_STATES, ApplicationStatus


class DocumentKind(models.TextChoices):
    MANAGEMENT_SYSTEM = "management_system", _("管理体系")
    INDICATORS = "indicators", _("经济技术质量指标")
    INNOVATION = "innovation", _("自主创新")
    BRAND = "brand", _("品牌")
    CREDIT = "credit", _("质量信用")
    OTHER = "other", _("其他")


class Application(TimeStampedModel):
    """One organisation's entry in one cycle (申报). The form fields are the working copy; each
    submission freezes them into an :class:`ApplicationVersion`."""

    cycle = models.ForeignKey(
        "programmes.Cycle",
        verbose_name=_("年度评审"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("申报组织"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("最近提交时间"), null=True, blank=True)
    # --- the application form (申报表), API.md ---
    summary = models.TextField(_("申报单位简介"), blank=True)
    indicators = models.JSONField(_("近两年主要经济技术质量指标"), default=list, blank=True)
    management_systems = models.JSONField(_("管理体系认证"), default=list, blank=True)
    innovation = models.TextField(_("自主创新情况"), blank=True)
    brand = models.TextField(_("品牌建设情况"), blank=True)
    self_evaluation = models.JSONField(_("自我评价"), default=list, blank=True)
    contact_name = LineField(_("联系人"), max_length=64, blank=True)
    contact_phone = LineField(_("联系人手机"), max_length=20, blank=True)
    # --- decisions shown to the applicant ---
    decision_reasons = models.TextField(_("审查意见"), blank=True)
    correction_due = models.DateField(_("修改后重新提交期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        ordering = ("-created_at",)
        constraints = [
            # A withdrawn, declined or ineligible entry stays on record; only one live one.
            models.UniqueConstraint(
                fields=("cycle", "organisation"),
                condition=models.Q(status__in=sorted(LIVE_STATES)),
                name="one_live_application_per_cycle",
            )
        ]
        indexes = [
            models.Index(fields=("cycle", "status")),
            # The intake list's filter (submitted_at IS NOT NULL): its paginator's COUNT reads
            # the index only instead of every (wide) application row (issue 12).
            models.Index(fields=("submitted_at",), name="application_submitted_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name}（{self.cycle.year}年度）"

    @property
    def programme_id(self) -> int:
        return self.cycle.programme_id

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def reference(self) -> str:
        """A human reference for letters and PDFs: programme code, year and number."""
        return f"{self.cycle.programme.code.upper()}-{self.cycle.year}-{self.pk:04d}"


def _document_path(instance: Document, filename: str) -> str:
    # A random name: the original name is kept in the row, never in the path or a URL. The
    # extension is the detected type's (the service names the file ``upload.<ext>``).
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    suffix = f".{extension}" if extension in {"pdf", "jpg", "png", "docx", "xlsx"} else ""
    return f"evidence/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    """An evidence file (实证材料). Confidential: stored under a random name outside the web
    root and served only by a permission-checked view."""

    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("材料类别"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), upload_to=_document_path, max_length=255)
    original_name = LineField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("实证材料")
        verbose_name_plural = _("实证材料")
        ordering = ("kind", "uploaded_at", "id")

    def __str__(self) -> str:
        return self.original_name


class ApplicationVersion(models.Model):
    """The form as submitted, frozen. A correction after ``returned`` is a new version; old
    versions stay on record with their PDF."""

    application = models.ForeignKey(
        Application, verbose_name=_("申报"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本号"))
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.JSONField(_("申报表内容"))
    document_ids = models.JSONField(_("实证材料"), default=list)
    pdf = models.FileField(_("申报表PDF"), upload_to="submissions/", blank=True, max_length=255)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("申报表版本")
        verbose_name_plural = _("申报表版本")
        ordering = ("application", "number")
        constraints = [
            models.UniqueConstraint(fields=("application", "number"), name="unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"


class RecommendationDecision(models.TextChoices):
    RECOMMEND = "recommend", _("推荐")
    DECLINE = "decline", _("不推荐")


class Recommendation(models.Model):
    """A signed recommendation opinion at one level (R12.2). Kept for the record; a later
    opinion of the same level for the same application replaces none: there is one per level."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("申报"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    level = models.CharField(_("层级"), max_length=20, choices=RecommenderLevel.choices)
    decision = models.CharField(_("意见"), max_length=10, choices=RecommendationDecision.choices)
    opinion = models.TextField(_("推荐意见"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签署人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("签署时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推荐意见")
        verbose_name_plural = _("推荐意见")
        ordering = ("signed_at",)
        constraints = [
            models.UniqueConstraint(fields=("application", "level"), name="one_opinion_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.get_level_display()} {self.get_decision_display()}"
