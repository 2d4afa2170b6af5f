"""The clock of the production-shaped run (tests/deploy/test_production_shape.py).

Every Python process of that run finds this module on PYTHONPATH and imports it at start-up.
With AWARD_CLOCK_FILE set, the process's wall clock (``time.time``, ``datetime.now``,
``date.today``: time-machine) runs ahead of the real one by the number of seconds written in that
file, and follows the file when the test rewrites it, in forked children too (gunicorn's and
Celery's workers). Timers and timeouts (``time.monotonic``, ``time.sleep``) are left alone, so
nothing times out when the date jumps. Without the variable this module does nothing.

A cycle needs several days (applications close before the review opens; publicity lasts seven
days after the committee's decision): the test lives through them in seconds, as
ENVIRONMENT.md's faketime would, which hangs Python's thread waits here.
"""

import os

CLOCK_FILE = os.environ.get("AWARD_CLOCK_FILE")


def _read_offset(default: float) -> float:
    """The file's offset in seconds; ``default`` while it cannot be read."""
    try:
        with open(CLOCK_FILE) as f:
            return float(f.read())
    except (OSError, ValueError):
        return default


if CLOCK_FILE:
    import datetime as dt
    import threading
    import time

    import time_machine

    def _moment(offset: float) -> dt.datetime:
        hatch = time_machine.escape_hatch
        real = hatch.time.time() if hatch.is_travelling() else time.time()
        return dt.datetime.fromtimestamp(real + offset, tz=dt.UTC)

    _offset = [_read_offset(0.0)]
    _traveller = time_machine.travel(_moment(_offset[0]), tick=True).start()

    def _follow() -> None:
        while True:
            offset = _read_offset(_offset[0])
            if offset != _offset[0]:
                _offset[0] = offset
                _traveller.move_to(_moment(offset))
            time.sleep(0.1)

    def _start_following() -> None:
        threading.Thread(target=_follow, name="award-clock", daemon=True).start()

    _start_following()
    os.register_at_fork(after_in_child=_start_following)
