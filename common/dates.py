"""Every date window of the award, computed in one place (RULES.md: "one date helper").

Windows counted in years follow the calendar: a date plus N years keeps month and day, and 29
February becomes 28 February in a year that has no leap day (2024-02-29 + 3 years = 2027-02-28).
"Within N years after X" includes both X and its N-th anniversary; "at least N years before D"
means the N-th anniversary falls on or before D.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by ``years`` calendar years (negative moves back); 29 Feb → 28 Feb."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def today() -> dt.date:
    """Today in the portal's time zone (Asia/Shanghai), not the server's."""
    return timezone.localdate()


@dataclass(frozen=True)
class Window:
    """A closed range of days ``[first, last]``."""

    first: dt.date
    last: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


def years_after(start: dt.date, years: int) -> Window:
    """The window from ``start`` to its ``years``-th anniversary, both included.

    Used for award validity (R6), the post-award watch window (R21) and bans (R20, R21).
    """
    return Window(start, add_years(start, years))


def years_before(end: dt.date, years: int) -> Window:
    """The look-back window: ``end`` and the ``years`` years before it, ends included (R11.6)."""
    return Window(add_years(end, -years), end)


def has_operated_years(registered_on: dt.date, on: dt.date, years: int) -> bool:
    """True when ``years`` full years have passed from registration to ``on`` (R11.1)."""
    return add_years(registered_on, years) <= on
