"""The committee's decision (审定, R12.7) as a review page of its own (issue 10 §4): who may read
it, who may decide, bad input, a second submission, and the dashboard that leads to it."""

import pytest

from applications.enums import ApplicationStatus as S
from common.models import AuditEntry
from tests.review.conftest import make_accepted

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidates(w):
    apps = [w.app, *make_accepted(w.cycle, 3)]  # one more than the default quota (R7)
    for app in apps:
        app.status = S.CANDIDATE
        app.save(update_fields=["status"])
    return apps


def url(w) -> str:
    return f"/review/cycles/{w.cycle.pk}/decision/"


@pytest.mark.parametrize(
    ("role", "reads", "decides"),
    [
        ("committee", 200, 302),
        ("office", 200, 403),
        ("supervisor", 200, 403),
        ("government", 403, 403),
        ("recommender", 403, 403),
        ("expert", 403, 403),
        ("owner", 404, 404),
        ("other_programme", 404, 404),
    ],
)
def test_who_reads_and_who_decides_R12_7(client, w, candidates, role, reads, decides):
    client.force_login(w.user(role))
    assert client.get(url(w)).status_code == reads
    response = client.post(url(w), {"winners": [candidates[0].pk], "rationale": "综合得分第一"})
    assert response.status_code == decides
    candidates[0].refresh_from_db()
    assert (candidates[0].status == S.PROPOSED) is (decides == 302)


def test_anonymous_is_sent_to_log_in(client, w, candidates):
    response = client.get(url(w))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_rationale_is_required_and_nothing_changes_without_it_R12_7(client, w, candidates):
    client.force_login(w.committee)
    response = client.post(url(w), {"winners": [candidates[0].pk], "rationale": ""})
    assert response.status_code == 400
    assert "请填写审定理由" in response.content.decode()
    assert not w.cycle.applications.filter(status=S.PROPOSED).exists()


def test_a_non_candidate_or_nonsense_id_is_refused_with_a_message(client, w, candidates):
    client.force_login(w.committee)
    for bad in ("abc", "999999", "1e400"):
        response = client.post(url(w), {"winners": [bad], "rationale": "理由"})
        assert response.status_code == 400, bad
    assert not w.cycle.applications.filter(status=S.PROPOSED).exists()


def test_more_than_the_quota_is_refused_R7(client, w, candidates):
    client.force_login(w.committee)
    response = client.post(url(w), {"winners": [a.pk for a in candidates], "rationale": "全部"})
    assert response.status_code == 400
    assert "R7" in response.content.decode()


def test_a_second_submission_changes_nothing_and_is_audited_once(client, w, candidates):
    client.force_login(w.committee)
    body = {"winners": [candidates[0].pk], "rationale": "综合得分第一"}
    assert client.post(url(w), body).status_code == 302
    before = AuditEntry.objects.count()
    again = client.post(url(w), body)
    assert again.status_code in (400, 409)
    assert AuditEntry.objects.count() == before
    assert w.cycle.applications.filter(status=S.PROPOSED).count() == 1


def test_the_committees_dashboard_says_what_awaits_it_and_links_there(client, w, candidates):
    client.force_login(w.committee)
    page = client.get(f"/review/?cycle={w.cycle.pk}").content.decode()
    assert "4 个候选获奖组织等待评审委员会审定" in page
    assert url(w) in page
    client.force_login(w.supervisor)
    assert "等待评审委员会审定" not in client.get(f"/review/?cycle={w.cycle.pk}").content.decode()
