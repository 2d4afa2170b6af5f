"""An audit entry names every role its actor holds, however many (R4)."""

import pytest

from accounts.enums import Role
from common.audit import record
from common.models import AuditEntry
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


def test_an_actor_holding_every_role_is_recorded_with_all_of_them(programme):
    everyone = staff_user(list(Role.values), programme=programme, username="everyone")
    entry = record(action="programme.changed_in_admin", actor=everyone, obj=programme)
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert sorted(entry.actor_role.split(",")) == sorted(everyone.role_names())
    assert len(entry.actor_role) > 32  # the old column's width: PostgreSQL refused it
