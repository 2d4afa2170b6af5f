"""What a person can do about each automatic check that fails (issue 11): the applicant before
and after submitting, the office when it may not accept. One sentence per rule id of
``applications.services.eligibility`` (and of the bars the awards app registers)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .services.eligibility import Check

# rule id → what the applicant can do when the check fails.
FOR_APPLICANT = {
    "R3": _(
        "本奖项只受理在本地注册登记的企业、事业单位、社会团体等组织。"
        "注册地或组织类型登记有误的，请携营业执照或登记证书联系评审委员会办公室更正。"
    ),
    "R11.1": _(
        "须在本地注册登记并运行满规定年限。注册日期登记有误的，请携营业执照联系办公室更正；"
        "否则请在满年限后的年度申报。"
    ),
    "R11.5": _(
        "质量信用等级由评审委员会办公室依据市场监管部门的质量信用评价录入，申报单位不能自行填写。"
        "没有评定记录或等级不够的，请联系办公室或当地市场监督管理局了解评定；"
        "等级录入前办公室不能受理。"
    ),
    "R11.6": _(
        "近年有重大事故、重大投诉或违法记录的不能申报。记录有误或经核实不成立的，"
        "请向办公室提交证明材料，由办公室核实后注销。"
    ),
    "R6": _("持有有效期内本奖项的组织不能再次申报，有效期届满后可再申报。"),
    "R20": _("因弄虚作假被撤销奖项的组织在禁止申报期内不能申报，期满后可再申报。"),
    "R21": _("被撤销奖项的组织在禁止申报期内不能申报，期满后可再申报。"),
}

# rule id → what the office does before it can accept; ``organisation`` marks the advice that
# is acted on on the organisation's page (the page links there).
FOR_OFFICE = {
    "R3": (_("注册地或组织类型登记有误的，请在组织页面更正。"), True),
    "R11.1": (_("注册登记日期有误的，请在组织页面更正。"), True),
    "R11.5": (
        _("请在组织页面的“质量信用等级”中录入市场监管部门的评定结果（等级、来源、评定日期）。"),
        True,
    ),
    "R11.6": (_("记录经核实不成立的，请在组织页面将其标为“经核实不成立”。"), True),
    "R6": (_("有效期内的奖项不能再次申报：请不予受理并写明理由。"), False),
    "R20": (_("禁止申报期内不能申报：请不予受理并写明理由。"), False),
    "R21": (_("禁止申报期内不能申报：请不予受理并写明理由。"), False),
}


@dataclass(frozen=True)
class AdvisedCheck:
    """A check as a page shows it: the result and, when it fails, what to do."""

    rule: str
    title: str
    passed: bool
    detail: str
    advice: str
    on_organisation_page: bool = False


def for_applicant(checks: list[Check]) -> list[AdvisedCheck]:
    return [
        AdvisedCheck(
            c.rule,
            c.title,
            c.passed,
            c.detail,
            "" if c.passed else str(FOR_APPLICANT.get(c.rule, "")),
        )
        for c in checks
    ]


def for_office(checks: list[Check]) -> list[AdvisedCheck]:
    advised = []
    for c in checks:
        advice, on_page = FOR_OFFICE.get(c.rule, ("", False))
        advised.append(
            AdvisedCheck(
                c.rule,
                c.title,
                c.passed,
                c.detail,
                "" if c.passed else str(advice),
                on_page and not c.passed,
            )
        )
    return advised


def office_advice(rule: str) -> str:
    advice, _on_page = FOR_OFFICE.get(rule, ("", False))
    return str(advice)


# The failed checks the office settles on the organisation's page.
ORGANISATION_PAGE_RULES = frozenset(rule for rule, (_a, on_page) in FOR_OFFICE.items() if on_page)
