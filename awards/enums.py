from django.db import models
from django.utils.translation import gettext_lazy as _


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已撤销")


class BanReason(models.TextChoices):
    FRAUD = "R20", _("弄虚作假被撤销（第二十条）")
    POST_AWARD = "R21", _("获奖后违规被撤销（第二十一条）")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("调查中")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")
