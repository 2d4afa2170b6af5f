from __future__ import annotations

import uuid
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from common.fields import LineField
from common.models import TimeStampedModel

from .enums import (
    ENTERPRISE_ROLE,
    OPEN_CLAIM_STATES,
    STAFF_ROLES,
    ClaimEvidenceKind,
    ClaimStatus,
    RecommenderLevel,
    Role,
)
from .services.tokens import revoke_api_tokens


class User(AbstractUser):
    """A person who logs in: an enterprise user (linked to one organisation) or a staff member
    holding one or more roles (groups), scoped to the programmes they serve."""

    name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("所属组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    all_programmes = models.BooleanField(
        _("服务全部质量奖"),
        default=False,
        help_text=_("选中后，该工作人员可处理本系统中所有质量奖，而不限于下方列出的质量奖。"),
    )
    recommender_level = models.CharField(
        _("推荐层级"),
        max_length=20,
        choices=RecommenderLevel.choices,
        blank=True,
        help_text=_("推荐单位用户签署推荐意见的层级（R12.2）"),
    )
    industries = LineField(
        _("主管行业"),
        max_length=255,
        blank=True,
        help_text=_(
            "行业主管部门只看到并签署所主管行业的申报（R12.2“有关”行业主管部门）；"
            "多个行业用逗号分隔，如：乳制品,能源化工"
        ),
    )
    programmes = models.ManyToManyField(
        "programmes.Programme",
        verbose_name=_("服务的质量奖"),
        through="ProgrammeMembership",
        related_name="staff",
        blank=True,
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.name or self.username

    # Set by set_unusable_password(); set_password() keeps its own flag (``_password``).
    _password_made_unusable = False

    def set_unusable_password(self) -> None:
        super().set_unusable_password()
        self._password_made_unusable = True

    def save(self, *args, **kwargs) -> None:
        """Saves the user; a new password (set_password() by any path: the password page, the
        admin, a service, ``changepassword``) also revokes every API token of the user (issue 8
        item 12). Django's own hash upgrade on login is not a change and revokes nothing."""
        credentials_changed = not self._state.adding and (
            self._password is not None or self._password_made_unusable
        )
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._password_made_unusable = False
            if credentials_changed:
                revoke_api_tokens(user=self, reason="密码已更改，原登录令牌作废")

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @cached_property
    def _role_set(self) -> frozenset[str]:
        roles = {g.name for g in self.groups.all() if g.name in STAFF_ROLES}
        if self.organisation_id:
            roles.add(ENTERPRISE_ROLE)
        return frozenset(roles)

    def role_names(self) -> list[str]:
        """Roles in a stable order: the staff roles as RULES.md lists them, then enterprise."""
        order = [*Role.values, ENTERPRISE_ROLE]
        return [r for r in order if r in self._role_set]

    def role_key(self) -> tuple[bool, frozenset[str]]:
        """All that the role rules (accounts.rules: is_office…, is_enterprise, is_staff_member)
        ask of a person: whether active, and the roles held. People with the same key get the
        same answers from those rules (the header's menu is kept per key)."""
        return (self.is_active, self._role_set)

    def industry_list(self) -> list[str]:
        return [s.strip() for s in self.industries.replace("，", ",").split(",") if s.strip()]

    @property
    def is_industry_recommender(self) -> bool:
        return self.recommender_level == RecommenderLevel.INDUSTRY and self.has_role(
            Role.RECOMMENDER
        )

    def covers_industry(self, industry: str) -> bool:
        """An industry authority recommends the applicants of the industries it oversees
        (R12.2: the *relevant* authority); the leading group, and other roles, every one."""
        if not self.is_industry_recommender:
            return True
        industry = (industry or "").strip()
        return bool(industry) and any(keyword in industry for keyword in self.industry_list())

    def industry_filter(self, field: str = "organisation__industry") -> models.Q:
        """A Q object restricting applications to the industries this user covers."""
        if not self.is_industry_recommender:
            return models.Q()
        q = models.Q(pk__in=[])
        for keyword in self.industry_list():
            q |= models.Q(**{f"{field}__contains": keyword})
        return q

    def has_role(self, *roles: str) -> bool:
        return self.is_active and bool(self._role_set.intersection(roles))

    @property
    def is_enterprise(self) -> bool:
        return self.organisation_id is not None

    @cached_property
    def _programme_ids(self) -> frozenset[int]:
        return frozenset(self.memberships.values_list("programme_id", flat=True))

    def serves(self, programme_id: int | None) -> bool:
        """True when this staff member works for the programme (or for all of them)."""
        if programme_id is None:
            return False
        return self.all_programmes or programme_id in self._programme_ids

    def served_programme_filter(self, field: str = "programme") -> models.Q:
        """A Q object restricting a queryset to the programmes this user serves."""
        if self.all_programmes:
            return models.Q()
        return models.Q(**{f"{field}__in": list(self._programme_ids)})

    @cached_property
    def _read_programme_ids(self) -> frozenset[int]:
        """The programmes served, and every programme whose jurisdiction lies under the
        jurisdiction of a served programme of a higher level (issue 13 §1: a city or league
        office reads its counties' awards; it writes only in its own)."""
        served = self._programme_ids
        if not served:
            return served
        from regions.models import Division  # noqa: PLC0415 - regions sits below accounts

        programmes = programme_model().objects
        regions = set(
            programmes.filter(pk__in=served)
            .exclude(level="county")
            .values_list("region", flat=True)
        )
        if not regions:
            return served
        below = set(
            Division.objects.filter(
                models.Q(parent__code__in=regions) | models.Q(parent__parent__code__in=regions)
            ).values_list("code", flat=True)
        )
        under = programmes.filter(region__in=below).values_list("pk", flat=True)
        return served | frozenset(under)

    def reads(self, programme_id: int | None) -> bool:
        """True when this staff member may read the programme's work: the programmes served
        and those under them (read-only there; writes ask :meth:`serves`)."""
        if programme_id is None:
            return False
        return self.all_programmes or programme_id in self._read_programme_ids

    def read_programme_filter(self, field: str = "programme") -> models.Q:
        """A Q object restricting a queryset to the programmes this user may read."""
        if self.all_programmes:
            return models.Q()
        return models.Q(**{f"{field}__in": list(self._read_programme_ids)})

    def refresh_roles(self) -> None:
        for attr in ("_role_set", "_programme_ids", "_read_programme_ids"):
            self.__dict__.pop(attr, None)


class ProgrammeMembership(models.Model):
    """A staff member serving one programme."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("质量奖"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("质量奖服务关系")
        verbose_name_plural = _("质量奖服务关系")
        constraints = [
            models.UniqueConstraint(fields=("user", "programme"), name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.programme}"


def programme_model():
    """The programme model as accounts reaches it: through the membership relation. Accounts sit
    below programmes in the layers (docs/architecture.md), so they never import it."""
    return ProgrammeMembership._meta.get_field("programme").related_model


def _claim_evidence_path(instance: ClaimEvidence, filename: str) -> str:
    # A random name: the original name is kept in the row, never in the path or a URL.
    return f"claims/{instance.claim_id}/{uuid.uuid4().hex}"


class OrganisationClaim(TimeStampedModel):
    """A request to move a registered organisation to the account of the person who proves it
    is theirs (认领申请). Filed when someone registers with a USCC already held by another
    account; the office decides on the evidence. See docs/claims.md."""

    claimant = models.ForeignKey(
        User,
        verbose_name=_("申请人账号"),
        on_delete=models.PROTECT,
        related_name="organisation_claims",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("认领的组织"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    submitted_name = models.CharField(_("申请人填写的组织名称"), max_length=200)
    submitted_data = models.JSONField(_("申请人填写的组织信息"), default=dict, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ClaimStatus.choices,
        default=ClaimStatus.AWAITING_EVIDENCE,
        db_index=True,
    )
    statement = models.TextField(_("申请说明"), blank=True)
    submitted_at = models.DateTimeField(_("提交核实时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    reasons = models.TextField(_("核实意见"), blank=True)

    class Meta:
        verbose_name = _("组织认领申请")
        verbose_name_plural = _("组织认领申请")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("claimant", "organisation"),
                condition=models.Q(status__in=["awaiting_evidence", "submitted"]),
                name="one_open_claim_per_claimant_and_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submitted_name}（{self.uscc}）认领申请"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CLAIM_STATES


class ClaimEvidence(models.Model):
    """A proof attached to a claim (the business licence, an authorisation letter). Stored under
    a random name outside the web root, served only by a permission-checked view."""

    claim = models.ForeignKey(
        OrganisationClaim,
        verbose_name=_("认领申请"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    kind = models.CharField(_("材料类别"), max_length=20, choices=ClaimEvidenceKind.choices)
    file = models.FileField(_("文件"), upload_to=_claim_evidence_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("认领证明材料")
        verbose_name_plural = _("认领证明材料")
        ordering = ("id",)

    def __str__(self) -> str:
        return self.original_name
