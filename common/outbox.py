"""The transactional outbox: side effects that are never lost and never block each other.

A service that wants a task run after its change commits calls :func:`enqueue` inside its
transaction. The job is a row of its own (``OutboxMessage``), committed or rolled back with
the change, and handed to Celery by an on-commit hook that cannot fail the request:

- one job's failure never stops another, nor the caller (each hook is ``robust`` and
  :func:`dispatch` catches everything, keeping the error on the row);
- with the broker down the row stays ``pending``; :func:`flush` (every minute from beat, and
  ``manage.py flush_outbox``) hands it over again once the broker is back;
- a job handed over but not done after ``OUTBOX_STALE_SECONDS`` (a worker killed mid-task) is
  handed over again: every task it names is idempotent;
- a job that keeps failing ends ``failed``, listed for the office, who may retry it.

The worker reports back through Celery's signals (``task_success``, ``task_failure``), keyed by
the task id ``outbox-<id>-<attempt>``.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery.result import EagerResult
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from . import audit
from .exceptions import StateConflict
from .models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

TASK_ID_PREFIX = "outbox-"


def _max_attempts() -> int:
    return getattr(settings, "OUTBOX_MAX_ATTEMPTS", 6)


def _stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "OUTBOX_STALE_SECONDS", 1800))


def _backoff(attempt: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, 4 min … at most an hour between attempts."""
    return dt.timedelta(seconds=min(30 * 2 ** max(attempt - 1, 0), 3600))


def enqueue(task: str, *, label: str = "", programme_id: int | None = None, **kwargs):
    """Record a job for ``task`` (a Celery task name) with JSON ``kwargs``, to run once the
    caller's transaction commits. Returns the row."""
    message = OutboxMessage.objects.create(
        task=task, kwargs=kwargs, label=label[:200], programme_id=programme_id
    )

    def dispatch_after_commit() -> None:
        dispatch(message.pk)

    transaction.on_commit(dispatch_after_commit, robust=True)
    return message


def _error_text(exc: BaseException) -> str:
    # A task run eagerly that asks Celery to retry it carries the real error inside.
    exc = getattr(exc, "exc", None) or exc
    return f"{type(exc).__name__}: {exc}"[:1000]


def _celery_task(name: str):
    from celery import current_app as app  # noqa: PLC0415 - the project's app, set at start

    if name not in app.tasks:
        app.loader.import_default_modules()  # every app's tasks.py (Celery's autodiscovery)
    return app.tasks[name]


def dispatch(message_id: int) -> str:
    """Hand one job to the queue (or, without a broker, run it here). Never raises; returns
    the job's status afterwards."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status == OutboxStatus.DONE:
            return message.status if message else ""
        message.attempts += 1
        message.status = OutboxStatus.QUEUED
        message.queued_at = timezone.now()
        message.next_attempt_at = None
        message.save(update_fields=["attempts", "status", "queued_at", "next_attempt_at"])
    task_id = f"{TASK_ID_PREFIX}{message.pk}-{message.attempts}"
    try:
        # The worker reports back through signals, not the result backend: nothing waits on
        # a result (and nothing subscribes to one while Redis may be down).
        result = _celery_task(message.task).apply_async(
            kwargs=message.kwargs, task_id=task_id, ignore_result=True
        )
    except Exception as exc:  # the broker is down, or the task failed when run eagerly
        log.warning("outbox job %s (%s) not run: %s", message.pk, message.task, type(exc).__name__)
        return _failed_attempt(message.pk, exc)
    if isinstance(result, EagerResult):
        if result.successful():
            mark_done(message.pk)  # run here and then: done already
            return OutboxStatus.DONE
        return _failed_attempt(message.pk, result.result or RuntimeError("task failed"))
    return OutboxStatus.QUEUED


def _failed_attempt(message_id: int, exc: BaseException) -> str:
    message = OutboxMessage.objects.get(pk=message_id)
    if message.attempts >= _max_attempts():
        status, next_at = OutboxStatus.FAILED, None
    else:
        status, next_at = OutboxStatus.PENDING, timezone.now() + _backoff(message.attempts)
    OutboxMessage.objects.filter(pk=message_id).exclude(status=OutboxStatus.DONE).update(
        status=status, next_attempt_at=next_at, last_error=_error_text(exc)
    )
    return status


def mark_done(message_id: int) -> None:
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxStatus.DONE, done_at=timezone.now(), last_error="", next_attempt_at=None
    )


def message_id_of(task_id: str | None) -> int | None:
    """The job a Celery task id belongs to (``outbox-<id>-<attempt>``), or None."""
    if not task_id or not task_id.startswith(TASK_ID_PREFIX):
        return None
    number = task_id[len(TASK_ID_PREFIX) :].split("-", 1)[0]
    return int(number) if number.isdigit() else None


def task_succeeded(task_id: str | None) -> None:
    message_id = message_id_of(task_id)
    if message_id is not None:
        mark_done(message_id)


def task_failed(task_id: str | None, exc: BaseException) -> None:
    """A worker gave up on the task (its own retries are spent)."""
    message_id = message_id_of(task_id)
    if message_id is not None:
        _failed_attempt(message_id, exc)


def due(now: dt.datetime | None = None):
    """Jobs to hand over again: pending ones whose time has come, and ones handed over long
    ago that never reported back."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=OutboxStatus.PENDING, next_attempt_at=None, created_at__lte=now)
        | Q(status=OutboxStatus.QUEUED, queued_at__lte=now - _stale_after())
    ).order_by("pk")


def flush(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Hand over every due job (see :func:`due`); returns how many were tried."""
    ids = list(due(now).values_list("pk", flat=True)[:limit])
    for message_id in ids:
        dispatch(message_id)
    return len(ids)


def retry(*, message: OutboxMessage, actor) -> str:
    """The office tries a failed (or stuck) job again, now."""
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status == OutboxStatus.DONE:
            raise StateConflict(gettext("该任务已完成，无需重试。"))
        previous = locked.status
        locked.status = OutboxStatus.PENDING
        locked.attempts = 0
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit.record(
            action="outbox.retried",
            actor=actor,
            obj=locked,
            from_state=previous,
            to_state=OutboxStatus.PENDING,
            data={"task": locked.task},
        )
    return dispatch(locked.pk)
