"""The office's eligibility decision (资格审查, R12.3): accept, reject or return."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext, pgettext

from common.dates import today
from common.exceptions import ApplicationError, StateConflict
from programmes.phases import ensure_review_begun

from ..eligibility_advice import office_advice
from ..enums import FINAL_STATES
from ..enums import ApplicationStatus as S
from ..models import Application
from .eligibility import eligibility_checks, eligibility_checks_on
from .workflow import lock, transition_application

DECISIONS = ("accept", "reject", "return")


@transaction.atomic
def decide_eligibility(
    *,
    application: Application,
    decision: str,
    reasons: str,
    actor,
    correction_due: dt.date | None = None,
) -> Application:
    """accept → ``accepted`` (refused while an automatic check fails, R11); reject →
    ``ineligible`` with reasons shown to the applicant; return → ``returned`` for correction
    by ``correction_due`` (default: the programme's correction days from today)."""
    if decision not in DECISIONS:
        raise ApplicationError(gettext("决定应为 accept、reject 或 return。"), field="decision")
    reasons = (reasons or "").strip()
    if decision in ("reject", "return") and not reasons:
        raise ApplicationError(gettext("不予受理或退回修改时必须写明理由。"), field="reasons")
    app = lock(application)
    if decision == "reject" and app.status in ENDABLE_AFTER_ACCEPTANCE:
        # R11/R20/R21: eligibility must hold up to the announcement; the office ends an
        # application that no longer meets it, at any step, with its reasons.
        return end_application(application=app, reasons=reasons, actor=actor)
    if app.status != S.RECOMMENDED:
        raise StateConflict(
            gettext("当前状态为“%(label)s”，不在资格审查阶段。") % {"label": S(app.status).label}
        )
    ensure_review_begun(app.cycle, step=pgettext("step", "资格审查"), rule="R12.3")
    day = today()
    if decision == "accept":
        checks, checks_today = eligibility_checks_on(app, None, day)
        # One line per failed rule: the check of the submission date, else today's.
        failing = {}
        for c in [*checks, *checks_today]:
            if not c.passed and c.rule not in failing:
                failing[c.rule] = c
        if failing:
            # Each rule id once (the message names them, so no prefix repeats the first), each
            # check with what the office does about it.
            lines = " ".join(
                f"{c.rule} {c.title}：{c.detail}{office_advice(c.rule)}" for c in failing.values()
            )
            raise ApplicationError(
                gettext("自动核查未通过，不能受理：%(lines)s") % {"lines": lines},
                rule=next(iter(failing)),
            )
        transition_application(
            app,
            S.ACCEPTED,
            actor=actor,
            reason=reasons or "资格审查通过，正式受理",
            told=None if reasons else "",
            data={
                "checks": [c.as_dict() for c in checks],
                "checks_today": {"on": day, "checks": [c.as_dict() for c in checks_today]},
            },
            fields={"decision_reasons": reasons},
        )
    elif decision == "reject":
        transition_application(
            app,
            S.INELIGIBLE,
            actor=actor,
            reason=reasons,
            data={"checks": [c.as_dict() for c in eligibility_checks(app)]},
            fields={"decision_reasons": reasons},
        )
    else:
        due = correction_due or today() + dt.timedelta(days=app.cycle.settings.correction_days)
        if due < today():
            raise ApplicationError(gettext("修改期限不能早于今天。"), field="correction_due")
        transition_application(
            app,
            S.RETURNED,
            actor=actor,
            reason=reasons,
            data={"correction_due": due},
            fields={"decision_reasons": reasons, "correction_due": due},
        )
    application.refresh_from_db()
    return application


# Once accepted, an application can still be ended by the office when it no longer meets the
# conditions (a downgrade, an accident, a ban after submission).
ENDABLE_AFTER_ACCEPTANCE = frozenset(
    {S.ACCEPTED, S.DOCUMENT_REVIEW, S.ONSITE_REVIEW, S.CANDIDATE, S.PROPOSED, S.PUBLICITY}
)


@transaction.atomic
def end_application(
    *, application: Application, reasons: str, actor, rule: str = "", told: str | None = None
) -> Application:
    """End a live application as ``ineligible`` with the reasons (a side exit from any live
    status, audited, the applicant told). The automatic checks of today are kept with it.
    ``told``: what the applicant reads, when the reasons are not a person's opinion (see
    ``transition_application``)."""
    reasons = (reasons or "").strip()
    if not reasons:
        raise ApplicationError(gettext("终止申报时必须写明理由。"), field="reasons")
    app = lock(application)
    if app.status in FINAL_STATES:
        raise StateConflict(
            gettext("当前状态为“%(label)s”，申报已结束。") % {"label": S(app.status).label}
        )
    day = today()
    transition_application(
        app,
        S.INELIGIBLE,
        actor=actor,
        reason=reasons,
        data={
            "rule": rule,
            "checks_today": {
                "on": day,
                "checks": [c.as_dict() for c in eligibility_checks(app, day)],
            },
        },
        fields={"decision_reasons": reasons},
        told=told,
    )
    application.refresh_from_db()
    return application
