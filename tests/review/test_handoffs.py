"""Hand-offs of the cycle (issue 11): the service that completes a step tells the role whose
step comes next, in its programme only, active users only, with a link that opens for them;
the dashboard lists what waits, with a count (R12.6-R12.8, R22)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.enums import Role
from applications.enums import ApplicationStatus as S
from awards.models import Objection
from awards.services.publicity import file_objection, resolve_objection, start_publicity
from awards.services.validity import enforce_award_rules
from notifications.models import Notification
from review.services.decisions import decide_winners, propose_candidates
from tests.clock import travel_to
from tests.factories import CycleFactory, staff_user
from tests.review.conftest import make_accepted, set_status
from tests.review.test_api import composite_ready, in_publicity

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

OBJECTOR_NAME, OBJECTOR_PHONE = "王某某", "13900001111"
OBJECTION_TEXT = "该企业近两年发生过质量投诉未如实申报"


def told(subject_part: str) -> list[tuple[str, str]]:
    """(username, url) of everyone whose inbox got a notification with this subject."""
    return sorted(
        Notification.objects.filter(subject__contains=subject_part).values_list(
            "recipient__username", "url"
        )
    )


def mailed(subject_part: str) -> list[str]:
    return sorted(m.to[0] for m in mail.outbox if subject_part in m.subject)


@pytest.fixture
def gone(w):
    """A user of every staff role of the programme whose account was deactivated."""
    return staff_user(
        [Role.OFFICE, Role.COMMITTEE, Role.SUPERVISOR, Role.GOVERNMENT],
        programme=w.programme,
        username="gone",
        is_active=False,
    )


def test_the_committee_hears_that_candidates_await_its_decision_R12_7(
    client, w, gone, django_capture_on_commit_callbacks
):
    composite_ready(w, 80)
    with django_capture_on_commit_callbacks(execute=True):
        propose_candidates(cycle=w.cycle, application_ids=[w.app.pk], actor=w.office)
    decision = f"/review/cycles/{w.cycle.pk}/decision/"
    assert told("等待评审委员会审定") == [("committee1", decision)]
    assert mailed("等待评审委员会审定") == ["committee1@example.com"]
    (message,) = (m for m in mail.outbox if "等待评审委员会审定" in m.subject)
    assert message.body.endswith(decision)
    client.force_login(w.committee)
    assert client.get(decision).status_code == 200
    page = client.get("/review/").content.decode()
    assert "1 个候选获奖组织等待评审委员会审定" in page
    assert f'href="{decision}"' in page


def test_no_candidate_tells_the_committee_nothing(w, django_capture_on_commit_callbacks):
    composite_ready(w, 80)
    with django_capture_on_commit_callbacks(execute=True):
        propose_candidates(cycle=w.cycle, application_ids=[], actor=w.office)
    assert told("等待评审委员会审定") == []


def test_the_office_and_the_supervisor_hear_of_the_winners_R12_7_R22(
    client, w, gone, django_capture_on_commit_callbacks
):
    second = make_accepted(w.cycle, 1)[0]
    for app in (w.app, second):
        set_status(app, S.CANDIDATE)
    with django_capture_on_commit_callbacks(execute=True):
        decide_winners(
            cycle=w.cycle, winner_ids=[w.app.pk], rationale="综合得分第一", actor=w.committee
        )
    cycle_page = f"/review/cycles/{w.cycle.pk}/"
    decision = f"/review/cycles/{w.cycle.pk}/decision/"
    assert told("评审委员会已审定拟获奖名单") == [
        ("office1", cycle_page),
        ("supervisor1", decision),
    ]
    assert mailed("评审委员会已审定拟获奖名单") == [
        "office1@example.com",
        "supervisor1@example.com",
    ]
    for user, url in ((w.office, cycle_page), (w.supervisor, decision)):
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.force_login(w.office)
    page = client.get("/review/").content.decode()
    assert "1 个拟获奖组织待公示" in page
    assert f'href="{cycle_page}"' in page


def test_a_vacant_year_waits_for_no_one_but_the_supervisor_hears_of_it_R7(
    client, w, django_capture_on_commit_callbacks
):
    set_status(w.app, S.CANDIDATE)
    with django_capture_on_commit_callbacks(execute=True):
        decide_winners(cycle=w.cycle, winner_ids=[], rationale="均未达到要求", actor=w.committee)
    assert told("评审委员会已审定拟获奖名单") == [
        ("supervisor1", f"/review/cycles/{w.cycle.pk}/decision/")
    ]
    (note,) = Notification.objects.filter(recipient=w.supervisor)
    assert "名额空缺" in note.body
    client.force_login(w.supervisor)
    assert client.get(note.url).status_code == 200


def test_the_government_hears_when_publicity_starts_and_approval_falls_due_R12_8(
    client, w, gone, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        in_publicity(w, dt.date(2026, 9, 1))
    assert told("期满后待政府批准公告") == [("government1", "/approvals/")]
    assert mailed("期满后待政府批准公告") == ["government1@example.com"]
    (note,) = Notification.objects.filter(recipient=w.government)
    assert "2026年9月1日至2026年9月7日" in note.body
    client.force_login(w.government)
    assert client.get("/approvals/").status_code == 200
    page = client.get("/review/").content.decode()
    assert "1 个拟获奖组织公示中" in page
    travel_to(dt.date(2026, 9, 8))
    later = Client()  # a week later: a new session
    later.force_login(w.government)
    page = later.get("/review/").content.decode()
    assert "公示期已满，1 个拟获奖组织待批准公告" in page
    assert 'href="/approvals/"' in page


def test_an_objection_goes_to_the_office_and_the_supervisor_without_its_author_R12_7(
    client, w, gone, django_capture_on_commit_callbacks
):
    in_publicity(w, dt.date(2026, 9, 1))
    with django_capture_on_commit_callbacks(execute=True):
        file_objection(
            application_id=w.app.pk, text=OBJECTION_TEXT, name=OBJECTOR_NAME, phone=OBJECTOR_PHONE
        )
    cycle_page = f"/review/cycles/{w.cycle.pk}/"
    assert told("公示期间收到对") == [("office1", cycle_page), ("supervisor1", cycle_page)]
    assert mailed("公示期间收到对") == ["office1@example.com", "supervisor1@example.com"]
    written = [
        *Notification.objects.values_list("subject", "body"),
        *((m.subject, m.body) for m in mail.outbox),
    ]
    for secret in (OBJECTOR_NAME, OBJECTOR_PHONE, OBJECTION_TEXT):
        assert not [t for t in written if secret in t[0] or secret in t[1]], secret
    for user, action in ((w.office, "去处理"), (w.supervisor, "查看")):
        client.force_login(user)
        assert client.get(cycle_page).status_code == 200
        page = client.get("/review/").content.decode()
        assert "1 条公示异议待调查处理" in page
        assert f'href="{cycle_page}">{action}</a>' in page
        assert OBJECTOR_NAME not in page


def test_resolving_the_last_objection_after_publicity_tells_the_government_R12_8(
    w, django_capture_on_commit_callbacks
):
    in_publicity(w, dt.date(2026, 9, 1))
    first = file_objection(
        application_id=w.app.pk, text=OBJECTION_TEXT, name=OBJECTOR_NAME, phone=OBJECTOR_PHONE
    )
    second = file_objection(
        application_id=w.app.pk, text=OBJECTION_TEXT, name="李某某", phone="13900002222"
    )
    travel_to(dt.date(2026, 9, 8))
    with django_capture_on_commit_callbacks(execute=True):
        resolve_objection(objection=first, upheld=False, reasons="经核查不属实", actor=w.office)
    assert told("拟获奖名单待政府批准公告") == []  # one still open
    with django_capture_on_commit_callbacks(execute=True):
        resolve_objection(objection=second, upheld=False, reasons="经核查不属实", actor=w.office)
    assert told("拟获奖名单待政府批准公告") == [("government1", "/approvals/")]
    assert mailed("拟获奖名单待政府批准公告") == ["government1@example.com"]
    assert enforce_award_rules(today=dt.date(2026, 9, 8)).approvals_due == []  # told once


def test_the_daily_job_tells_the_government_once_when_publicity_ends_R12_8(
    w, gone, django_capture_on_commit_callbacks
):
    in_publicity(w, dt.date(2026, 9, 1))
    assert enforce_award_rules(today=dt.date(2026, 9, 7)).approvals_due == []  # last day
    with django_capture_on_commit_callbacks(execute=True):
        report = enforce_award_rules(today=dt.date(2026, 9, 8))
    assert report.approvals_due == [w.cycle.pk]
    assert told("拟获奖名单待政府批准公告") == [("government1", "/approvals/")]
    assert mailed("拟获奖名单待政府批准公告") == ["government1@example.com"]
    assert enforce_award_rules(today=dt.date(2026, 9, 9)).approvals_due == []


def test_the_daily_job_waits_for_open_objections_R12_8(w):
    in_publicity(w, dt.date(2026, 9, 1))
    file_objection(
        application_id=w.app.pk, text=OBJECTION_TEXT, name=OBJECTOR_NAME, phone=OBJECTOR_PHONE
    )
    assert enforce_award_rules(today=dt.date(2026, 9, 8)).approvals_due == []
    assert told("拟获奖名单待政府批准公告") == []


def test_an_objection_resolved_during_publicity_tells_the_government_nothing_yet(w):
    in_publicity(w, dt.date(2026, 9, 1))
    objection = file_objection(
        application_id=w.app.pk, text=OBJECTION_TEXT, name=OBJECTOR_NAME, phone=OBJECTOR_PHONE
    )
    resolve_objection(objection=objection, upheld=False, reasons="经核查不属实", actor=w.office)
    assert told("拟获奖名单待政府批准公告") == []


def test_a_dashboard_with_nothing_waiting_says_so(client, w):
    client.force_login(w.supervisor)
    page = client.get("/review/").content.decode()
    assert "暂无等待您处理的事项" in page


@pytest.mark.parametrize("item_count", (1, 3))
def test_the_dashboards_list_of_cycles_costs_a_fixed_number_of_queries(
    client, w, item_count, django_assert_num_queries
):
    """Every staff role at once, so every waiting source runs its query; each cycle has a
    candidate, a proposed winner and one in publicity with an open objection."""
    everyone = staff_user(
        [Role.OFFICE, Role.COMMITTEE, Role.SUPERVISOR, Role.GOVERNMENT],
        programme=w.programme,
        username="everyone",
    )
    for n in range(item_count):
        cycle = CycleFactory(
            programme=w.programme,
            year=2020 + n,
            decided_at=timezone.now(),
            publicity_starts_on=dt.date(2026, 8, 20),
            publicity_ends_on=dt.date(2026, 8, 26),
        )
        for status in (S.CANDIDATE, S.PROPOSED, S.PUBLICITY):
            (app,) = make_accepted(cycle, 1)
            set_status(app, status)
        Objection.objects.create(application=app, text=OBJECTION_TEXT, name="张某", phone="139")
    client.force_login(everyone)
    client.get("/review/")  # warm-up
    with django_assert_num_queries(19):  # + the recent notifications
        page = client.get("/review/").content.decode()
    assert page.count("个候选获奖组织等待评审委员会审定") == item_count
    assert page.count("个拟获奖组织待公示") == item_count
    assert page.count("条公示异议待调查处理") == item_count
    assert page.count("待批准公告") == item_count


def owner_bodies(w) -> list[str]:
    return list(
        Notification.objects.filter(recipient=w.owner).order_by("pk").values_list("body", flat=True)
    )


def test_the_enterprise_reads_its_result_not_the_names_of_internal_steps_issue11(w):
    """Before: "意见：综合评价", "意见：确定现场评审名单", the committee's rationale about all
    candidates as the applicant's "opinion"."""
    composite_ready(w, 80)
    propose_candidates(cycle=w.cycle, application_ids=[w.app.pk], actor=w.office)
    decide_winners(
        cycle=w.cycle, winner_ids=[w.app.pk], rationale="甲企业得分高于乙企业", actor=w.committee
    )
    start_publicity(cycle=w.cycle, starts_on=dt.date(2026, 9, 1), actor=w.office)
    assert owner_bodies(w) == [
        "您的申报已列为候选获奖组织。",
        "评审委员会已将您列入拟获奖名单，即将公示。",
        "拟获奖名单正在公示。\n"
        "公示期为2026年9月1日至2026年9月7日，公示期间任何单位和个人均可实名提出异议。",
    ]


def test_the_office_s_reasons_still_reach_the_enterprise_as_its_opinion(w):
    in_publicity(w, dt.date(2026, 9, 1))
    objection = file_objection(
        application_id=w.app.pk, text=OBJECTION_TEXT, name=OBJECTOR_NAME, phone=OBJECTOR_PHONE
    )
    resolve_objection(objection=objection, upheld=True, reasons="经核查属实", actor=w.office)
    assert owner_bodies(w)[-1] == (
        "您的申报已撤回。\n公示期间收到的异议经调查成立。调查处理意见：经核查属实"
    )
