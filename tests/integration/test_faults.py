"""Faults a production deployment lives through (issue 8, "Faults"): a worker killed in the
middle of a certificate, and Redis stopped while people work. Real processes: a Redis server of
the test's own, real Celery workers, PostgreSQL shared with them."""

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from award_portal.celery import app as celery_app
from awards.models import Award, Certificate
from awards.services.certificates import queue_certificates
from common import outbox
from common.models import OutboxMessage, OutboxStatus
from tests.factories import AwardFactory, OrganisationFactory, ProgrammeFactory, staff_user
from tests.integration.conftest import require_services, running_worker, use_broker

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("celery")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A redis-server of this test's own, which the test may stop and start again."""

    def __init__(self, directory: Path):
        self.port = _free_port()
        self.directory = directory
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def own_redis(transactional_db, tmp_path):
    require_services()
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    eager, broker = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    use_broker(server.url, queue=queue)
    try:
        yield server, queue
    finally:
        use_broker(broker, eager=eager, queue="award_portal")
        server.stop()


def _award(code: str) -> Award:
    programme = ProgrammeFactory(code=code)
    return AwardFactory(
        organisation=OrganisationFactory(name="上海庙清洁能源有限公司"),
        programme=programme,
        year=2026,
        announced_on=dt.date(2026, 9, 8),
        valid_until=dt.date(2029, 9, 8),
    )


def _wait(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_a_worker_killed_mid_certificate_leaves_nothing_half_made(own_redis, tmp_path):
    server, queue = own_redis
    marker = tmp_path / "render-started"
    award = _award("killed")
    slow = {"SLOW_CERTIFICATE_MARKER": str(marker), "SLOW_CERTIFICATE_SECONDS": "60"}
    with running_worker(
        server.url,
        queue,
        tag="-slow",
        extra_args=["--include", "tests.integration.slow_certificates"],
        extra_env=slow,
    ) as doomed:
        with transaction.atomic():
            (certificate,) = queue_certificates(awards=[award], actor=None)
        _wait(marker.exists, 30, "the worker never started the certificate")
        os.kill(doomed.pid, signal.SIGKILL)  # mid-render, no chance to clean up
        doomed.wait(timeout=10)
    certificate.refresh_from_db()
    assert (certificate.pdf.name, certificate.sha256, certificate.rendered_at) == ("", "", None)
    job = OutboxMessage.objects.get(task="awards.render_certificate")
    assert job.status == OutboxStatus.QUEUED  # handed over, never reported back
    # The next worker completes it: the outbox hands the stale job over again.
    with running_worker(server.url, queue, tag="-next"):
        later = timezone.now() + dt.timedelta(seconds=3600)
        assert outbox.flush(now=later) == 1
        _wait(
            lambda: Certificate.objects.get(pk=certificate.pk).pdf,
            60,
            "the next worker did not render the certificate",
        )
        _wait(
            lambda: OutboxMessage.objects.get(pk=job.pk).status == OutboxStatus.DONE,
            20,
            "the worker did not report the job done",
        )
    assert Certificate.objects.filter(award=award).count() == 1
    rendered = Certificate.objects.get(pk=certificate.pk)
    assert rendered.serial == "KILLED-2026-001"
    with rendered.pdf.open("rb") as f:
        assert f.read(5) == b"%PDF-"


def test_with_redis_stopped_pages_work_and_queued_work_runs_when_it_returns(own_redis, client):
    server, queue = own_redis
    office = staff_user("office")
    award = _award("outage")
    with transaction.atomic():
        (first,) = queue_certificates(awards=[award], actor=None)
    with running_worker(server.url, queue):
        _wait(lambda: Certificate.objects.get(pk=first.pk).pdf, 60, "no first certificate")
        server.stop()  # Redis goes away
        client.force_login(office)
        assert client.get("/").status_code == 200
        assert client.get(f"/awards/{award.pk}/").status_code == 200
        started = time.monotonic()
        response = client.post(
            f"/awards/{award.pk}/reissue/", {"reason": "组织更名", "replaces": str(first.pk)}
        )
        assert response.status_code == 302  # the office's step is saved
        assert time.monotonic() - started < 10  # and does not hang on the broker
        second = Certificate.objects.get(award=award, superseded_at=None)
        assert second.pk != first.pk and not second.pdf
        job = OutboxMessage.objects.get(kwargs__certificate_id=second.pk)
        assert job.status == OutboxStatus.PENDING
        assert job.last_error  # why it waits, for the office to read
        server.start()  # Redis is back; the worker reconnects by itself
        _wait(
            lambda: (
                outbox.flush(now=timezone.now() + dt.timedelta(minutes=10)) == 0
                and Certificate.objects.get(pk=second.pk).pdf
            ),
            90,
            "the queued certificate never ran after Redis came back",
        )
    assert OutboxMessage.objects.get(pk=job.pk).status == OutboxStatus.DONE
    # Nothing silently dropped, nothing done twice.
    assert Certificate.objects.filter(award=award).count() == 2
