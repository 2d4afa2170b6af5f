from celery import shared_task

from common.dates import today

from .services import close_unheld_cycles


@shared_task(name="programmes.close_unheld_cycles")
def close_unheld_cycles_task() -> list[int]:
    """Daily (beat): R5, cycles nobody applied to close as "not held". Idempotent."""
    return [cycle.pk for cycle in close_unheld_cycles(today=today())]
