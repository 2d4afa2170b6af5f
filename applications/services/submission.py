"""Submitting, withdrawing, and the frozen record of each submission (R12.1)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from common import audit, outbox
from common.dates import today
from common.exceptions import ApplicationError, StateConflict

from ..enums import WITHDRAWABLE_STATES
from ..enums import ApplicationStatus as S
from ..models import Application, ApplicationVersion, RecommendationDecision
from .eligibility import ensure_may_apply
from .form import FORM_FIELDS, missing_by_section
from .workflow import lock, transition_application


def submission_deadline_for(app: Application) -> dt.date:
    """A first submission closes with the cycle; a correction after ``returned`` has the
    deadline the office set when returning it."""
    if app.status == S.RETURNED and app.correction_due:
        return app.correction_due
    return app.cycle.submission_deadline


@transaction.atomic
def submit_application(*, application: Application, actor) -> Application:
    """draft/returned → submitted: only complete, before the deadline, and only if the
    organisation may still apply. Freezes the form as a new version whose PDF is rendered after
    commit. A correction whose both recommendations stand goes on to ``recommended``."""
    app = lock(application)
    if app.status not in (S.DRAFT, S.RETURNED):
        raise StateConflict(
            gettext("当前状态为“%(label)s”，不能提交。") % {"label": S(app.status).label}
        )
    day = today()
    deadline = submission_deadline_for(app)
    if day > deadline:
        raise ApplicationError(
            gettext("已过提交期限（%(deadline)s）。") % {"deadline": format(deadline, "%Y-%m-%d")},
            rule="R12.1",
        )
    ensure_may_apply(app.organisation, app.cycle, day)
    missing = missing_by_section(app, on=day)
    problems = [m for messages in missing.values() for m in messages]
    if problems:
        raise ApplicationError(
            gettext("申报表尚未填写完整：%(problems)s") % {"problems": " ".join(problems)},
            rule="R12.1",
        )
    now = timezone.now()
    was_returned = app.status == S.RETURNED
    version = ApplicationVersion.objects.create(
        application=app,
        number=app.versions.count() + 1,
        submitted_at=now,
        submitted_by=actor,
        content={name: getattr(app, name) for name in FORM_FIELDS},
        document_ids=list(app.documents.filter(removed_at=None).values_list("pk", flat=True)),
    )
    transition_application(
        app,
        S.SUBMITTED,
        actor=actor,
        reason="更正后重新提交" if was_returned else "",
        told="",
        data={"version": version.number},
        fields={
            "submitted_at": app.submitted_at or now,
            "last_submitted_at": now,
            "correction_due": None,
        },
    )
    if was_returned and _recommendations_stand(app):
        transition_application(
            app,
            S.RECOMMENDED,
            actor=None,
            reason="更正后重新提交，原推荐意见继续有效",
            told=gettext("原推荐意见继续有效。"),
        )
    outbox.enqueue(
        "applications.render_submission_pdf",
        version_id=version.pk,
        label=f"申报表PDF：{app.organisation.name} 第{version.number}版",
        programme_id=app.cycle.programme_id,
    )
    application.refresh_from_db()
    return application


def _recommendations_stand(app: Application) -> bool:
    decisions = dict(app.recommendations.values_list("level", "decision"))
    return len(decisions) == 2 and all(
        d == RecommendationDecision.RECOMMEND for d in decisions.values()
    )


@transaction.atomic
def withdraw_application(*, application: Application, actor, reason: str = "") -> Application:
    """The applicant withdraws before formal acceptance (正式受理)."""
    app = lock(application)
    if app.status not in WITHDRAWABLE_STATES:
        raise StateConflict(gettext("申报已受理或已结束，不能撤回。"))
    transition_application(
        app,
        S.WITHDRAWN,
        actor=actor,
        reason=reason or "申报单位主动撤回",
        told=gettext("撤回原因：%(reason)s") % {"reason": reason} if reason else "",
    )
    application.refresh_from_db()
    return application


def render_version_pdf(*, version_id: int) -> ApplicationVersion | None:
    """Render and store the PDF of a submitted version once. Idempotent."""
    from ..pdf import render_application_pdf  # noqa: PLC0415 - WeasyPrint is a slow import

    version = (
        ApplicationVersion.objects.select_related(
            "application__cycle__programme", "application__organisation"
        )
        .filter(pk=version_id)
        .first()
    )
    if version is None or version.pdf:
        return version
    content = render_application_pdf(version)
    with transaction.atomic():
        locked = ApplicationVersion.objects.select_for_update().get(pk=version_id)
        if locked.pdf:
            return locked
        locked.pdf_sha256 = hashlib.sha256(content).hexdigest()
        locked.pdf.save(
            f"{locked.application.pk}-v{locked.number}.pdf", ContentFile(content), save=False
        )
        locked.save(update_fields=["pdf", "pdf_sha256"])
        audit.record(
            action="application.pdf_rendered",
            obj=locked.application,
            data={"version": locked.number, "sha256": locked.pdf_sha256},
        )
        return locked
