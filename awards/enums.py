from django.db import models
from django.utils.translation import gettext_lazy as _

from common.states import StateMachine


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


class RewardKind(models.TextChoices):
    """Reward types of art. 13."""

    QUALITY_AWARD = "quality_award", _("质量奖奖金")
    CITY_MAYOR_AWARD = "city_mayor_award", _("获市长质量奖奖励")
    REGIONAL_BRAND = "regional_brand", _("获内蒙古名牌产品奖励")
    OTHER_HONOUR = "other_honour", _("获其他荣誉奖励")


class LedgerEntryKind(models.TextChoices):
    OWED = "owed", _("应付奖金")
    PAID = "paid", _("已支付")
    CLAWBACK_DUE = "clawback_due", _("应追缴")
    CLAWBACK_RECEIVED = "clawback_received", _("已追回")


class CaseTrigger(models.TextChoices):
    """The six triggers of art. 21 (within the watch window) and fraud of art. 20 (any time)."""

    ACCIDENT = "accident", _("发生重大质量、安全、环保、公共卫生等事故")
    SPOT_CHECK_FAILED = "spot_check_failed", _("自治区或市级产品质量抽检不合格")
    COMPLAINTS = "complaints", _("重大质量投诉并查实")
    EXPORT_NOTICE = "export_notice", _("出口产品被国外通报或索赔")
    LOSSES = "losses", _("经营管理不善出现严重经营性亏损")
    VIOLATION = "violation", _("其他严重违反法律、法规行为")
    FRAUD = "fraud", _("弄虚作假、以不正当手段骗取荣誉")


WATCH_WINDOW_TRIGGERS = frozenset(set(CaseTrigger.values) - {CaseTrigger.FRAUD})


class Sanction(models.TextChoices):
    NONE = "none", _("不予处理")
    WARNING = "warning", _("警告")
    CIRCULAR = "circular", _("通报批评")
    REVOKE = "revoke", _("撤销奖项")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("调查中")
    AWAITING_GOVERNMENT = "awaiting_government", _("待政府批准撤销")
    CLOSED = "closed", _("已结案")


class ReminderKind(models.TextChoices):
    EXPIRY_90 = "expiry_90", _("到期前90天提醒")
    EXPIRY_30 = "expiry_30", _("到期前30天提醒")
    EXPIRED = "expired", _("到期后邀请再次申报")


# --- State machines (read these first) ---------------------------------------------------------

AWARD_MACHINE = StateMachine(
    "Award",
    AwardStatus,
    {
        # R6: valid for its years; R20/R21: revoked (fraud may be found after expiry too).
        AwardStatus.ACTIVE: frozenset({AwardStatus.EXPIRED, AwardStatus.REVOKED}),
        AwardStatus.EXPIRED: frozenset({AwardStatus.REVOKED}),
        AwardStatus.REVOKED: frozenset(),
    },
    initial=AwardStatus.ACTIVE,
)

CASE_MACHINE = StateMachine(
    "Case",
    CaseStatus,
    {
        # The committee decides (R20, R21); a revocation waits for the government.
        CaseStatus.OPEN: frozenset({CaseStatus.AWAITING_GOVERNMENT, CaseStatus.CLOSED}),
        CaseStatus.AWAITING_GOVERNMENT: frozenset({CaseStatus.CLOSED}),
        CaseStatus.CLOSED: frozenset(),
    },
    initial=CaseStatus.OPEN,
)

OBJECTION_MACHINE = StateMachine(
    "Objection",
    ObjectionStatus,
    {
        # R12.7: the office investigates; an upheld objection withdraws the application.
        ObjectionStatus.OPEN: frozenset({ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED}),
        ObjectionStatus.UPHELD: frozenset(),
        ObjectionStatus.DISMISSED: frozenset(),
    },
    initial=ObjectionStatus.OPEN,
)
# Cases a decision or an approval is still waiting for.
UNDECIDED_CASE_STATES = frozenset({CaseStatus.OPEN, CaseStatus.AWAITING_GOVERNMENT})
