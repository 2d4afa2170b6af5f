"""A real Celery worker on a real Redis, sharing the test database (PostgreSQL in CI).

The worker is a subprocess started here and stopped by its pid. Without REDIS_URL (and a
database a second process can open) these tests skip; CI sets REQUIRE_INTEGRATION=1 so that a
missing service fails the run instead.
"""

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
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


def database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def require_services() -> str:
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        _require_or_skip("REDIS_URL is not set")
    if connection.vendor != "postgresql":
        _require_or_skip("the worker needs a database another process can open (PostgreSQL)")
    return redis_url


def use_broker(url: str, *, queue: str | None = None, eager: bool = False) -> None:
    """Point this process's Celery app at ``url`` (pools are per broker: start new ones)."""
    celery_app.conf.update(
        task_always_eager=eager,
        broker_url=url,
        result_backend=url if url.startswith("redis") else "cache+memory://",
        **({"task_default_queue": queue} if queue else {}),
    )
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # The result backend is cached too (per app, or per thread): the next use builds a new one.
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


@contextlib.contextmanager
def running_worker(
    redis_url: str, queue: str, *, tag: str = "", extra_args=(), extra_env=None
) -> Iterator[subprocess.Popen]:
    """A real Celery worker process on ``queue``, sharing the test database and media."""
    name = f"{queue}{tag}@localhost"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "award_portal.settings",
        "SECRET_KEY": "integration-test-secret",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SITE_URL": settings.SITE_URL,
        **(extra_env or {}),
    }
    log = open(Path(settings.MEDIA_ROOT).parent / f"{queue}{tag}.log", "w")  # noqa: SIM115
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
            *extra_args,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
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
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


@pytest.fixture
def celery_worker_process(transactional_db):
    redis_url = require_services()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    old = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    use_broker(redis_url, queue=queue)
    try:
        with running_worker(redis_url, queue) as proc:
            yield proc
    finally:
        use_broker(old[1], eager=old[0], queue=settings.CELERY_TASK_DEFAULT_QUEUE)
