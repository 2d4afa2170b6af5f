from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles (RULES.md vocabulary). Each is a Django group of the same name."""

    OFFICE = "office", _("评审委员会办公室")
    COMMITTEE = "committee", _("评审委员会")
    RECOMMENDER = "recommender", _("推荐单位")
    EXPERT = "expert", _("评审专家")
    SUPERVISOR = "supervisor", _("监察部门")
    GOVERNMENT = "government", _("旗人民政府")


# Not a group: a user linked to an organisation acts for it.
ENTERPRISE_ROLE = "enterprise"
STAFF_ROLES = frozenset(Role.values)
# Roles that must log in with two factors where a programme they serve requires it.
TWO_FACTOR_ROLES = frozenset({Role.OFFICE, Role.COMMITTEE, Role.GOVERNMENT, Role.SUPERVISOR})


class RecommenderLevel(models.TextChoices):
    """The two recommendation opinions of R12.2."""

    INDUSTRY = "industry", _("行业主管部门")
    LEADING_GROUP = "leading_group", _("质量强旗工作领导小组")


class ClaimStatus(models.TextChoices):
    """An organisation claim (认领申请, issue 8 item 13): someone registered with a USCC that
    another account already holds and asks the office to move the organisation to them."""

    AWAITING_EVIDENCE = "awaiting_evidence", _("待提交证明材料")
    SUBMITTED = "submitted", _("待办公室核实")
    APPROVED = "approved", _("已认领")
    REJECTED = "rejected", _("未通过")


CLAIM_TRANSITIONS: dict[str, set[str]] = {
    ClaimStatus.AWAITING_EVIDENCE: {ClaimStatus.SUBMITTED},
    ClaimStatus.SUBMITTED: {ClaimStatus.APPROVED, ClaimStatus.REJECTED},
    ClaimStatus.APPROVED: set(),
    ClaimStatus.REJECTED: set(),
}
OPEN_CLAIM_STATES = frozenset({ClaimStatus.AWAITING_EVIDENCE, ClaimStatus.SUBMITTED})


class ClaimEvidenceKind(models.TextChoices):
    LICENCE = "licence", _("营业执照或登记证书")
    AUTHORISATION = "authorisation", _("授权委托书或单位证明")
