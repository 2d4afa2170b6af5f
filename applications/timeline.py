"""The status timeline an applicant sees: the eight steps of R12, where the application is,
what happens next, and every deadline."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from common.models import AuditEntry

from .enums import FINAL_STATES, STEP_OF_STATUS, ProcedureStep
from .enums import ApplicationStatus as S
from .models import Application

NEXT_STEP = {
    S.DRAFT: gettext_lazy("填写申报表各部分并上传实证材料，在申报截止前提交。"),
    S.RETURNED: gettext_lazy("按审查意见修改后，在修改期限内重新提交。"),
    S.SUBMITTED: gettext_lazy("等待行业主管部门和质量强旗工作领导小组签署推荐意见。"),
    S.RECOMMENDED: gettext_lazy("评审委员会办公室进行资格审查。"),
    S.ACCEPTED: gettext_lazy("办公室组织专家进行资料评审。"),
    S.DOCUMENT_REVIEW: gettext_lazy("专家进行资料评审，办公室确定现场评审名单。"),
    S.ONSITE_REVIEW: gettext_lazy("专家组现场评审并开展满意度测评。"),
    S.CANDIDATE: gettext_lazy("评审委员会审定拟获奖名单。"),
    S.PROPOSED: gettext_lazy("办公室向社会公示拟获奖名单。"),
    S.PUBLICITY: gettext_lazy("公示期满且无异议后，报政府批准公告。"),
    S.AWARDED: gettext_lazy("颁发证书和奖金；奖项有效期内接受跟踪管理。"),
}


def transitions_of(app: Application):
    """The application's status changes, oldest first (the audit trail's order)."""
    return AuditEntry.objects.for_object(app).filter(action="application.transition")


def application_timeline(app: Application, transitions=None) -> dict:
    """Steps with their state and date, the next action, and the deadlines. ``transitions``:
    ``transitions_of(app)`` when the page has read them already."""
    cycle = app.cycle
    # A step is done when the application leaves it: the latest such transition dates it.
    reached: dict[str, object] = {}
    for entry in transitions_of(app) if transitions is None else transitions:
        step = STEP_OF_STATUS.get(entry.from_state)
        if step and step != STEP_OF_STATUS.get(entry.to_state):
            reached[step] = entry.created_at
    steps = list(ProcedureStep)
    current = STEP_OF_STATUS[app.status]
    index = steps.index(current)
    stopped = app.status in FINAL_STATES and app.status != S.AWARDED
    deadlines = {
        ProcedureStep.SUBMISSION: app.correction_due or cycle.submission_deadline,
        ProcedureStep.RECOMMENDATION: cycle.recommendation_deadline,
        ProcedureStep.DOCUMENT_REVIEW: cycle.document_review_deadline,
        ProcedureStep.ONSITE_REVIEW: cycle.onsite_review_deadline,
        ProcedureStep.PUBLICITY: cycle.publicity_ends_on,
        ProcedureStep.ANNOUNCEMENT: cycle.announced_on,
    }
    rows = []
    for i, step in enumerate(steps):
        if app.status == S.AWARDED or i < index:
            state = "done"
        elif i == index:
            state = "stopped" if stopped else "current"
        else:
            state = "todo"
        rows.append(
            {
                "key": step.value,
                "label": step.label,
                "number": i + 1,
                "state": state,
                "date": reached.get(step) if state == "done" else deadlines.get(step),
            }
        )
    return {
        "steps": rows,
        "next": str(NEXT_STEP.get(app.status, "")),
        "stopped": stopped,
        "deadlines": [(ProcedureStep(k).label, v) for k, v in deadlines.items() if v],
    }
