"""Telling people what happened: an inbox entry each, and an e-mail after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from accounts.selectors import staff_of
from common import outbox

from .models import Notification

log = logging.getLogger(__name__)


def one_line(text: str, limit: int = 200) -> str:
    """A subject on one line: whatever a name holds, an e-mail header never breaks."""
    return " ".join(str(text).split())[:limit]


def notify(
    *,
    recipients: Iterable,
    subject: str,
    body: str,
    url: str = "",
    programme_id: int | None = None,
) -> list[Notification]:
    """Create inbox entries for active recipients and queue their e-mails (through the outbox:
    sent after commit, retried, never failing the caller).

    The body must not carry confidential material: e-mail leaves the system.
    """
    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    subject = one_line(subject)
    notes = Notification.objects.bulk_create(
        [Notification(recipient=u, subject=subject, body=body, url=url) for u in people.values()]
    )
    ids = [n.pk for n in notes if n.recipient.email]
    if ids:
        outbox.enqueue(
            "notifications.send_emails",
            notification_ids=ids,
            label=f"邮件通知（{len(ids)}封）：{subject}",
            programme_id=programme_id,
        )
    return notes


def notify_staff(programme_id: int, *roles: str, subject: str, body: str, url: str = ""):
    """A hand-off: tell the active people holding one of ``roles`` who serve the programme."""
    return notify(
        recipients=staff_of(programme_id, *roles),
        subject=subject,
        body=body,
        url=url,
        programme_id=programme_id,
    )


def deliver_emails(*, notification_ids: list[int]) -> int:
    """Send the e-mails of these notifications that were not sent yet. Idempotent. One that
    cannot be sent does not stop the others; the first error is raised after all were tried,
    so the job is retried for the unsent ones only."""
    sent, first_error = 0, None
    for note in Notification.objects.filter(pk__in=notification_ids, emailed=False).select_related(
        "recipient"
    ):
        link = f"\n\n{settings.SITE_URL}{note.url}" if note.url else ""
        try:
            send_mail(one_line(note.subject), f"{note.body}{link}", None, [note.recipient.email])
        except Exception as exc:
            log.warning("e-mail of notification %s not sent: %s", note.pk, type(exc).__name__)
            first_error = first_error or exc
            continue
        Notification.objects.filter(pk=note.pk).update(emailed=True)
        sent += 1
    if first_error is not None:
        raise first_error
    return sent


def mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
