from django.db import models
from django.utils.translation import gettext_lazy as _


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


class RespondentKind(models.TextChoices):
    CUSTOMER = "customer", _("顾客")
    USER = "user", _("用户")
    PUBLIC = "public", _("群众")
    PARTNER = "partner", _("合作方")
    OTHER = "other", _("其他")
