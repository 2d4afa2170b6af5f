"""Several dates judged from one reading of the records (issue 12): the application page and
the gates judge the submission date and today; ``eligibility_checks_on`` reads the
organisation's ratings, listings, incidents, bans and awards once for both, with the outcome of
judging each date alone."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.services.eligibility import eligibility_checks, eligibility_checks_on
from tests.applications.conftest import REVIEW_OPENS, TODAY
from tests.factories import (
    AwardFactory,
    BanFactory,
    CreditRatingFactory,
    DishonestyListingFactory,
    IncidentFactory,
    ProgrammeFactory,
)
from tests.queries import assert_get_queries, exactly

pytestmark = pytest.mark.unit
D = dt.date


@pytest.fixture
def troubled(recommended, programme):
    """Submitted on 2026-05-20 with a clean record; since then (before today, 2026-07-01) a
    ban, a D grade, a serious-dishonesty listing, an accident and a valid award elsewhere, and
    before it an older listing removed by then, a lifted-too-early ban and an older award."""
    org = recommended.organisation
    CreditRatingFactory(organisation=org, grade="D", source="市场监管局", rated_on=D(2026, 6, 10))
    DishonestyListingFactory(
        uscc=org.uscc, listed_on=D(2024, 1, 1), removed_on=D(2025, 1, 1), source="信用中国"
    )
    DishonestyListingFactory(uscc=org.uscc, listed_on=D(2026, 6, 15), source="信用中国")
    IncidentFactory(organisation=org, occurred_on=D(2026, 6, 5), status="verified")
    BanFactory(
        organisation=org,
        programme=programme,
        rule="R21",
        starts_on=D(2026, 6, 1),
        ends_on=D(2029, 5, 31),
    )
    BanFactory(
        organisation=org,
        programme=programme,
        rule="R20",
        starts_on=D(2021, 1, 1),
        ends_on=D(2024, 12, 31),
    )
    AwardFactory(
        organisation=org,
        programme=programme,
        year=2026,
        announced_on=D(2026, 6, 20),
        valid_until=D(2029, 6, 20),
    )
    AwardFactory(
        organisation=org,
        programme=ProgrammeFactory(code="city"),
        year=2025,
        announced_on=D(2025, 1, 1),
        valid_until=D(2028, 1, 1),
    )
    return recommended


def test_both_dates_from_one_reading_judge_as_each_date_alone(troubled):
    alone = [eligibility_checks(troubled), eligibility_checks(troubled, REVIEW_OPENS)]
    assert eligibility_checks_on(troubled, None, REVIEW_OPENS) == alone
    assert eligibility_checks_on(troubled, REVIEW_OPENS, None) == alone[::-1]
    at_submission, today = alone
    # The records since the submission fail today, and only today.
    assert all(c.passed for c in at_submission), at_submission
    failing = sorted((c.rule, c.title) for c in today if not c.passed)
    assert [rule for rule, _ in failing] == ["R11.5", "R11.5", "R11.6", "R21", "R6"]
    assert TODAY < REVIEW_OPENS


def test_a_second_date_reads_nothing_more(troubled):
    eligibility_checks(troubled)  # per-process caches (divisions, rule settings)
    with CaptureQueriesContext(connection) as one:
        eligibility_checks(troubled)
    with exactly(len(one.captured_queries)):
        eligibility_checks_on(troubled, None, REVIEW_OPENS)


def test_the_application_page_judges_both_dates_from_one_reading(troubled, client, office):
    """The office's page shows both dates' checks; each record is read once."""
    client.force_login(office)
    url = f"/applications/{troubled.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    assert "今日（" in page and "复核" in page
    reads = [
        q["sql"]
        for q in ctx.captured_queries
        if any(
            t in q["sql"]
            for t in (
                'FROM "organisations_creditrating"',
                'FROM "organisations_dishonestylisting"',
                'FROM "organisations_incident"',
                'FROM "awards_ban"',
            )
        )
    ]
    assert len(reads) == 4, reads


def test_the_office_application_page_costs_a_fixed_number_of_queries(troubled, client, office):
    """Session, user, the application, groups, the office's programmes and their regions, the
    transitions (the timeline's dates and the history, read once), each record of the checks
    once (ratings, listings, incidents, bans, awards, ladder), the criteria, versions,
    documents and recommendations: 17. Before, the timeline read the transitions again and
    each date had its own reading: 24."""
    client.force_login(office)
    page = assert_get_queries(17, client, f"/applications/{troubled.pk}/").content.decode()
    assert "今日（" in page  # both dates shown
