"""Starting an application and saving the form while it is a draft (or returned)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from common import audit
from common.dates import today
from common.exceptions import ApplicationError, StateConflict
from programmes.enums import CycleStatus
from programmes.models import Cycle

from ..enums import EDITABLE_STATES, LIVE_STATES
from ..models import Application
from .eligibility import ensure_may_apply
from .form import clean_form_data
from .workflow import lock


@transaction.atomic
def create_application(*, organisation, cycle: Cycle, actor) -> Application:
    """Open a draft for ``organisation`` in ``cycle``. Refused with the rule id when the
    organisation may not apply at all (R3, R6, R20/R21), and outside the application window."""
    day = today()
    if cycle.status != CycleStatus.OPEN or not cycle.accepts_submissions(day):
        raise ApplicationError(
            gettext("%(cycle)s不在申报期内（申报截止：%(submission_deadline)s）。")
            % {
                "cycle": cycle,
                "submission_deadline": format(cycle.submission_deadline, "%Y-%m-%d"),
            },
            field="cycle",
        )
    ensure_may_apply(organisation, cycle, day)
    existing = Application.objects.filter(
        cycle=cycle, organisation=organisation, status__in=LIVE_STATES
    ).first()
    if existing is not None:
        raise ApplicationError(
            gettext("本组织在该年度已有申报，请继续填写已有的申报。"), field="cycle"
        )
    application = Application(
        cycle=cycle,
        organisation=organisation,
        created_by=actor,
        contact_name=organisation.contact_name,
        contact_phone=organisation.contact_phone,
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # the same request twice at once
        raise ApplicationError(gettext("本组织在该年度已有申报。"), field="cycle") from exc
    audit.record(
        action="application.created", actor=actor, obj=application, to_state=application.status
    )
    return application


@transaction.atomic
def save_form(*, application: Application, data: dict, actor) -> Application:
    """Save form fields of a draft or returned application (partial updates allowed)."""
    app = lock(application)
    if app.status not in EDITABLE_STATES:
        raise StateConflict(gettext("申报已提交，内容已冻结；如需修改，请等待退回修改。"))
    cleaned = clean_form_data(app, data)
    changed = [name for name, value in cleaned.items() if getattr(app, name) != value]
    for name in changed:
        setattr(app, name, cleaned[name])
    if changed:
        app.save(update_fields=[*changed, "updated_at"])
        audit.record(
            action="application.form_saved", actor=actor, obj=app, data={"fields": changed}
        )
    return app
