from django.db import models
from django.utils.translation import gettext_lazy as _

from common.states import StateMachine


class ExpertStatus(models.TextChoices):
    ACTIVE = "active", _("在库")
    SUSPENDED = "suspended", _("暂停")
    DISQUALIFIED = "disqualified", _("取消资格")  # R23


class Stage(models.TextChoices):
    DOCUMENT = "document", _("资料评审")
    ONSITE = "onsite", _("现场评审")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("评审中")
    SUBMITTED = "submitted", _("已提交")
    REVOKED = "revoked", _("已撤销")


# Assignments that still count: the expert works on it or has scored it.
LIVE_ASSIGNMENT_STATES = frozenset({AssignmentStatus.ASSIGNED, AssignmentStatus.SUBMITTED})


class ConflictScoresDecision(models.TextChoices):
    """What happens to score sheets an expert had already submitted when a conflict is
    declared (issue 8 item 3, R23)."""

    NOT_NEEDED = "not_needed", _("无已提交评分")
    PENDING = "pending", _("待办公室决定")
    WITHDRAWN = "withdrawn", _("已提交评分不再计入")
    KEPT = "kept", _("已提交评分保留")


class RespondentKind(models.TextChoices):
    CUSTOMER = "customer", _("顾客")
    USER = "user", _("用户")
    PUBLIC = "public", _("群众")
    PARTNER = "partner", _("合作方")
    OTHER = "other", _("其他")


# --- State machines ----------------------------------------------------------------------------

ASSIGNMENT_MACHINE = StateMachine(
    "Assignment",
    AssignmentStatus,
    {
        AssignmentStatus.ASSIGNED: frozenset(
            {AssignmentStatus.SUBMITTED, AssignmentStatus.REVOKED}
        ),
        # R23: a submitted sheet is revoked only while its stage runs (conflict, suspension).
        AssignmentStatus.SUBMITTED: frozenset({AssignmentStatus.REVOKED}),
        AssignmentStatus.REVOKED: frozenset(),
    },
    initial=AssignmentStatus.ASSIGNED,
)

EXPERT_MACHINE = StateMachine(
    "ExpertProfile",
    ExpertStatus,
    {
        ExpertStatus.ACTIVE: frozenset({ExpertStatus.SUSPENDED, ExpertStatus.DISQUALIFIED}),
        ExpertStatus.SUSPENDED: frozenset({ExpertStatus.ACTIVE, ExpertStatus.DISQUALIFIED}),
        # R23: whoever abuses the role is disqualified, for good.
        ExpertStatus.DISQUALIFIED: frozenset(),
    },
    initial=ExpertStatus.ACTIVE,
)
