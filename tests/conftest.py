import pytest
from rest_framework.test import APIClient

from tests.factories import (
    CycleFactory,
    EnterpriseUserFactory,
    ProgrammeFactory,
    default_criteria_set,
    staff_user,
)


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
