"""Money and certificates are recorded once, however often or concurrently the request comes
(issue 8, item 11; R13 one-off reward)."""

import threading

import pytest
from django.db import close_old_connections, connection

from awards.enums import LedgerEntryKind, RewardKind
from awards.models import Certificate, LedgerEntry
from awards.services.certificates import queue_certificates, reissue_certificate
from awards.services.ledger import record_other_reward, record_owed
from common.exceptions import StateConflict
from tests.awards.conftest import TODAY, make_award

pytestmark = pytest.mark.unit


def _owed(award, reward):
    return LedgerEntry.objects.filter(award=award, reward=reward, kind=LedgerEntryKind.OWED)


def test_the_award_money_is_owed_once_R13(award, office):
    with pytest.raises(StateConflict) as excinfo:
        record_owed(award=award, actor=office, on=TODAY)
    assert excinfo.value.rule == "R13"
    assert _owed(award, RewardKind.QUALITY_AWARD).count() == 1


def test_an_other_reward_is_owed_once_R13(award, office):
    record_other_reward(award=award, reward=RewardKind.CITY_MAYOR_AWARD, on=TODAY, actor=office)
    with pytest.raises(StateConflict):
        record_other_reward(award=award, reward=RewardKind.CITY_MAYOR_AWARD, on=TODAY, actor=office)
    assert _owed(award, RewardKind.CITY_MAYOR_AWARD).count() == 1


def test_reissue_submitted_twice_makes_one_new_certificate(award, office):
    (first,) = queue_certificates(awards=[award], actor=office)
    one = reissue_certificate(award=award, reason="更名", actor=office, replaces_id=first.pk)
    two = reissue_certificate(award=award, reason="更名", actor=office, replaces_id=first.pk)
    assert one.pk == two.pk
    assert Certificate.objects.filter(award=award).count() == 2
    # A stale page (it still shows a certificate replaced long ago) is refused.
    reissue_certificate(award=award, reason="再次更名", actor=office, replaces_id=one.pk)
    with pytest.raises(StateConflict):
        reissue_certificate(award=award, reason="旧页面", actor=office, replaces_id=first.pk)


def test_the_award_page_reissues_once_for_a_double_click(client, award, office):
    (first,) = queue_certificates(awards=[award], actor=office)
    client.force_login(office)
    form = {"reason": "组织更名", "replaces": str(first.pk)}
    for _ in range(2):
        assert client.post(f"/awards/{award.pk}/reissue/", form).status_code == 302
    assert Certificate.objects.filter(award=award).count() == 2


def _at_once(n: int, work) -> list:
    barrier = threading.Barrier(n)
    outcomes = []

    def run():
        close_old_connections()
        try:
            barrier.wait()
            outcomes.append(work())
        except Exception as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture
def postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (CI runs this on it)")


@pytest.mark.integration
def test_concurrent_rewards_record_the_money_once_on_postgres(postgres, programme, office):
    award = make_award(programme, office=office)
    outcomes = _at_once(
        4,
        lambda: (
            record_other_reward(
                award=award, reward=RewardKind.CITY_MAYOR_AWARD, on=TODAY, actor=office
            ).pk
        ),
    )
    assert sorted(o for o in outcomes if isinstance(o, str)) == ["StateConflict"] * 3
    assert _owed(award, RewardKind.CITY_MAYOR_AWARD).count() == 1


@pytest.mark.integration
def test_concurrent_reissues_make_one_serial_on_postgres(postgres, programme, office):
    award = make_award(programme, office=office)
    (first,) = queue_certificates(awards=[award], actor=office)
    outcomes = _at_once(
        4,
        lambda: (
            reissue_certificate(
                award=award, reason="更名", actor=office, replaces_id=first.pk
            ).serial
        ),
    )
    assert len(set(outcomes)) == 1
    assert Certificate.objects.filter(award=award).count() == 2
