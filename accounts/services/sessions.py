"""How long a logged-in session lives (issue 8 item 12): staff sessions end after
STAFF_SESSION_IDLE_MINUTES without a request; enterprise sessions keep Django's SESSION_COOKIE_AGE
(two weeks by default) and no idle limit."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from ..enums import Role

# The session keeps the time of the last request, rewritten at most this often so that a burst
# of requests costs one session write, not one each.
LAST_ACTIVITY_KEY = "accounts_last_activity"
TOUCH_EVERY = dt.timedelta(seconds=60)


def idle_limit(user) -> dt.timedelta | None:
    """The idle limit of the user's sessions: staff (any staff role, or the admin's staff flag)
    have one, enterprise users none."""
    if user.is_staff or user.is_superuser or user.has_role(*Role.values):
        return dt.timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES)
    return None


def last_activity(session) -> dt.datetime | None:
    value = session.get(LAST_ACTIVITY_KEY)
    if not isinstance(value, int | float):
        return None
    return dt.datetime.fromtimestamp(value, tz=dt.UTC)


def session_idle_expired(*, user, last: dt.datetime | None, now: dt.datetime) -> bool:
    """True when the user's session has been idle longer than the user's limit at ``now``."""
    limit = idle_limit(user)
    return limit is not None and last is not None and now - last > limit


def touch(session, *, now: dt.datetime) -> None:
    """Note a request at ``now``, unless one was noted less than TOUCH_EVERY ago."""
    last = last_activity(session)
    if last is None or now - last >= TOUCH_EVERY or now < last:
        session[LAST_ACTIVITY_KEY] = int(now.timestamp())
