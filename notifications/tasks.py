from celery import shared_task

from .services import deliver_emails


@shared_task(
    name="notifications.send_emails", autoretry_for=(OSError,), retry_backoff=30, max_retries=5
)
def send_notification_emails(*, notification_ids: list[int]) -> int:
    return deliver_emails(notification_ids=notification_ids)
