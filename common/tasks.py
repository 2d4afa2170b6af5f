from celery import shared_task

from .outbox import flush


@shared_task(name="common.flush_outbox")
def flush_outbox_task() -> int:
    """Every minute (beat): hand over jobs whose broker was down or whose worker died."""
    return flush()
