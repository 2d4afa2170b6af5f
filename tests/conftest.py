import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from tests.clock import back_to_the_present, travel_to
from tests.factories import (
    CycleFactory,
    EnterpriseUserFactory,
    ProgrammeFactory,
    default_criteria_set,
    ensure_divisions,
    staff_user,
)


@pytest.fixture(autouse=True)
def _divisions(request):
    """The GB/T 2260 divisions the data migration loads; a transactional test's flush empties
    the table, so tests after it in the same process load them again (as the criteria set)."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and marker.kwargs.get("transaction"))
    )
    if transactional or "db" in names or marker:
        request.getfixturevalue("transactional_db" if transactional else "db")
        ensure_divisions()


@pytest.fixture(autouse=True)
def _clock_back():
    """Whatever day a test travelled to (tests/clock.py), the next one starts in the present."""
    yield
    back_to_the_present()


@pytest.fixture
def default_today() -> dt.date | None:
    """The day a directory's tests run on when they carry no ``today`` marker. A directory's
    conftest overrides it with its ``TODAY``; here None: the real present, no travel."""
    return None


@pytest.fixture(autouse=True)
def today(request, _clock_back, default_today) -> dt.date:
    """The day the test runs on, and the clock travelled there (tests/clock.py).

    The closest ``@pytest.mark.today(dt.date(...))`` wins (test, then class, then the module's
    ``pytestmark``), else the directory's ``default_today``, else the present. Requesting
    ``_clock_back`` sets it up first, so its teardown (back to the present) runs after this."""
    marker = request.node.get_closest_marker("today")
    day = default_today
    if marker is not None:
        if len(marker.args) != 1 or marker.kwargs or not isinstance(marker.args[0], dt.date):
            raise pytest.UsageError("@pytest.mark.today takes one datetime.date")
        day = marker.args[0]
    if day is None:
        return timezone.localdate()
    travel_to(day)
    return day


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a public page cached by an earlier test
    (awards.public_cache) describes rows that test's rollback removed."""
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def criteria_set(db):
    return default_criteria_set()


@pytest.fixture
def programme(db):
    return ProgrammeFactory(code="etkqq", name="鄂托克前旗旗长质量奖")


@pytest.fixture
def cycle(programme):
    return CycleFactory(programme=programme)


@pytest.fixture
def api():
    return APIClient()


def login_api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def office(programme):
    return staff_user("office", programme=programme, username="office1")


@pytest.fixture
def committee(programme):
    return staff_user("committee", programme=programme, username="committee1")


@pytest.fixture
def supervisor(programme):
    return staff_user("supervisor", programme=programme, username="supervisor1")


@pytest.fixture
def government(programme):
    return staff_user("government", programme=programme, username="government1")


@pytest.fixture
def expert(programme):
    return staff_user("expert", programme=programme, username="expert1")


@pytest.fixture
def enterprise_user(db):
    return EnterpriseUserFactory(username="ent1")


@pytest.fixture(scope="session", autouse=True)
def _end_stray_database_sessions(django_db_setup, django_db_blocker):
    """PostgreSQL refuses to drop a test database that a session still uses. A connection
    opened outside the test's own (by a browser test's server thread or a worker) may still
    be idle at the end: end those sessions before pytest-django drops the database."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
