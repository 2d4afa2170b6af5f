"""Sanctions follow the articles (issue 9 §4): fraud ends in revocation or nothing, the
claw-back takes this award's money only, a revoked award is paid nothing more, a circular is
public; a ban ends every live application of the organisation at once (§2), and an award
expiring with a case open is not advertised for re-application (§2)."""

import datetime as dt
from decimal import Decimal

import pytest

from applications.enums import ApplicationStatus as S
from awards.enums import AwardStatus, ReminderKind, RewardKind
from awards.models import Award, Ban, Reminder
from awards.services.ledger import (
    award_balance,
    record_other_reward,
    record_payment,
)
from awards.services.sanctions import approve_revocation, decide_case, open_case
from awards.services.validity import enforce_award_rules
from common.exceptions import ApplicationError, StateConflict
from tests.awards.conftest import make_award
from tests.clock import travel_to
from tests.factories import ApplicationFactory, CycleFactory

pytestmark = pytest.mark.unit
D = dt.date


BEFORE_THE_AWARD = D(2025, 3, 1)


def _case(award, office, trigger="fraud", occurred_on=BEFORE_THE_AWARD):
    return open_case(
        award=award, trigger=trigger, occurred_on=occurred_on, description="经查", actor=office
    )


@pytest.mark.parametrize("sanction", ["warning", "circular"])
def test_a_fraud_case_admits_no_lesser_sanction_R20(programme, office, committee, sanction):
    award = make_award(programme, announced_on=D(2025, 6, 1))
    case = _case(award, office)
    with pytest.raises(ApplicationError) as excinfo:
        decide_case(case=case, sanction=sanction, reasons="情节较轻", actor=committee)
    assert excinfo.value.rule == "R20"
    case.refresh_from_db()
    assert (case.status, case.sanction) == ("open", "")


def test_fraud_not_established_closes_the_case_R20(programme, office, committee):
    award = make_award(programme, announced_on=D(2025, 6, 1))
    case = decide_case(
        case=_case(award, office), sanction="none", reasons="经查举报不实", actor=committee
    )
    assert (case.status, case.exposed) == ("closed", False)
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE


def test_fraud_revocation_brings_no_ban_unless_the_programme_sets_one_R20(
    programme, office, committee, government
):
    programme.fraud_ban_years = 0
    programme.save()
    award = make_award(programme, announced_on=D(2025, 6, 1))
    case = _case(award, office)
    decide_case(case=case, sanction="revoke", reasons="弄虚作假", actor=committee)
    approve_revocation(case=case, actor=government)
    award.refresh_from_db()
    assert award.status == AwardStatus.REVOKED
    assert not Ban.objects.exists()


def test_the_claw_back_recovers_this_awards_money_only_R20_R13(
    programme, office, committee, government
):
    award = make_award(programme, announced_on=D(2025, 6, 1), office=office)
    record_payment(award=award, amount="100000", on=D(2025, 7, 1), reference="财拨-1", actor=office)
    record_other_reward(
        award=award, reward=RewardKind.CITY_MAYOR_AWARD, on=D(2025, 9, 1), actor=office
    )
    record_payment(
        award=award,
        amount="50000",
        on=D(2025, 9, 2),
        reference="财拨-2",
        actor=office,
        reward=RewardKind.CITY_MAYOR_AWARD,
    )
    case = _case(award, office)
    decide_case(case=case, sanction="revoke", reasons="弄虚作假", actor=committee)
    approve_revocation(case=case, actor=government)
    assert award_balance(award).clawback_due == Decimal("100000.00")  # not 150,000


def test_no_payment_is_recorded_for_a_revoked_award_R20(programme, office, committee, government):
    award = make_award(programme, announced_on=D(2025, 6, 1), office=office)
    case = _case(award, office)
    decide_case(case=case, sanction="revoke", reasons="弄虚作假", actor=committee)
    approve_revocation(case=case, actor=government)
    with pytest.raises(StateConflict) as excinfo:
        record_payment(award=award, amount="1000", on=D(2026, 1, 1), reference="x", actor=office)
    assert excinfo.value.rule == "R20"


def test_a_circular_of_criticism_is_published_with_its_date_R21(
    client, programme, office, committee
):
    award = make_award(programme, announced_on=D(2025, 6, 1), name="通报企业有限公司")
    travel_to(D(2026, 3, 5))
    case = _case(award, office, trigger="complaints", occurred_on=D(2026, 2, 1))
    decide_case(
        case=case, sanction="circular", reasons="重大质量投诉属实，予以通报批评", actor=committee
    )
    page = client.get("/exposures/").content.decode()
    assert "通报企业有限公司" in page
    assert "通报批评" in page
    assert "2026年3月5日" in page


def test_a_warning_is_not_published_R21(client, programme, office, committee):
    award = make_award(programme, announced_on=D(2025, 6, 1), name="警告企业有限公司")
    case = _case(award, office, trigger="complaints", occurred_on=D(2026, 2, 1))
    decide_case(case=case, sanction="warning", reasons="予以警告", actor=committee)
    assert "警告企业有限公司" not in client.get("/exposures/").content.decode()


def test_a_ban_ends_every_live_application_of_the_organisation_at_once_R21(
    programme, office, committee, government
):
    award = make_award(programme, announced_on=D(2025, 6, 1))
    cycle = CycleFactory(programme=programme, year=2027)
    live = ApplicationFactory(
        cycle=cycle, organisation=award.organisation, status=S.DOCUMENT_REVIEW
    )
    case = _case(award, office, trigger="accident", occurred_on=D(2026, 5, 1))
    decide_case(case=case, sanction="revoke", reasons="重大安全事故", actor=committee)
    approve_revocation(case=case, actor=government)
    live.refresh_from_db()
    assert live.status == S.INELIGIBLE
    assert "R21" in live.decision_reasons and "不得参加评审" in live.decision_reasons


def test_an_award_expiring_with_a_case_open_is_not_advertised_until_decided(
    programme, office, committee
):
    award = make_award(programme, announced_on=D(2023, 6, 1))  # valid until 2026-06-01
    _case(award, office, trigger="fraud")
    enforce_award_rules(today=D(2026, 6, 2))
    award.refresh_from_db()
    assert award.status == AwardStatus.EXPIRED
    assert not Reminder.objects.filter(award=award, kind=ReminderKind.EXPIRED).exists()
    case = award.cases.get()
    decide_case(case=case, sanction="none", reasons="举报不实", actor=committee)
    enforce_award_rules(today=D(2026, 6, 3))
    assert Reminder.objects.filter(award=award, kind=ReminderKind.EXPIRED).count() == 1
    assert Award.objects.get(pk=award.pk).status == AwardStatus.EXPIRED
