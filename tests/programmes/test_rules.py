"""The programmes app's named permissions, predicate by predicate (issue 10 §2; R5)."""

import pytest

from accounts.enums import Role
from tests.factories import CycleFactory, ProgrammeFactory
from tests.rules_matrix import FOREIGN, People

pytestmark = pytest.mark.django_db


def test_the_office_creates_programmes_and_its_own_programmes_cycles_R5():
    programme = ProgrammeFactory()
    people = People(programme)
    assert people.holders("programmes.create_programme") == {"office", "foreign_office"}
    assert people.holders("programmes.create_cycle", programme) == {"office"}


def test_cycle_details_are_for_the_programmes_staff():
    programme = ProgrammeFactory()
    people = People(programme)
    cycle = CycleFactory(programme=programme)
    assert people.holders("programmes.view_cycle_details", cycle) == set(Role.values)
    assert people.holders("programmes.read_cycles") == set(Role.values) | FOREIGN
