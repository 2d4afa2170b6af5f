from django.db import models
from django.utils.translation import gettext_lazy as _

from common.states import StateMachine


class ProgrammeLevel(models.TextChoices):
    COUNTY = "county", _("县（旗）级")
    CITY = "city", _("市级")
    CORPS_DIVISION = "corps_division", _("兵团师（市）级")
    PROVINCE = "province", _("省（自治区）级")


class CycleStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")
    NOT_HELD = "not_held", _("当年未评审")  # R5: nobody applied


class CyclePhase(models.TextChoices):
    """Where a cycle stands, in the eight steps of R12 plus before and after."""

    NOT_OPEN = "not_open", _("尚未开始申报")
    SUBMISSION = "submission", _("申报")
    RECOMMENDATION = "recommendation", _("推荐")
    ELIGIBILITY = "eligibility", _("资格审查")
    DOCUMENT_REVIEW = "document_review", _("资料评审")
    ONSITE_REVIEW = "onsite_review", _("现场评审")
    COMPOSITE = "composite", _("综合评价")
    DECISION = "decision", _("审定")
    PUBLICITY = "publicity", _("公示")
    ANNOUNCEMENT = "announcement", _("批准公告")
    CLOSED = "closed", _("已结束")
    NOT_HELD = "not_held", _("当年未评审")


class ItemKind(models.TextChoices):
    PROCESS = "process", _("过程（方法-展开-学习-整合）")
    RESULT = "result", _("结果（水平-趋势-对比-整合）")


CYCLE_MACHINE = StateMachine(
    "Cycle",
    CycleStatus,
    {
        # R5: a held cycle closes with its announcement or with no winner; one nobody applied
        # to closes as not held.
        CycleStatus.OPEN: frozenset({CycleStatus.CLOSED, CycleStatus.NOT_HELD}),
        CycleStatus.CLOSED: frozenset(),
        CycleStatus.NOT_HELD: frozenset(),
    },
    initial=CycleStatus.OPEN,
)
