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


class RecommenderLevel(models.TextChoices):
    """The two recommendation opinions of R12.2."""

    INDUSTRY = "industry", _("行业主管部门")
    LEADING_GROUP = "leading_group", _("质量强旗工作领导小组")
