"""Application statuses and the one state machine every path goes through (API.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from common.states import StateMachine


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RECOMMENDED = "recommended", _("已推荐")
    ACCEPTED = "accepted", _("已受理")
    DOCUMENT_REVIEW = "document_review", _("资料评审中")
    ONSITE_REVIEW = "onsite_review", _("现场评审中")
    CANDIDATE = "candidate", _("候选")
    PROPOSED = "proposed", _("拟获奖")
    PUBLICITY = "publicity", _("公示中")
    AWARDED = "awarded", _("获奖")
    DECLINED = "declined", _("未获推荐")
    RETURNED = "returned", _("退回修改")
    INELIGIBLE = "ineligible", _("资格审查未通过")
    NOT_SHORTLISTED = "not_shortlisted", _("未进入现场评审")
    NOT_CANDIDATE = "not_candidate", _("未列为候选")
    NOT_PROPOSED = "not_proposed", _("未获审定")
    WITHDRAWN = "withdrawn", _("已撤回")


S = ApplicationStatus

# The state machine: from → the states it may go to. Read this first.
# ``ineligible`` is a side exit from every live status: eligibility must hold up to the
# announcement (R11), and a ban ends an application wherever it is (R20, R21).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN, S.INELIGIBLE}),
    S.SUBMITTED: frozenset({S.RECOMMENDED, S.DECLINED, S.WITHDRAWN, S.INELIGIBLE}),
    S.RECOMMENDED: frozenset({S.ACCEPTED, S.INELIGIBLE, S.RETURNED, S.WITHDRAWN}),
    S.RETURNED: frozenset({S.SUBMITTED, S.WITHDRAWN, S.INELIGIBLE}),
    S.ACCEPTED: frozenset({S.DOCUMENT_REVIEW, S.INELIGIBLE}),
    S.DOCUMENT_REVIEW: frozenset({S.ONSITE_REVIEW, S.NOT_SHORTLISTED, S.INELIGIBLE}),
    S.ONSITE_REVIEW: frozenset({S.CANDIDATE, S.NOT_CANDIDATE, S.INELIGIBLE}),
    S.CANDIDATE: frozenset({S.PROPOSED, S.NOT_PROPOSED, S.INELIGIBLE}),
    S.PROPOSED: frozenset({S.PUBLICITY, S.INELIGIBLE}),
    S.PUBLICITY: frozenset({S.AWARDED, S.WITHDRAWN, S.INELIGIBLE}),
    S.AWARDED: frozenset(),
    S.DECLINED: frozenset(),
    S.INELIGIBLE: frozenset(),
    S.NOT_SHORTLISTED: frozenset(),
    S.NOT_CANDIDATE: frozenset(),
    S.NOT_PROPOSED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

APPLICATION_MACHINE = StateMachine("Application", ApplicationStatus, TRANSITIONS, initial=S.DRAFT)

# The applicant may edit the form only in these.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
# The applicant may withdraw before formal acceptance (正式受理).
WITHDRAWABLE_STATES = frozenset({S.SUBMITTED, S.RECOMMENDED, S.RETURNED})
# Final states: nothing more happens to the application.
FINAL_STATES = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
# Still in the running in a cycle (blocks a second application to the same cycle).
LIVE_STATES = frozenset(set(S.values) - {S.DECLINED, S.INELIGIBLE, S.WITHDRAWN})
# Seen by recommenders (R12.2) and experts (R12.4+).
AWAITING_RECOMMENDATION = frozenset({S.SUBMITTED})
REVIEW_STATES = frozenset({S.DOCUMENT_REVIEW, S.ONSITE_REVIEW})


class ProcedureStep(models.TextChoices):
    """The eight steps of R12, for timelines."""

    SUBMISSION = "submission", _("申报")
    RECOMMENDATION = "recommendation", _("推荐")
    ELIGIBILITY = "eligibility", _("资格审查")
    DOCUMENT_REVIEW = "document_review", _("资料评审")
    ONSITE_REVIEW = "onsite_review", _("现场评审")
    COMPOSITE = "composite", _("综合评价")
    PUBLICITY = "publicity", _("审定公示")
    ANNOUNCEMENT = "announcement", _("批准公告")


# Which R12 step an application in a status has reached (the step it is in or waits for).
STEP_OF_STATUS: dict[str, str] = {
    S.DRAFT: ProcedureStep.SUBMISSION,
    S.RETURNED: ProcedureStep.SUBMISSION,
    S.SUBMITTED: ProcedureStep.RECOMMENDATION,
    S.DECLINED: ProcedureStep.RECOMMENDATION,
    S.RECOMMENDED: ProcedureStep.ELIGIBILITY,
    S.INELIGIBLE: ProcedureStep.ELIGIBILITY,
    S.ACCEPTED: ProcedureStep.DOCUMENT_REVIEW,
    S.DOCUMENT_REVIEW: ProcedureStep.DOCUMENT_REVIEW,
    S.NOT_SHORTLISTED: ProcedureStep.DOCUMENT_REVIEW,
    S.ONSITE_REVIEW: ProcedureStep.ONSITE_REVIEW,
    S.NOT_CANDIDATE: ProcedureStep.COMPOSITE,
    S.CANDIDATE: ProcedureStep.PUBLICITY,
    S.NOT_PROPOSED: ProcedureStep.PUBLICITY,
    S.PROPOSED: ProcedureStep.PUBLICITY,
    S.PUBLICITY: ProcedureStep.PUBLICITY,
    S.AWARDED: ProcedureStep.ANNOUNCEMENT,
    S.WITHDRAWN: ProcedureStep.SUBMISSION,
}
