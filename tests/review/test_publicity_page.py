"""Starting publicity is its own operation (issue 10 §3), an awards page posted from review's
cycle page, where the awards app adds its section without review importing it (§5)."""

import datetime as dt

import pytest

from applications.enums import ApplicationStatus as S
from common.models import AuditEntry
from tests.review.conftest import TODAY, proposed_by_committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(w):
    proposed_by_committee(w.cycle, [w.app], TODAY - dt.timedelta(days=1))
    return w.app


def url(w) -> str:
    return f"/cycles/{w.cycle.pk}/publicity/"


@pytest.mark.parametrize(
    ("role", "status", "started"),
    [
        ("office", 302, True),
        ("committee", 403, False),
        ("supervisor", 403, False),
        ("government", 403, False),
        ("expert", 403, False),
        ("owner", 404, False),
        ("other_programme", 404, False),
    ],
)
def test_only_the_programmes_office_starts_publicity_R12_7(
    client, w, proposed, role, status, started
):
    client.force_login(w.user(role))
    response = client.post(url(w), {"starts_on": str(TODAY)})
    assert response.status_code == status, role
    w.app.refresh_from_db()
    assert (w.app.status == S.PUBLICITY) is started


def test_the_cycle_page_offers_the_form_with_the_programmes_length(client, w, proposed):
    client.force_login(w.office)
    page = client.get(f"/review/cycles/{w.cycle.pk}/").content.decode()
    assert f'action="{url(w)}"' in page
    assert f'value="{w.cycle.settings.publicity_days}"' in page
    client.force_login(w.supervisor)
    assert f'action="{url(w)}"' not in client.get(f"/review/cycles/{w.cycle.pk}/").content.decode()


def test_a_bad_date_is_refused_with_a_message_and_nothing_starts(client, w, proposed):
    client.force_login(w.office)
    for bad in ("", "2026-13-40", "1e400"):
        response = client.post(url(w), {"starts_on": bad}, follow=True)
        assert "请填写有效的公示开始日期" in response.content.decode()
    w.app.refresh_from_db()
    assert w.app.status == S.PROPOSED


def test_a_second_submission_starts_nothing_twice(client, w, proposed):
    client.force_login(w.office)
    client.post(url(w), {"starts_on": str(TODAY)})
    entries = AuditEntry.objects.count()
    response = client.post(url(w), {"starts_on": str(TODAY)}, follow=True)
    assert response.status_code == 200
    assert AuditEntry.objects.count() == entries
    w.cycle.refresh_from_db()
    assert w.cycle.publicity_starts_on == TODAY
