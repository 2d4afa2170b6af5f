"""A real Celery worker on Redis runs a real task against the shared database."""

import datetime as dt

import pytest

from programmes.enums import CycleStatus
from programmes.models import Cycle
from programmes.tasks import close_unheld_cycles_task
from tests.factories import AwardFactory, CycleFactory, ProgrammeFactory

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


def test_worker_issues_a_certificate_after_commit(celery_worker_process, settings):
    """The announcement's certificates are rendered by the real worker, not in the request."""
    import time

    from django.db import transaction

    from awards.models import Certificate
    from awards.services.certificates import queue_certificates
    from tests.factories import OrganisationFactory

    programme = ProgrammeFactory(code="certs")
    org = OrganisationFactory(name="上海庙清洁能源有限公司")
    award = AwardFactory(
        organisation=org,
        programme=programme,
        year=2026,
        announced_on=dt.date(2026, 9, 8),
        valid_until=dt.date(2029, 9, 8),
    )
    with transaction.atomic():
        (certificate,) = queue_certificates(awards=[award], actor=None)
    deadline = time.monotonic() + 60
    while not Certificate.objects.get(pk=certificate.pk).pdf:
        assert time.monotonic() < deadline, "the worker did not render the certificate"
        time.sleep(0.5)
    rendered = Certificate.objects.get(pk=certificate.pk)
    assert rendered.serial == "CERTS-2026-001"
    assert len(rendered.sha256) == 64
    with rendered.pdf.open("rb") as f:
        assert f.read(5) == b"%PDF-"
