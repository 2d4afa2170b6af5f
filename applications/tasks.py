from celery import shared_task

from common.dates import today

from .services.deadlines import end_overdue_applications
from .services.submission import render_version_pdf


@shared_task(
    name="applications.render_submission_pdf",
    autoretry_for=(OSError,),
    retry_backoff=10,
    max_retries=5,
)
def render_submission_pdf(*, version_id: int) -> str:
    """The PDF of a submitted form, rendered once (idempotent)."""
    version = render_version_pdf(version_id=version_id)
    return version.pdf_sha256 if version else ""


@shared_task(name="applications.end_overdue")
def end_overdue_task() -> dict:
    """Daily (beat): applications the calendar has ended (R12.2, issue 9). Idempotent."""
    return end_overdue_applications(today=today()).as_dict()
