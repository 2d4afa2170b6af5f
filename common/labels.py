"""Readable names and numbers for the pages people read: audit actions, money."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "application.created": _("创建申报"),
    "application.form_saved": _("保存申报表"),
    "application.pdf_rendered": _("生成申报表PDF"),
    "application.recommendation": _("签署推荐意见"),
    "application.transition": _("状态变更"),
    "assignment.created": _("指派专家"),
    "assignment.revoked": _("撤销评审任务"),
    "assignment.submitted": _("提交评分"),
    "award.created": _("授予奖项"),
    "award.expired": _("奖项到期"),
    "award.imported": _("登记历史获奖"),
    "award.reminder": _("到期提醒"),
    "award.revoked": _("撤销奖项"),
    "award.visit": _("跟踪巡访"),
    "ban.lifted": _("禁止申报期满"),
    "case.decided": _("案件决定"),
    "case.opened": _("立案"),
    "case.revocation_approved": _("批准撤销，结案"),
    "certificate.queued": _("证书排队生成"),
    "certificate.recovered": _("收回证书和奖牌"),
    "certificate.reissued": _("补发证书"),
    "certificate.rendered": _("证书已生成"),
    "consensus.recorded": _("记录一致意见"),
    "consensus.voided": _("一致意见作废"),
    "cycle.announced": _("批准公告"),
    "cycle.approval_due": _("通知政府批准公告"),
    "cycle.candidates": _("提出候选名单"),
    "cycle.created": _("创建年度评审"),
    "cycle.not_held": _("当年未评审"),
    "cycle.publicity": _("开始公示"),
    "cycle.shortlisted": _("确定现场评审名单"),
    "cycle.winners_proposed": _("审定拟获奖名单"),
    "document.removed": _("移除材料"),
    "document.uploaded": _("上传材料"),
    "expert.conflict_declared": _("登记回避"),
    "expert.conflict_decided": _("决定回避前已提交评分的处理"),
    "expert.pledge_accepted": _("签署保密承诺"),
    "expert.profile_changed": _("修改专家信息"),
    "expert.status": _("专家状态变更"),
    "incident.recorded": _("记录事故与违法"),
    "incident.status": _("核实状态变更"),
    "ledger.owed": _("应付奖金"),
    "ledger.paid": _("支付奖金"),
    "ledger.clawback_due": _("应追缴奖金"),
    "ledger.clawback_received": _("追回奖金"),
    "objection.filed": _("提出异议"),
    "objection.resolved": _("处理异议"),
    "outbox.retried": _("重试后台任务"),
    "onsite.visit_scheduled": _("安排现场评审"),
    "organisation.credit_grade": _("录入质量信用等级"),
    "organisation.credit_grade_corrected": _("更正质量信用等级"),
    "organisation.dishonesty_listed": _("列入严重失信主体名单"),
    "organisation.dishonesty_changed": _("变更严重失信主体名单记录"),
    "credit.imported": _("导入信用数据"),
    "organisation.profile_changed": _("修改组织信息"),
    "organisation.registered": _("注册"),
    "survey.answered": _("满意度测评答题"),
    "survey.recorded": _("录入满意度测评"),
    "survey.tokens_issued": _("生成测评链接"),
    "user.created": _("创建用户"),
    "user.registered": _("注册账号"),
    "user.changed_in_admin": _("在管理后台修改用户"),
    "registration.username_taken": _("注册时用户名已被占用"),
    "api_token.issued": _("签发接口令牌"),
    "api_token.expired": _("接口令牌过期"),
    "api_token.revoked": _("撤销接口令牌"),
    "two_factor.enabled": _("启用两步验证"),
    "two_factor.removed": _("移除两步验证"),
    "claim.filed": _("提交组织认领"),
    "claim.submitted": _("提交组织认领材料"),
    "claim.approved": _("批准组织认领"),
    "organisation.accounts_changed": _("变更组织账号"),
    "expert.added": _("添加评审专家"),
    "programme.created": _("设立质量奖"),
    "programme.ladder_changed": _("修改奖项层级设置"),
    "application.nominated_up": _("被推荐参评上级奖项"),
    "application.prefilled": _("预填上级奖项申报表"),
    "nomination.created": _("推荐参评上级奖项"),
    "nomination.withdrawn": _("撤回上级奖项推荐"),
    "honour.recorded": _("登记所获荣誉"),
}

# What the admin's own saves are called, whatever the model (common.admin.AuditedModelAdmin).
ADMIN_SUFFIXES = {
    "created_in_admin": _("在管理后台新建"),
    "changed_in_admin": _("在管理后台修改"),
    "deleted_in_admin": _("在管理后台删除"),
}


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    model, _dot, suffix = action.rpartition(".")
    if suffix in ADMIN_SUFFIXES:
        from django.apps import apps  # noqa: PLC0415 - labels are read after the apps load

        names = {m._meta.model_name: m._meta.verbose_name for m in apps.get_models()}
        return f"{ADMIN_SUFFIXES[suffix]}{names.get(model, '')}"
    return action


def state_label(model, value: str) -> str:
    """A status value of ``model`` in words (its ``status`` field's choices), else as it is."""
    if not value or model is None:
        return value
    try:
        field = model._meta.get_field("status")
    except Exception:
        return value
    return str(dict(field.flatchoices).get(value, value))


def format_money(value, places: int = 2) -> str:
    """200000 → "200,000.00"; -1000000.5 → "-1,000,000.50". Anything that is not a number
    (an empty cell, "—") is returned as it is."""
    if value is None or value == "" or isinstance(value, bool):
        return "" if value is None else str(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    return f"{number:,.{places}f}"
