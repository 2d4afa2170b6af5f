"""The awards app's sections on review's cycle pages (registered in ``AwardsConfig.ready``):
publicity and objections on the office's cycle page, objections and certificates on the
dashboard."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.enums import Role
from applications.enums import ApplicationStatus as S
from common.dates import today
from review.panels import WAITING_LIMIT, Waiting

from .enums import CaseStatus, ObjectionStatus
from .forms import PublicityForm, ResolveObjectionForm
from .models import Objection
from .selectors import (
    awards_to_recover,
    cases_awaiting,
    cycles_awaiting_publicity,
    cycles_in_publicity,
)
from .services.certificates import progress as certificate_progress


def cycle_publicity(request, cycle) -> dict | None:
    user = request.user
    can_run = user.has_perm("awards.run_publicity", cycle)
    objections = Objection.objects.filter(application__cycle=cycle).select_related(
        "application__organisation"
    )
    publicity_form = (
        PublicityForm(initial={"starts_on": today(), "days": cycle.settings.publicity_days})
        if can_run and cycle.applications.filter(status=S.PROPOSED).exists()
        else None
    )
    return {
        "cycle": cycle,
        "publicity_form": publicity_form,
        "objections": list(objections),
        "resolve_form": ResolveObjectionForm(),
        "can_resolve": user.has_perm("awards.resolve_objection", cycle),
        "can_see_objector": user.has_perm("awards.view_objector", cycle),
    }


def dashboard_awards(request, cycle) -> dict | None:
    done, total = certificate_progress(cycle.awards.all())
    return {
        "certificates": {"done": done, "total": total},
        "open_objections": Objection.objects.filter(
            application__cycle=cycle, status=ObjectionStatus.OPEN
        ).count(),
    }


def awards_waiting(user) -> list[Waiting]:
    """What of publicity, announcement and cases waits for the user (issue 11), for the
    review dashboard: a fixed number of queries whatever the number of items, each reading at
    most ``WAITING_LIMIT + 1`` rows."""
    items: list[Waiting] = []
    limit = WAITING_LIMIT + 1
    day = today()
    for cycle in cycles_awaiting_publicity(user, limit=limit):
        items.append(
            Waiting(
                label=gettext("%(cycle)s：%(n)s 个拟获奖组织待公示。")
                % {"cycle": cycle, "n": cycle.proposed},
                count=cycle.proposed,
                url=reverse("review:cycle", args=[cycle.pk]),
                action=gettext("安排公示"),
            )
        )
    # The government is shown every published cycle; the others only those with an objection.
    published = cycles_in_publicity(
        user, with_objections=not user.has_role(Role.GOVERNMENT), limit=limit
    )
    if user.has_role(Role.OFFICE, Role.SUPERVISOR):
        for cycle in published:
            if cycle.open_objections:
                items.append(
                    Waiting(
                        label=gettext("%(cycle)s：%(n)s 条公示异议待调查处理。")
                        % {"cycle": cycle, "n": cycle.open_objections},
                        count=cycle.open_objections,
                        url=reverse("review:cycle", args=[cycle.pk]),
                        action=gettext("去处理") if user.has_role(Role.OFFICE) else gettext("查看"),
                    )
                )
    if user.has_role(Role.GOVERNMENT):
        for cycle in published:
            facts = {
                "cycle": cycle,
                "n": cycle.winners,
                "last": date_format(cycle.publicity_ends_on),
            }
            if cycle.publicity_ends_on < day and not cycle.open_objections:
                label = gettext("%(cycle)s：公示期已满，%(n)s 个拟获奖组织待批准公告。") % facts
            else:
                label = (
                    gettext("%(cycle)s：%(n)s 个拟获奖组织公示中，%(last)s期满后待批准公告。")
                    % facts
                )
            items.append(
                Waiting(
                    label=label,
                    count=cycle.winners,
                    url=reverse("awards:approvals"),
                    action=gettext("批准公告"),
                )
            )
    for case in cases_awaiting(user, limit=limit):
        facts = {"organisation": case.award.organisation.name, "award": case.award}
        if case.status == CaseStatus.OPEN:
            label = gettext("%(organisation)s的奖项已立案，等待评审委员会决定。") % facts
            acts = user.has_role(Role.COMMITTEE)
            action = gettext("去决定") if acts else gettext("查看")
        else:
            label = gettext("撤销%(organisation)s的奖项，待政府批准。") % facts
            acts = user.has_role(Role.GOVERNMENT)
            action = gettext("去批准") if acts else gettext("查看")
        items.append(
            Waiting(
                label=label,
                count=1,
                url=reverse("awards:detail", args=[case.award_id]),
                action=action,
            )
        )
    for award in awards_to_recover(user, limit=limit):
        items.append(
            Waiting(
                label=gettext("%(organisation)s的奖项已撤销，证书和奖牌待收回。")
                % {"organisation": award.organisation.name},
                count=1,
                url=reverse("awards:detail", args=[award.pk]),
                action=gettext("登记收回"),
            )
        )
    return items
