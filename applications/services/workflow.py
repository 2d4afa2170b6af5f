"""The one place an application changes status (STYLE.md §3).

``transition_application`` locks the row, checks the state machine of ``enums.TRANSITIONS``,
saves, writes the audit entry and tells the people concerned after commit. Every page, API
call and task that moves an application goes through it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from accounts.enums import Role
from accounts.models import User
from common import audit
from common.exceptions import StateConflict
from notifications.services import notify

from ..enums import TRANSITIONS
from ..enums import ApplicationStatus as S
from ..models import Application

# Who hears of each new status, besides the applicant's own users.
_STAFF_TOLD = {
    S.SUBMITTED: (Role.RECOMMENDER,),
    S.RECOMMENDED: (Role.OFFICE,),
    S.WITHDRAWN: (Role.OFFICE,),
    S.DECLINED: (Role.OFFICE,),
}

_APPLICANT_MESSAGE = {
    S.SUBMITTED: gettext_lazy("您的申报已提交，等待行业主管部门和领导小组签署推荐意见。"),
    S.RECOMMENDED: gettext_lazy("您的申报已获推荐，评审委员会办公室将进行资格审查。"),
    S.DECLINED: gettext_lazy("您的申报未获推荐。"),
    S.ACCEPTED: gettext_lazy("您的申报已通过资格审查，正式受理，将进入资料评审。"),
    S.INELIGIBLE: gettext_lazy("您的申报未通过资格审查。"),
    S.RETURNED: gettext_lazy("您的申报被退回修改，请按审查意见修改后在期限内重新提交。"),
    S.WITHDRAWN: gettext_lazy("您的申报已撤回。"),
    S.DOCUMENT_REVIEW: gettext_lazy("您的申报已进入资料评审。"),
    S.ONSITE_REVIEW: gettext_lazy("您的申报已进入现场评审。"),
    S.NOT_SHORTLISTED: gettext_lazy("您的申报未进入现场评审，资料评审反馈报告已可查看。"),
    S.CANDIDATE: gettext_lazy("您的申报已列为候选获奖组织。"),
    S.NOT_CANDIDATE: gettext_lazy("您的申报未列为候选获奖组织。"),
    S.PROPOSED: gettext_lazy("评审委员会已将您列入拟获奖名单，即将公示。"),
    S.NOT_PROPOSED: gettext_lazy("您的申报未列入拟获奖名单。"),
    S.PUBLICITY: gettext_lazy("拟获奖名单正在公示。"),
    S.AWARDED: gettext_lazy("祝贺！您已获得本年度质量奖，证书正在生成。"),
}


def lock(application: Application) -> Application:
    """The row, locked for this transaction, with what the rules read."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("cycle__programme", "organisation")
        .get(pk=application.pk)
    )


@transaction.atomic
def transition_application(
    application: Application,
    to: str,
    *,
    actor,
    reason: str = "",
    data: dict | None = None,
    fields: dict | None = None,
    notify_people: bool = True,
    told: str | None = None,
) -> Application:
    """Move ``application`` to ``to``. Raises ``StateConflict`` (409) when the state machine does
    not allow it, including a second identical request (double submission).

    ``fields`` are other columns to set in the same save (e.g. ``submitted_at``).

    ``told`` is what the applicant reads after the status message. By default the ``reason``,
    as the opinion (意见) of the person who decided; ``""`` when the reason only names an
    internal step (the audit keeps it; the status message already says what happened), or a
    sentence of its own (issue 11: no step names dressed up as opinions).
    """
    app = lock(application)
    current = app.status
    if to not in TRANSITIONS.get(current, ()):
        raise StateConflict(
            gettext("当前状态为“%(label)s”，不能变为“%(label2)s”。")
            % {"label": S(current).label, "label2": S(to).label}
        )
    app.status = to
    for name, value in (fields or {}).items():
        setattr(app, name, value)
    app.save(update_fields=["status", "updated_at", *(fields or {})])
    audit.record(
        action="application.transition",
        actor=actor,
        obj=app,
        from_state=current,
        to_state=to,
        reason=reason,
        data=data,
    )
    if notify_people:
        _tell(app, to, reason if told is None else told, opinion=told is None)
    # The caller's instance follows the row.
    application.status = app.status
    for name in fields or {}:
        setattr(application, name, getattr(app, name))
    return app


def _tell(app: Application, to: str, more: str, *, opinion: bool) -> None:
    url = reverse("applications:detail", args=[app.pk])
    title = gettext("【%(programme)s】%(organisation)s：%(status)s") % {
        "programme": app.cycle.programme.name,
        "organisation": app.organisation.name,
        "status": S(to).label,
    }
    message = str(
        _APPLICANT_MESSAGE.get(to)
        or gettext("申报状态变为：%(status)s。") % {"status": S(to).label}
    )
    if more:
        message += "\n" + (gettext("意见：%(more)s") % {"more": more} if opinion else more)
    programme_id = app.cycle.programme_id
    notify(
        recipients=app.organisation.users.all(),
        subject=title,
        body=message,
        url=url,
        programme_id=programme_id,
    )
    roles = _STAFF_TOLD.get(to)
    if roles:
        staff = (
            User.objects.filter(groups__name__in=roles, is_active=True)
            .filter(_serves(app.cycle.programme_id))
            .distinct()
        )
        notify(
            recipients=staff,
            subject=title,
            body=gettext("%(organisation)s的申报：%(status)s。")
            % {"organisation": app.organisation.name, "status": S(to).label},
            url=url,
            programme_id=programme_id,
        )


def _serves(programme_id: int) -> Q:
    return Q(all_programmes=True) | Q(memberships__programme_id=programme_id)
