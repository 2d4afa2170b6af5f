"""Hand-offs of a case (issue 11; R20, R21, R22): the office opens it and the committee hears;
a revocation decided waits for the government, which hears; the revocation approved goes to
the office (to recover certificate and plaque) and the supervisor. Each in the award's
programme only, active users only, with a link that opens for them; the dashboard lists what
waits, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from accounts.enums import Role
from awards.services.sanctions import approve_revocation, decide_case, open_case
from notifications.models import Notification
from tests.awards.conftest import make_award
from tests.factories import ProgrammeFactory, staff_user

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

STAFF = [Role.OFFICE, Role.COMMITTEE, Role.SUPERVISOR, Role.GOVERNMENT]


def told(subject_part: str) -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(subject__contains=subject_part).values_list(
            "recipient__username", "url"
        )
    )


def mailed(subject_part: str) -> list[str]:
    return sorted(m.to[0] for m in mail.outbox if subject_part in m.subject)


@pytest.fixture
def others(programme):
    """Every staff role of another programme, and a deactivated one of this programme: none of
    them may hear of this programme's cases."""
    other = ProgrammeFactory(code="otherqq", name="鄂托克旗旗长质量奖", region="鄂托克旗")
    return (
        staff_user(STAFF, programme=other, username="foreign"),
        staff_user(STAFF, programme=programme, username="gone", is_active=False),
    )


@pytest.fixture
def award(programme, office):
    return make_award(
        programme, announced_on=dt.date(2025, 6, 1), office=office, name="绿原乳业有限公司"
    )


def opened(award, office):
    return open_case(
        award=award,
        trigger="accident",
        occurred_on=dt.date(2026, 3, 1),
        description="发生重大安全事故",
        actor=office,
    )


def test_an_opened_case_goes_to_the_committee_and_the_supervisor_R21_R22(
    client, award, office, committee, supervisor, government, others,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        opened(award, office)
    detail = f"/awards/{award.pk}/"
    assert told("等待评审委员会决定") == [("committee1", detail), ("supervisor1", detail)]
    assert mailed("等待评审委员会决定") == ["committee1@example.com", "supervisor1@example.com"]
    for user in (committee, supervisor):
        client.force_login(user)
        assert client.get(detail).status_code == 200
    client.force_login(committee)
    page = client.get("/review/").content.decode()
    assert "绿原乳业有限公司的奖项已立案，等待评审委员会决定。" in page
    assert f'href="{detail}">去决定</a>' in page
    client.force_login(government)
    assert "等待评审委员会决定" not in client.get("/review/").content.decode()


def test_a_revocation_decided_waits_for_the_government_R20_R21(
    client, award, office, committee, supervisor, government, others,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    case = opened(award, office)
    with django_capture_on_commit_callbacks(execute=True):
        decide_case(case=case, sanction="revoke", reasons="事故后果严重", actor=committee)
    detail = f"/awards/{award.pk}/"
    assert told("待政府批准") == [("government1", detail), ("supervisor1", detail)]
    assert mailed("待政府批准") == ["government1@example.com", "supervisor1@example.com"]
    client.force_login(government)
    assert client.get(detail).status_code == 200
    page = client.get("/review/").content.decode()
    assert "撤销绿原乳业有限公司的奖项，待政府批准。" in page
    assert f'href="{detail}">去批准</a>' in page
    client.force_login(committee)
    assert "待政府批准" not in client.get("/review/").content.decode()


def test_a_lesser_sanction_waits_for_no_one_and_the_supervisor_hears_R21(
    award, office, committee, government, supervisor, others, django_capture_on_commit_callbacks
):
    case = opened(award, office)
    with django_capture_on_commit_callbacks(execute=True):
        decide_case(case=case, sanction="warning", reasons="情节较轻", actor=committee)
    assert told("案件作出决定") == [("supervisor1", f"/awards/{award.pk}/")]
    assert (
        "警告" in Notification.objects.get(recipient=supervisor, subject__contains="作出决定").body
    )
    assert not Notification.objects.filter(recipient=government).exists()


def test_an_approved_revocation_goes_to_the_office_and_the_supervisor_R20(
    client, award, office, committee, supervisor, government, others,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    case = opened(award, office)
    decide_case(case=case, sanction="revoke", reasons="事故后果严重", actor=committee)
    with django_capture_on_commit_callbacks(execute=True):
        approve_revocation(case=case, actor=government)
    detail = f"/awards/{award.pk}/"
    staff_told = [t for t in told("的奖项已撤销") if t[1] == detail]
    assert staff_told == [("office1", detail), ("supervisor1", detail)]
    assert {"office1@example.com", "supervisor1@example.com"} <= set(mailed("的奖项已撤销"))
    note = Notification.objects.get(recipient=office, subject__contains="已撤销")
    assert "请收回证书和奖牌" in note.body
    for user in (office, supervisor):
        client.force_login(user)
        assert client.get(detail).status_code == 200


@pytest.mark.parametrize("item_count", (1, 3))
def test_the_dashboards_list_of_cases_costs_a_fixed_number_of_queries(
    client, programme, office, item_count, django_assert_num_queries
):
    """Every staff role at once, so every waiting source runs its query."""
    user = staff_user(STAFF, programme=programme, username="everyone")
    for n in range(item_count):
        opened(make_award(programme, office=office, name=f"获奖企业{n}有限公司"), office)
    client.force_login(user)
    client.get("/review/")  # warm-up
    with django_assert_num_queries(12):  # + the recent notifications
        page = client.get("/review/").content.decode()
    waiting = page.split('id="recent"')[0]  # the recent feed repeats the subjects
    assert waiting.count("等待评审委员会决定") == item_count


def test_the_organisation_hears_of_its_own_revocation_R20(
    award, office, committee, government, django_capture_on_commit_callbacks
):
    from tests.factories import EnterpriseUserFactory

    owner = EnterpriseUserFactory(organisation=award.organisation, username="lvyuan")
    case = opened(award, office)
    decide_case(case=case, sanction="revoke", reasons="事故后果严重", actor=committee)
    with django_capture_on_commit_callbacks(execute=True):
        approve_revocation(case=case, actor=government)
    note = Notification.objects.get(recipient=owner)
    assert "的奖项已撤销" in note.subject
    assert "交回证书和奖牌" in note.body and "意见" not in note.body
    assert note.url == "/applications/mine/"
    assert "lvyuan@example.com" in mailed("的奖项已撤销")


def test_the_dashboard_shows_what_the_supervisor_was_told_lately(
    client, award, office, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        opened(award, office)
    client.force_login(supervisor)
    page = client.get("/review/")
    assert [n.subject for n in page.context["recent"]] == [
        Notification.objects.get(recipient=supervisor).subject
    ]
    html = page.content.decode()
    assert "最近动态" in html and f'href="/awards/{award.pk}/"' in html
