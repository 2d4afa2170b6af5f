"""R13 (art. 13): the reward for an honour granted elsewhere is owed once, through the ledger,
independent of any award of this portal; its amount is a programme setting."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction

from awards.enums import LedgerEntryKind, RewardKind
from awards.models import LedgerEntry
from common.exceptions import StateConflict
from common.models import AuditEntry
from honours.enums import HonourKind
from honours.services import record_honour, reward_honour
from tests.conftest import login_api
from tests.factories import (
    HonourRewardAmountFactory,
    LedgerEntryFactory,
    OrganisationFactory,
    make_uscc,
    staff_user,
)
from tests.honours.conftest import TODAY

pytestmark = pytest.mark.unit


def url(honour) -> str:
    return f"/api/v1/honours/{honour.pk}/reward/"


def owed(honour):
    return LedgerEntry.objects.filter(honour=honour, kind=LedgerEntryKind.OWED)


def other_honour(org, office, kind=HonourKind.PROVINCIAL_QUALITY_AWARD):
    return record_honour(
        organisation=org,
        kind=kind,
        title="内蒙古自治区主席质量奖",
        issuer="内蒙古自治区人民政府",
        granted_on=dt.date(2025, 3, 1),
        actor=office,
    )


def test_the_mayors_award_reward_is_50000_once_and_a_second_is_409_R13(honour, office, programme):
    api = login_api(office)
    first = api.post(url(honour), {}, format="json")
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["amount"] == "50000.00"
    assert body["programme"] == programme.pk  # the banner's programme pays (art. 13)
    assert body["reward"] == RewardKind.CITY_MAYOR_AWARD
    assert body["on"] == TODAY.isoformat()
    entry = owed(honour).get()
    assert entry.award is None  # independent of any award of this portal
    assert entry.recorded_by == office
    second = api.post(url(honour), {"amount": "1000"}, format="json")
    assert second.status_code == 409
    assert second.json()["rule"] == "R13"
    assert owed(honour).count() == 1
    audit = AuditEntry.objects.get(action="ledger.owed")
    assert audit.object_id == str(honour.pk) and audit.data["amount"] == "50000.00"


def test_the_ledger_constraint_holds_even_without_the_lock_R13(honour, office, programme):
    reward_honour(honour=honour, actor=office)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntryFactory(
            honour=honour,
            programme=programme,
            kind=LedgerEntryKind.OWED,
            amount=Decimal("1.00"),
            on=TODAY,
            reward=RewardKind.CITY_MAYOR_AWARD,
        )
    # and an entry names an award or an honour with its programme, never neither
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntryFactory(
            kind=LedgerEntryKind.OWED, amount=Decimal("1.00"), on=TODAY, reward="quality_award"
        )


def test_a_famous_brand_is_50000_and_a_programmes_own_amount_wins_R13(org, office, programme):
    brand = other_honour(org, office, HonourKind.FAMOUS_BRAND)
    HonourRewardAmountFactory(
        programme=programme, kind=HonourKind.FAMOUS_BRAND, amount=Decimal("60000")
    )
    entry = reward_honour(honour=brand, actor=office)
    assert entry.amount == Decimal("60000.00")
    assert entry.reward == RewardKind.REGIONAL_BRAND


def test_a_kind_without_an_amount_needs_one_and_bad_amounts_are_400_R13(org, office):
    provincial = other_honour(org, office)
    api = login_api(office)
    missing = api.post(url(provincial), {}, format="json")
    assert missing.status_code == 400
    assert "amount" in missing.json() and missing.json()["rule"] == "R13"
    for bad in ("-5", "0", "abc", "1e12", "12.345"):
        response = api.post(url(provincial), {"amount": bad}, format="json")
        assert response.status_code == 400, bad
        assert "amount" in response.json()
    ok = api.post(url(provincial), {"amount": "20000"}, format="json")
    assert ok.status_code == 201
    assert ok.json()["reward"] == RewardKind.OTHER_HONOUR
    assert owed(provincial).get().amount == Decimal("20000.00")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 403),
        ("supervisor", 403),
        ("committee", 403),
        ("government", 403),
        ("expert", 404),
        ("stranger", 404),
        ("hohhot_office", 403),  # its programme's jurisdiction does not cover the organisation
        ("office", 201),
    ],
)
def test_who_records_a_reward_R13(request, honour, who, status):
    response = login_api(request.getfixturevalue(who)).post(url(honour), {}, format="json")
    assert response.status_code == status
    assert owed(honour).count() == (1 if status == 201 else 0)


def test_an_unknown_honour_is_404(office):
    assert login_api(office).post("/api/v1/honours/99999/reward/", {}).status_code == 404


def test_the_city_office_pays_from_the_city_programme_R13(honour, city_office, city):
    response = login_api(city_office).post(url(honour), {}, format="json")
    assert response.status_code == 201
    assert response.json()["programme"] == city.pk


def test_a_named_programme_must_cover_the_organisation_and_be_served_R13(
    honour, office, city, hohhot
):
    api = login_api(office)
    outside = api.post(url(honour), {"programme": hohhot.pk}, format="json")
    assert outside.status_code == 400
    assert outside.json()["rule"] == "R13" and "programme" in outside.json()
    not_served = api.post(url(honour), {"programme": city.pk}, format="json")
    assert not_served.status_code == 403
    assert api.post(url(honour), {"programme": 99999}, format="json").status_code == 400
    assert not owed(honour).exists()


def test_no_programme_covers_the_organisation_R13(office):
    far = OrganisationFactory(uscc=make_uscc("110101"))
    honour = other_honour(far, office, HonourKind.CITY_MAYOR_AWARD)
    all_office = staff_user("office", username="alloffice")
    response = login_api(all_office).post(url(honour), {}, format="json")
    assert response.status_code == 400
    assert "没有质量奖" in response.json()["detail"]


def test_the_register_shows_the_reward(org, honour, office, member):
    reward_honour(honour=honour, actor=office)
    row = login_api(member).get(f"/api/v1/organisations/{org.pk}/honours/").json()["results"][0]
    assert row["reward"] == {
        "amount": "50000.00",
        "programme": "鄂托克前旗旗长质量奖",
        "on": TODAY.isoformat(),
    }


@pytest.fixture
def postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (CI runs this on it)")


@pytest.mark.integration
def test_concurrent_rewards_for_one_honour_record_it_once_on_postgres_R13(
    postgres, org, programme, office
):
    honour = other_honour(org, office, HonourKind.CITY_MAYOR_AWARD)
    barrier = threading.Barrier(4)
    outcomes = []

    def run():
        close_old_connections()
        try:
            barrier.wait()
            outcomes.append(reward_honour(honour=honour, actor=office).pk)
        except StateConflict:
            outcomes.append("StateConflict")
        except Exception as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o for o in outcomes if isinstance(o, str)) == ["StateConflict"] * 3
    assert owed(honour).count() == 1
