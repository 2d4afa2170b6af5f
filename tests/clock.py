"""Moving the portal's clock in tests.

``travel_to(day)`` moves the whole clock (``timezone.now()`` and ``timezone.localdate()``
together) to 10:00 Asia/Shanghai on ``day``; it keeps running from there. What happened on an
earlier day stays stamped with that day: a test submits on one day, travels, and decides on
another, so the day of an event and the day of the action that judges it stay separate values
(never one patched "today" that every date collapses into). The clock returns to the present
after each test (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")
_travels: list[tuple] = []


def moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def travel_to(day: dt.date, hour: int = 10) -> None:
    destination = moment(day, hour)
    if _travels:
        _travels[-1][1].move_to(destination)
        return
    traveller = time_machine.travel(destination, tick=True)
    _travels.append((traveller, traveller.start()))


def back_to_the_present() -> None:
    while _travels:
        traveller, _coordinates = _travels.pop()
        traveller.stop()
