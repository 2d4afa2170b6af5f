"""Cases and sanctions (R20, R21) and the reward ledger (R13, R14)."""

import datetime as dt
from decimal import Decimal

import pytest

from applications.services.drafting import create_application
from awards.enums import AwardStatus, CaseStatus
from awards.models import Ban, Certificate
from awards.services.ledger import award_balance, record_clawback_received, record_payment
from awards.services.sanctions import approve_revocation, decide_case, open_case
from common.exceptions import ApplicationError, StateConflict
from tests.awards.conftest import make_award
from tests.clock import travel_to
from tests.factories import CycleFactory

pytestmark = pytest.mark.unit
D = dt.date


def test_R21_case_on_day_730_is_opened_and_day_731_refused(programme, office, monkeypatch):
    award = make_award(programme, announced_on=D(2025, 1, 1))
    travel_to(D(2027, 3, 1))
    # 2025-01-01 + 730 days = 2027-01-01, the second anniversary: still inside.
    case = open_case(
        award=award,
        trigger="accident",
        occurred_on=D(2027, 1, 1),
        description="重大安全事故",
        actor=office,
    )
    assert case.rule == "R21"
    with pytest.raises(ApplicationError) as excinfo:
        open_case(
            award=award,
            trigger="accident",
            occurred_on=D(2027, 1, 2),
            description="重大安全事故",
            actor=office,
        )
    assert excinfo.value.rule == "R21"


def test_R20_fraud_case_any_time(programme, office, monkeypatch):
    award = make_award(programme, announced_on=D(2020, 1, 1))
    case = open_case(
        award=award,
        trigger="fraud",
        occurred_on=D(2024, 6, 1),
        description="申报材料伪造专利证书",
        actor=office,
    )
    assert case.rule == "R20"


def test_R21_warning_closes_the_case_without_touching_the_award(programme, office, committee):
    award = make_award(programme, announced_on=D(2025, 6, 1))
    case = open_case(
        award=award,
        trigger="complaints",
        occurred_on=D(2026, 3, 1),
        description="重大质量投诉查实",
        actor=office,
    )
    decide_case(case=case, sanction="warning", reasons="情节较轻，予以警告", actor=committee)
    case.refresh_from_db()
    award.refresh_from_db()
    assert (case.status, award.status) == (CaseStatus.CLOSED, AwardStatus.ACTIVE)


def test_R21_revocation_waits_for_the_government_then_bans_3_years(
    programme, office, committee, government, review_certificate
):
    award = review_certificate.award
    case = open_case(
        award=award,
        trigger="spot_check_failed",
        occurred_on=D(2026, 5, 1),
        description="市级抽检不合格",
        actor=office,
    )
    decide_case(case=case, sanction="revoke", reasons="抽检严重不合格", actor=committee)
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE  # not before the government approves
    approve_revocation(case=case, actor=government)
    award.refresh_from_db()
    assert (award.status, award.revoked_on) == (AwardStatus.REVOKED, D(2026, 11, 23))
    ban = Ban.objects.get(award=award)
    assert (ban.rule, ban.starts_on, ban.ends_on) == ("R21", D(2026, 11, 23), D(2029, 11, 23))
    certificate = Certificate.objects.get(pk=review_certificate.pk)
    assert certificate.to_recover and certificate.revoked_at is not None
    assert award_balance(award).clawback_due == Decimal("0.00")  # no clawback under art. 21
    with pytest.raises(StateConflict):
        approve_revocation(case=case, actor=government)


def test_R20_fraud_revocation_claws_back_and_exposes(
    programme, office, committee, government, client
):
    award = make_award(programme, announced_on=D(2025, 6, 1), office=office)
    record_payment(
        award=award, amount="100000", on=D(2025, 7, 1), reference="财拨2025-17", actor=office
    )
    case = open_case(
        award=award,
        trigger="fraud",
        occurred_on=D(2025, 3, 1),
        description="伪造检测报告",
        actor=office,
    )
    decide_case(case=case, sanction="revoke", reasons="弄虚作假骗取荣誉", actor=committee)
    approve_revocation(case=case, actor=government)
    balance = award_balance(award)
    assert (balance.clawback_due, balance.to_recover) == (
        Decimal("100000.00"),
        Decimal("100000.00"),
    )
    page = client.get("/exposures/").content.decode()
    assert award.organisation.name in page
    record_clawback_received(
        award=award, amount="40000.00", on=D(2026, 11, 23), reference="追缴-1", actor=office
    )
    assert award_balance(award).to_recover == Decimal("60000.00")
    with pytest.raises(ApplicationError):
        record_clawback_received(
            award=award, amount="60000.01", on=D(2026, 11, 23), reference="追缴-2", actor=office
        )


def test_R20_ban_bars_applying_again(programme, office, committee, government):
    """Art. 20 names no ban; this programme sets one of 3 years."""
    programme.fraud_ban_years = 3
    programme.save()
    award = make_award(programme, announced_on=D(2025, 6, 1))
    case = open_case(
        award=award,
        trigger="fraud",
        occurred_on=D(2025, 3, 1),
        description="伪造检测报告",
        actor=office,
    )
    decide_case(case=case, sanction="revoke", reasons="弄虚作假", actor=committee)
    approve_revocation(case=case, actor=government)
    cycle = CycleFactory(
        programme=programme,
        year=2026,
        opens_on=D(2026, 11, 1),
        submission_deadline=D(2026, 12, 31),
        recommendation_deadline=D(2027, 1, 15),
    )
    user = award.organisation.users.first()
    with pytest.raises(ApplicationError) as excinfo:
        create_application(organisation=award.organisation, cycle=cycle, actor=user)
    assert excinfo.value.rule == "R20"


def test_R13_ledger_owed_paid_and_no_overpayment(programme, office):
    award = make_award(programme, office=office)
    assert award_balance(award).owed == Decimal("100000.00")
    record_payment(award=award, amount="60000.00", on=D(2025, 2, 1), reference="A1", actor=office)
    with pytest.raises(ApplicationError) as excinfo:
        record_payment(
            award=award, amount="40000.01", on=D(2025, 2, 2), reference="A2", actor=office
        )
    assert excinfo.value.rule == "R13"
    record_payment(award=award, amount="40000", on=D(2025, 2, 2), reference="A2", actor=office)
    assert award_balance(award).outstanding == Decimal("0.00")


@pytest.fixture
def review_certificate(programme, office, django_capture_on_commit_callbacks):
    from awards.services.certificates import queue_certificates

    award = make_award(programme, announced_on=D(2025, 6, 1))
    with django_capture_on_commit_callbacks(execute=False):
        (certificate,) = queue_certificates(awards=[award], actor=office)
    return certificate
