"""R3, R6, R11.1, R11.5, R11.6, R20/R21 at their boundaries."""

import datetime as dt

import pytest

from applications.services.drafting import create_application
from applications.services.eligibility import (
    check_credit_grade,
    check_incidents,
    check_jurisdiction,
    check_operating_years,
    ensure_may_apply,
)
from awards.eligibility import check_ban, check_valid_award
from common.exceptions import ApplicationError
from tests.factories import (
    AwardFactory,
    BanFactory,
    CreditRatingFactory,
    IncidentFactory,
    OrganisationFactory,
    make_uscc,
)

pytestmark = pytest.mark.unit
D = dt.date


def test_R11_1_exactly_three_years_on_a_leap_day(programme):
    org = OrganisationFactory(registered_on=D(2020, 2, 29))
    assert check_operating_years(org, programme, D(2023, 2, 28)).passed
    failing = check_operating_years(org, programme, D(2023, 2, 27))
    assert not failing.passed
    assert failing.rule == "R11.1"
    assert "2023年2月28日起满3年" in failing.detail


def test_R11_1_registered_elsewhere_fails(programme):
    org = OrganisationFactory(  # 鄂托克旗 (150624), not 鄂托克前旗
        region="鄂托克旗", uscc=make_uscc("150624"), registered_on=D(2000, 1, 1)
    )
    assert not check_operating_years(org, programme, D(2026, 5, 1)).passed


def test_R3_jurisdiction(programme):
    assert check_jurisdiction(OrganisationFactory(), programme).passed
    outside = check_jurisdiction(
        OrganisationFactory(region="杭锦旗", uscc=make_uscc("150625")), programme
    )
    assert (outside.rule, outside.passed) == ("R3", False)


def _rate(org, grade, day):
    return CreditRatingFactory(organisation=org, grade=grade, source="市场监管局", rated_on=day)


def test_R11_5_grade_in_force_on_the_submission_date(programme):
    org = OrganisationFactory()
    _rate(org, "A", D(2025, 1, 1))
    _rate(org, "B", D(2026, 5, 21))  # a downgrade after submission does not count for it
    assert check_credit_grade(org, programme, D(2026, 5, 20)).passed
    assert not check_credit_grade(org, programme, D(2026, 5, 21)).passed


def test_R11_5_no_rating_fails(programme):
    check = check_credit_grade(OrganisationFactory(), programme, D(2026, 5, 20))
    assert (check.rule, check.passed) == ("R11.5", False)
    assert "没有质量信用评定记录" in check.detail


def test_R11_5_required_grade_is_a_programme_setting(programme):
    org = OrganisationFactory()
    _rate(org, "B", D(2025, 1, 1))
    programme.required_credit_grade = "B"
    assert check_credit_grade(org, programme, D(2026, 5, 20)).passed


def _incident(org, day, status="verified"):
    return IncidentFactory(
        organisation=org,
        kind="quality_accident",
        occurred_on=day,
        description="抽检不合格",
        status=status,
    )


def test_R11_6_incident_two_years_and_one_day_before_passes(programme):
    org = OrganisationFactory()
    _incident(org, D(2024, 5, 19))
    assert check_incidents(org, programme, D(2026, 5, 20)).passed


def test_R11_6_incident_exactly_two_years_before_fails(programme):
    org = OrganisationFactory()
    _incident(org, D(2024, 5, 20))
    check = check_incidents(org, programme, D(2026, 5, 20))
    assert (check.rule, check.passed) == ("R11.6", False)
    assert "2024年5月20日" in check.detail


def test_R11_6_reported_counts_dismissed_does_not(programme):
    org = OrganisationFactory()
    _incident(org, D(2025, 1, 1), status="dismissed")
    assert check_incidents(org, programme, D(2026, 5, 20)).passed
    _incident(org, D(2025, 2, 1), status="reported")
    assert not check_incidents(org, programme, D(2026, 5, 20)).passed


def _ban(org, programme, ends_on, rule="R21"):
    return BanFactory(
        organisation=org, programme=programme, rule=rule, starts_on=D(2023, 1, 1), ends_on=ends_on
    )


def test_R21_ban_ending_today_still_bars(programme):
    org = OrganisationFactory()
    _ban(org, programme, D(2026, 5, 20))
    check = check_ban(org, programme, D(2026, 5, 20))
    assert (check.rule, check.passed) == ("R21", False)


def test_R21_ban_ended_yesterday_allows(programme):
    org = OrganisationFactory()
    _ban(org, programme, D(2026, 5, 19))
    assert check_ban(org, programme, D(2026, 5, 20)).passed


def test_R20_fraud_ban_names_its_rule(programme):
    org = OrganisationFactory()
    _ban(org, programme, D(2027, 1, 1), rule="R20")
    assert check_ban(org, programme, D(2026, 5, 20)).rule == "R20"


def _award(org, programme, announced, valid_until, status="active"):
    return AwardFactory(
        organisation=org,
        programme=programme,
        year=announced.year,
        announced_on=announced,
        valid_until=valid_until,
        status=status,
    )


def test_R6_valid_award_on_its_last_day_bars(programme):
    org = OrganisationFactory()
    _award(org, programme, D(2023, 5, 20), D(2026, 5, 20))
    check = check_valid_award(org, programme, D(2026, 5, 20))
    assert (check.rule, check.passed) == ("R6", False)
    assert check_valid_award(org, programme, D(2026, 5, 21)).passed


def test_R6_revoked_award_does_not_count_but_another_programme_neither(programme):
    from tests.factories import ProgrammeFactory

    org = OrganisationFactory()
    _award(org, ProgrammeFactory(code="city"), D(2025, 1, 1), D(2028, 1, 1))
    assert check_valid_award(org, programme, D(2026, 5, 20)).passed


@pytest.mark.parametrize("rule", ["R6", "R20", "R21", "R3"])
def test_applying_at_all_is_refused_with_the_rule_id(rule, programme, open_cycle, applicant):
    org = applicant.organisation
    if rule == "R6":
        _award(org, programme, D(2024, 1, 10), D(2027, 1, 10))
    elif rule == "R3":
        org.division_id = "150625"  # 杭锦旗: the office corrected the division
        org.save()
    else:
        _ban(org, programme, D(2027, 1, 1), rule=rule)
    with pytest.raises(ApplicationError) as excinfo:
        create_application(organisation=org, cycle=open_cycle, actor=applicant)
    assert excinfo.value.rule == rule
    with pytest.raises(ApplicationError):
        ensure_may_apply(org, open_cycle, D(2026, 5, 20))


def test_one_live_application_per_cycle(draft, applicant, open_cycle):
    with pytest.raises(ApplicationError, match="已有申报"):
        create_application(organisation=applicant.organisation, cycle=open_cycle, actor=applicant)


def test_applying_outside_the_window_is_refused(applicant, programme, rated):
    from tests.factories import CycleFactory

    closed = CycleFactory(
        programme=programme,
        year=2025,
        opens_on=D(2025, 3, 1),
        submission_deadline=D(2025, 5, 31),
        recommendation_deadline=D(2025, 6, 30),
    )
    with pytest.raises(ApplicationError, match="不在申报期内"):
        create_application(organisation=applicant.organisation, cycle=closed, actor=applicant)
