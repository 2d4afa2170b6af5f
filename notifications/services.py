"""Telling people what happened: an inbox entry each, and an e-mail after commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(*, recipients: Iterable, subject: str, body: str, url: str = "") -> list[Notification]:
    """Create inbox entries for active recipients and queue their e-mails for after commit.

    The body must not carry confidential material: e-mail leaves the system.
    """
    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    notes = Notification.objects.bulk_create(
        [Notification(recipient=u, subject=subject, body=body, url=url) for u in people.values()]
    )
    ids = [n.pk for n in notes if n.recipient.email]
    if ids:
        transaction.on_commit(lambda: _send_emails(ids))
    return notes


def _send_emails(ids: list[int]) -> None:
    from .tasks import send_notification_emails  # noqa: PLC0415 - tasks import this module

    send_notification_emails.delay(notification_ids=ids)


def deliver_emails(*, notification_ids: list[int]) -> int:
    """Send the e-mails of these notifications that were not sent yet. Idempotent."""
    sent = 0
    for note in Notification.objects.filter(pk__in=notification_ids, emailed=False).select_related(
        "recipient"
    ):
        link = f"\n\n{settings.SITE_URL}{note.url}" if note.url else ""
        send_mail(note.subject, f"{note.body}{link}", None, [note.recipient.email])
        Notification.objects.filter(pk=note.pk).update(emailed=True)
        sent += 1
    return sent


def mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
