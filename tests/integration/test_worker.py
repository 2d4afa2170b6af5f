"""A real Celery worker on Redis runs a real task against the shared database."""

import datetime as dt

import pytest

from programmes.enums import CycleStatus
from programmes.models import Cycle
from programmes.tasks import close_unheld_cycles_task
from tests.factories import CycleFactory, ProgrammeFactory

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("celery")]


def test_worker_closes_an_unheld_cycle_R5(celery_worker_process):
    programme = ProgrammeFactory(code="worker")
    cycle = CycleFactory(
        programme=programme,
        year=2020,
        opens_on=dt.date(2020, 3, 1),
        submission_deadline=dt.date(2020, 5, 31),
        recommendation_deadline=dt.date(2020, 6, 30),
    )
    result = close_unheld_cycles_task.delay()
    assert result.get(timeout=30) == [cycle.pk]
    assert Cycle.objects.get(pk=cycle.pk).status == CycleStatus.NOT_HELD
    # Idempotent on the worker too.
    assert close_unheld_cycles_task.delay().get(timeout=30) == []
