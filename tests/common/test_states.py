"""The one transition every stateful object uses (issue 10 §1)."""

import pytest

from awards.enums import AWARD_MACHINE, AwardStatus
from common.exceptions import StateConflict
from common.models import AuditEntry
from common.states import transition
from tests.awards.conftest import make_award

pytestmark = pytest.mark.unit


def test_a_transition_saves_audits_and_refuses_a_second_identical_one(programme, office):
    award = make_award(programme)
    transition(
        AWARD_MACHINE, award, AwardStatus.EXPIRED, actor=office, action="award.expired", reason="R6"
    )
    award.refresh_from_db()
    assert award.status == AwardStatus.EXPIRED
    entry = AuditEntry.objects.filter(action="award.expired").get()
    assert (entry.actor, entry.from_state, entry.to_state, entry.reason) == (
        office,
        "active",
        "expired",
        "R6",
    )
    with pytest.raises(StateConflict):  # expired → expired: not in the map
        transition(AWARD_MACHINE, award, AwardStatus.EXPIRED, actor=office, action="award.expired")
    assert AuditEntry.objects.filter(action="award.expired").count() == 1


def test_a_transition_outside_the_map_changes_nothing(programme, office):
    award = make_award(programme)
    transition(AWARD_MACHINE, award, AwardStatus.REVOKED, actor=office, action="award.revoked")
    with pytest.raises(StateConflict) as excinfo:
        transition(AWARD_MACHINE, award, AwardStatus.ACTIVE, actor=office, action="x")
    assert "已撤销" in excinfo.value.message
    award.refresh_from_db()
    assert award.status == AwardStatus.REVOKED
