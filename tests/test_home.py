"""The landing page: the award explained, the current cycle's phase and deadlines."""

import datetime as dt

import pytest

from tests.clock import travel_to
from tests.factories import CycleFactory, ProgrammeFactory, staff_user
from tests.queries import exactly

pytestmark = pytest.mark.unit


def test_home_shows_cycle_phase_and_deadlines(client, programme, monkeypatch):
    CycleFactory(
        programme=programme,
        year=2026,
        opens_on=dt.date(2026, 3, 1),
        submission_deadline=dt.date(2026, 5, 31),
        recommendation_deadline=dt.date(2026, 6, 30),
    )
    travel_to(dt.date(2026, 5, 1))
    page = client.get("/").content.decode()
    assert "鄂托克前旗旗长质量奖 · 2026年度" in page
    assert "当前阶段：申报" in page
    assert "2026年5月31日" in page
    assert "还剩 30 天" in page
    assert 'href="/awards/"' in page


def test_home_without_cycles(client, db):
    assert "目前没有进行中的年度评审" in client.get("/").content.decode()


def test_home_query_count_is_constant(client, db):
    """The same queries for 1 and for 3 programmes (issue 12: one more per programme before)."""
    for i in range(3):
        CycleFactory(programme=ProgrammeFactory(code=f"p{i}"))
        if i in (0, 2):
            with exactly(3):
                client.get("/")


@pytest.mark.parametrize(
    ("role", "visible", "hidden"),
    [
        ("office", "申报受理", "评审任务"),
        ("expert", "评审任务", "申报受理"),
    ],
)
def test_home_navigation_is_role_aware(client, programme, role, visible, hidden):
    client.force_login(staff_user(role, programme=programme))
    page = client.get("/").content.decode()
    assert visible in page
    assert hidden not in page


def test_healthz(client, db):
    assert client.get("/healthz/").json() == {"status": "ok"}
