"""A real Celery worker on a real Redis, sharing the test database (PostgreSQL in CI).

The worker is a subprocess started here and stopped by its pid. Without REDIS_URL (and a
database a second process can open) these tests skip; CI sets REQUIRE_INTEGRATION=1 so that a
missing service fails the run instead.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from award_portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def _require_or_skip(reason: str):
    if os.environ.get("REQUIRE_INTEGRATION") == "1":
        pytest.fail(f"integration services missing: {reason}")
    pytest.skip(reason)


@pytest.fixture
def celery_worker_process(transactional_db):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        _require_or_skip("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        _require_or_skip("the worker needs a database another process can open (PostgreSQL)")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue = f"test-{uuid.uuid4().hex[:8]}"
    name = f"{queue}@localhost"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "award_portal.settings",
        "SECRET_KEY": "integration-test-secret",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SITE_URL": settings.SITE_URL,
    }
    log = open(Path(settings.MEDIA_ROOT).parent / f"{queue}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "award_portal",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "-n",
            name,
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    old = (
        celery_app.conf.task_always_eager,
        celery_app.conf.task_default_queue,
        celery_app.conf.broker_url,
        celery_app.conf.result_backend,
    )
    celery_app.conf.update(
        task_always_eager=False,
        task_default_queue=queue,
        broker_url=redis_url,
        result_backend=redis_url,
    )
    try:
        deadline = time.monotonic() + 30
        while not celery_app.control.ping(destination=[name], timeout=0.5):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                output = Path(log.name).read_text()[-3000:]
                pytest.fail(f"the Celery worker did not start:\n{output}")
        yield proc
    finally:
        celery_app.conf.update(
            task_always_eager=old[0],
            task_default_queue=old[1],
            broker_url=old[2],
            result_backend=old[3],
        )
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
