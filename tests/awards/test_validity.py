"""R6 validity, ban ends and reminders: the daily enforcement at its boundaries."""

import datetime as dt

import pytest
from django.core.management import call_command

from awards.enums import AwardStatus, ReminderKind
from awards.models import Reminder
from awards.services.validity import enforce_award_rules
from notifications.models import Notification
from tests.awards.conftest import make_award
from tests.factories import BanFactory

pytestmark = pytest.mark.unit
D = dt.date


def test_R6_valid_until_is_the_third_anniversary_with_leap_days(programme):
    award = make_award(programme, announced_on=D(2024, 2, 29))
    assert award.valid_until == D(2027, 2, 28)


def test_R6_expiry_on_the_last_valid_day_and_the_day_after(programme):
    award = make_award(programme, announced_on=D(2023, 6, 1))
    assert award.valid_until == D(2026, 6, 1)
    assert award.is_valid_on(D(2026, 6, 1))
    assert enforce_award_rules(today=D(2026, 6, 1)).expired == []
    assert enforce_award_rules(today=D(2026, 6, 2)).expired == [award.pk]
    award.refresh_from_db()
    assert award.status == AwardStatus.EXPIRED


def test_R6_enforcement_is_idempotent(programme):
    award = make_award(programme, announced_on=D(2023, 6, 1))
    first = enforce_award_rules(today=D(2026, 6, 2))
    second = enforce_award_rules(today=D(2026, 6, 2))
    assert first.expired == [award.pk]
    assert (first.reminders, second.as_dict()) == (
        [(award.pk, ReminderKind.EXPIRED)],
        {"expired": [], "bans_lifted": [], "reminders": [], "approvals_due": []},
    )
    assert Notification.objects.filter(subject__contains="欢迎再次申报").count() == 1


def test_R6_reminders_90_and_30_days_before_expiry(programme):
    award = make_award(programme, announced_on=D(2023, 6, 1))  # valid until 2026-06-01
    assert enforce_award_rules(today=D(2026, 3, 2)).reminders == []  # 91 days before
    assert enforce_award_rules(today=D(2026, 3, 3)).reminders == [
        (award.pk, ReminderKind.EXPIRY_90)
    ]
    assert enforce_award_rules(today=D(2026, 4, 1)).reminders == []
    assert enforce_award_rules(today=D(2026, 5, 2)).reminders == [
        (award.pk, ReminderKind.EXPIRY_30)
    ]
    assert Reminder.objects.filter(award=award).count() == 2


def test_R21_ban_ending_yesterday_is_lifted_today_not_before(programme):
    award = make_award(programme)
    ban = BanFactory(
        organisation=award.organisation,
        programme=programme,
        rule="R21",
        award=award,
        starts_on=D(2023, 11, 23),
        ends_on=D(2026, 11, 23),
    )
    assert enforce_award_rules(today=D(2026, 11, 23)).bans_lifted == []
    assert enforce_award_rules(today=D(2026, 11, 24)).bans_lifted == [ban.pk]
    assert enforce_award_rules(today=D(2026, 11, 24)).bans_lifted == []


def test_enforce_award_rules_command_takes_today(programme, capsys):
    make_award(programme, announced_on=D(2023, 6, 1))
    call_command("enforce_award_rules", "--today", "2026-06-02")
    assert "expired 1" in capsys.readouterr().out
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command("enforce_award_rules", "--today", "yesterday")
