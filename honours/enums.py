from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class HonourKind(models.TextChoices):
    """Honours granted elsewhere (art. 13 and issue 13 item 3). This portal's own awards are
    listed beside them with the kind ``award`` (not a stored kind)."""

    CITY_MAYOR_AWARD = "city_mayor_award", _("市长质量奖")
    FAMOUS_BRAND = "famous_brand", _("内蒙古名牌产品")
    PROVINCIAL_QUALITY_AWARD = "provincial_quality_award", _("省（自治区）级质量奖")
    NATIONAL_QUALITY_AWARD = "national_quality_award", _("中国质量奖")
    STANDARDS_LEADER = "standards_leader", _("企业标准“领跑者”")
    OTHER = "other", _("其他荣誉")


# The kind this portal's own awards carry in the register (never stored on an Honour).
AWARD_KIND = "award"

# Art. 13: 50,000 CNY once to a local winner of the city mayor's award or of an Inner Mongolia
# famous-brand title. A programme may set its own amounts, and amounts for other kinds
# (HonourRewardAmount); a kind with neither has no default and needs an explicit amount.
DEFAULT_REWARD_AMOUNTS = {
    HonourKind.CITY_MAYOR_AWARD: Decimal("50000.00"),
    HonourKind.FAMOUS_BRAND: Decimal("50000.00"),
}
