"""The pool's workload and programme filter as subqueries (issue 12): the same experts and
loads as the grouped join it replaces, each expert once, without DISTINCT."""

import pytest

from accounts.models import ProgrammeMembership
from review.selectors import expert_pool, experts_visible_to
from tests.factories import ApplicationFactory, CycleFactory, ProgrammeFactory, staff_user
from tests.factories.review import AssignmentFactory

pytestmark = pytest.mark.django_db


def test_load_counts_live_sheets_once_whatever_the_memberships():
    programme, other = ProgrammeFactory(), ProgrammeFactory()
    busy = staff_user("expert", programme=programme, username="a-busy")
    ProgrammeMembership.objects.create(user=busy, programme=other)  # two rows to join
    staff_user("expert", programme=programme, username="b-idle")
    everywhere = staff_user("expert", username="c-everywhere")  # all programmes
    staff_user("expert", programme=other, username="d-elsewhere")
    staff_user("office", programme=programme, username="e-office")  # not an expert
    cycle = CycleFactory(programme=programme)
    for status in ("assigned", "submitted", "submitted", "revoked"):
        AssignmentFactory(application=ApplicationFactory(cycle=cycle), expert=busy, status=status)
    AssignmentFactory(application=ApplicationFactory(cycle=cycle), expert=everywhere)

    pool = list(expert_pool(programme.pk))
    assert [(u.username, u.load) for u in pool] == [
        ("a-busy", 3),
        ("b-idle", 0),
        ("c-everywhere", 1),
    ]
    office = staff_user("office", programme=other)
    visible = experts_visible_to(office)
    assert [(u.username, u.load) for u in visible] == [
        ("a-busy", 3),
        ("c-everywhere", 1),
        ("d-elsewhere", 0),
    ]
    assert visible.count() == 3
    assert "DISTINCT" not in str(visible.query)
