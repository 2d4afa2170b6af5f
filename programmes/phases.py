"""The cycle's dates govern its work (R12, issue 9 §1): the review steps begin only after the
recommendation deadline, in the order of R12."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext

from common.dates import today as local_today
from common.exceptions import StateConflict

from .models import Cycle


def review_opens_on(cycle: Cycle) -> dt.date:
    """The first day of the review: the day after the recommendation deadline (R12.2, R12.3)."""
    return cycle.recommendation_deadline + dt.timedelta(days=1)


def review_has_begun(cycle: Cycle, day: dt.date | None = None) -> bool:
    return (day or local_today()) >= review_opens_on(cycle)


def ensure_review_begun(cycle: Cycle, *, step: str, rule: str, day: dt.date | None = None):
    """Refuse ``step`` (409, with the rule id and the date it opens) while applications and
    recommendations are still open: nothing is accepted, assigned, shortlisted, proposed,
    decided or published before the recommendation deadline has passed."""
    day = day or local_today()
    opens = review_opens_on(cycle)
    if day < opens:
        raise StateConflict(
            gettext(
                "%(cycle)s的推荐截止日期为%(date_format)s，%(step)s自%(date_format2)s起方可进行。"
            )
            % {
                "cycle": cycle,
                "date_format": date_format(cycle.recommendation_deadline),
                "step": step,
                "date_format2": date_format(opens),
            },
            rule=rule,
        )
