from celery import shared_task

from common.dates import today

from .services.certificates import render
from .services.validity import enforce_award_rules


@shared_task(
    name="awards.render_certificate",
    autoretry_for=(OSError,),
    retry_backoff=10,
    max_retries=5,
    acks_late=True,
)
def render_certificate(*, certificate_id: int) -> str:
    """Render one certificate's PDF (idempotent; safe to run twice or after a crash)."""
    certificate = render(certificate_id=certificate_id)
    return certificate.serial if certificate else ""


@shared_task(name="awards.enforce_award_rules")
def enforce_award_rules_task() -> dict:
    """Daily (beat): expiries, ended bans, reminders. Idempotent."""
    return enforce_award_rules(today=today()).as_dict()
