"""The calendar ends what people left (issue 9 §1, §5; R12.2): the daily task."""

import datetime as dt

import pytest

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.deadlines import end_overdue_applications
from notifications.models import Notification
from tests.factories import (
    ApplicationFactory,
    CycleFactory,
    EnterpriseUserFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.unit

DEADLINE = dt.date(2026, 6, 30)


@pytest.fixture
def cycle(programme):
    return CycleFactory(
        programme=programme,
        submission_deadline=dt.date(2026, 5, 31),
        recommendation_deadline=DEADLINE,
    )


def _app(cycle, status, **fields):
    org = OrganisationFactory()
    EnterpriseUserFactory(organisation=org)
    return ApplicationFactory(cycle=cycle, organisation=org, status=status, **fields)


def test_unrecommended_application_is_declined_the_day_after_the_deadline_R12_2(cycle):
    app = _app(cycle, S.SUBMITTED)
    assert end_overdue_applications(today=DEADLINE).declined == []
    report = end_overdue_applications(today=DEADLINE + dt.timedelta(days=1))
    assert report.declined == [app.pk]
    app.refresh_from_db()
    assert app.status == S.DECLINED
    note = Notification.objects.get(recipient=app.organisation.users.get())
    assert "未获推荐" in note.body
    # Idempotent: a second run changes nothing.
    assert end_overdue_applications(today=DEADLINE + dt.timedelta(days=2)).declined == []


def test_a_draft_never_submitted_and_a_returned_one_not_resubmitted_end(cycle):
    draft = _app(cycle, S.DRAFT)
    returned = _app(cycle, S.RETURNED, correction_due=dt.date(2026, 7, 10))
    report = end_overdue_applications(today=dt.date(2026, 7, 10))
    assert report.withdrawn == [draft.pk]  # the correction deadline is still today
    report = end_overdue_applications(today=dt.date(2026, 7, 11))
    assert report.withdrawn == [returned.pk]
    assert set(Application.objects.values_list("status", flat=True)) == {S.WITHDRAWN}
