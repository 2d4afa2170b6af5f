"""What of the review waits for the user, for the dashboard (issue 11)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext, ngettext

from .panels import WAITING_LIMIT, Waiting
from .selectors import cycles_awaiting_decision


def review_waiting(user) -> list[Waiting]:
    """The committee: candidates awaiting its decision, by cycle."""
    return [
        Waiting(
            label=ngettext(
                "%(cycle)s：%(n)s 个候选获奖组织等待评审委员会审定。",
                "%(cycle)s：%(n)s 个候选获奖组织等待评审委员会审定。",
                cycle.awaiting,
            )
            % {"cycle": cycle, "n": cycle.awaiting},
            count=cycle.awaiting,
            url=reverse("review:decision", args=[cycle.pk]),
            action=gettext("去审定"),
        )
        for cycle in cycles_awaiting_decision(user, limit=WAITING_LIMIT + 1)
    ]
