"""One view per review operation (issue 10 §3): each asks its named permission of the caller,
answers 404 for what the caller may not see, validates its input, and changes nothing when
refused. The pages that carry the forms take no POST of their own."""

import pytest

from applications.enums import ApplicationStatus as S
from common.models import AuditEntry

pytestmark = pytest.mark.django_db

ROLES = ("office", "committee", "supervisor", "government", "expert", "owner", "other_programme")
# The office's operations: the office may (302); other staff of the programme may not (403);
# whoever may not see the object gets 404.
EXPECTED = {
    "office": 302,
    "committee": 403,
    "supervisor": 403,
    "government": 403,
    "expert": 403,
    "owner": 404,
    "other_programme": 404,
}


def operations(w) -> dict[str, tuple[str, dict]]:
    app, cycle = w.app, w.cycle
    return {
        "auto_assign": (f"/review/cycles/{cycle.pk}/auto-assign/document/", {}),
        "shortlist": (f"/review/cycles/{cycle.pk}/shortlist/", {"applications": [app.pk]}),
        "candidates": (f"/review/cycles/{cycle.pk}/candidates/", {"applications": [app.pk]}),
        "assign": (
            f"/review/applications/{app.pk}/assign/",
            {"expert": w.expert.pk, "stage": "document"},
        ),
        "visit": (f"/review/applications/{app.pk}/visit/", {"scheduled_on": "2026-09-20"}),
        "survey": (f"/review/applications/{app.pk}/survey/", {"lines": "90,customer"}),
        "survey_links": (f"/review/applications/{app.pk}/survey-links/", {"count": "3"}),
        "expert_status": (f"/review/experts/{w.expert.pk}/status/", {"status": "suspended"}),
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_operation_asks_its_permission_and_refusals_change_nothing(client, w, role):
    client.force_login(w.user(role))
    for name, (url, data) in operations(w).items():
        before = AuditEntry.objects.count()
        response = client.post(url, data)
        expected = EXPECTED[role]
        if name == "expert_status" and role in ("supervisor", "committee", "government"):
            expected = 403
        if name == "expert_status" and role in ("owner",):
            expected = 403  # the pool is not the applicant's: refused before any lookup
        if name == "expert_status" and role == "other_programme":
            expected = 404  # an expert of another programme's pool
        assert response.status_code == expected, (role, name, response.status_code)
        if expected != 302:
            assert AuditEntry.objects.count() == before, (role, name)


def test_anonymous_is_sent_to_log_in(client, w):
    for url, data in operations(w).values():
        response = client.post(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_pages_take_no_post_of_their_own(client, w):
    client.force_login(w.office)
    for url in (
        f"/review/cycles/{w.cycle.pk}/",
        f"/review/applications/{w.app.pk}/",
        "/review/experts/",
    ):
        assert client.post(url, {"action": "auto_document"}).status_code == 405, url


def test_bad_input_gets_a_message_and_changes_nothing(client, w):
    client.force_login(w.office)
    before = AuditEntry.objects.count()
    bad = {
        f"/review/applications/{w.app.pk}/visit/": {"scheduled_on": "2026-13-45"},
        f"/review/applications/{w.app.pk}/survey-links/": {"count": "9999"},
        f"/review/applications/{w.app.pk}/assign/": {"expert": "abc", "stage": "x"},
        f"/review/experts/{w.expert.pk}/status/": {"status": "bogus"},
        f"/review/cycles/{w.cycle.pk}/auto-assign/nonsense/": {},
    }
    for url, data in bad.items():
        response = client.post(url, data, follow=True)
        assert response.status_code in (200, 400, 404), url
        if response.status_code == 200:
            assert response.context["messages"], url
    assert AuditEntry.objects.count() == before


def test_a_survey_with_bad_lines_keeps_the_text_and_lists_each_line(client, w):
    w.app.status = S.ONSITE_REVIEW
    w.app.save(update_fields=["status"])
    client.force_login(w.office)
    typed = "90,customer\nabc,顾客\n95,nobody"
    response = client.post(f"/review/applications/{w.app.pk}/survey/", {"lines": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "第2行" in page and "第3行" in page
    assert "abc,顾客" in page
