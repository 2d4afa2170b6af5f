"""Fixtures of the public register: awards dated by hand around TODAY, a signer, a clean cache.

Every award is created on its announcement day (the clock travels there), so its
``recorded_on`` is the day it was announced, as for an award the portal announced itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from awards.enums import AwardStatus
from awards.models import Award
from awards.services.sanctions import approve_revocation, decide_case, open_case
from tests.clock import travel_to
from tests.factories import AwardFactory, OrganisationFactory

D = dt.date
TODAY = D(2026, 11, 23)
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def default_today():
    return TODAY


def make_award(programme, announced_on: dt.date, **org_kwargs) -> Award:
    """An award announced (and recorded) on ``announced_on``; the clock is back at TODAY."""
    travel_to(announced_on)
    org = OrganisationFactory(**org_kwargs)
    valid_until = Award.validity_end(announced_on, programme.validity_years)
    award = AwardFactory(
        organisation=org,
        programme=programme,
        year=announced_on.year,
        announced_on=announced_on,
        valid_until=valid_until,
        # The daily job ran every day up to yesterday: it has not yet seen yesterday's expiry.
        status=AwardStatus.ACTIVE if valid_until >= YESTERDAY else AwardStatus.EXPIRED,
    )
    travel_to(TODAY)
    return award


def revoke(
    award, *, on: dt.date, trigger: str, office, committee, government, occurred_on, hour=10
):
    """Revoked through the services on ``on`` (case opened, decided, approved that day)."""
    travel_to(on, hour=hour)
    case = open_case(
        award=award,
        trigger=trigger,
        occurred_on=occurred_on,
        description="案情机密描述XYZ",
        actor=office,
    )
    case = decide_case(case=case, sanction="revoke", reasons="撤销理由机密ABC", actor=committee)
    approve_revocation(case=case, actor=government)
    travel_to(TODAY)
    award.refresh_from_db()
    return award


@dataclass
class Awards:
    active: Award  # announced 2025-01-10, valid until 2028-01-10
    last_day: Award  # valid until TODAY: still valid (R6)
    expired_yesterday: Award  # valid until yesterday; the daily job has not run (status active)
    revoked: Award  # announced 2024-06-01, revoked 2026-03-02 (R21)
    expired_long_ago: Award  # valid until 2022-12-20, status expired


@pytest.fixture
def awards(programme, office, committee, government):
    active = make_award(programme, D(2025, 1, 10), name="绿原乳业有限公司")
    last_day = make_award(programme, D(2023, 11, 23), name="草原羊绒有限公司")
    expired_yesterday = make_award(programme, D(2023, 11, 22), name="昨日期满有限公司")
    revoked = make_award(
        programme,
        D(2024, 6, 1),
        name="被撤销有限公司",
        contact_name="张联系人",
        contact_phone="13900001111",
        legal_representative="李法人",
        address="机密路1号",
    )
    revoke(
        revoked,
        on=D(2026, 3, 2),
        trigger="spot_check_failed",
        occurred_on=D(2026, 2, 1),
        office=office,
        committee=committee,
        government=government,
    )
    expired_long_ago = make_award(programme, D(2019, 12, 20), name="早年获奖有限公司")
    assert expired_yesterday.status == AwardStatus.ACTIVE  # the job has not expired it
    return Awards(active, last_day, expired_yesterday, revoked, expired_long_ago)
