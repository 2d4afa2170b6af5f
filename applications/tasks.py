from celery import shared_task

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
