"""Who holds a named permission: the predicates asked directly (issue 10 §2), role by role.

``holders(perm, obj)`` answers the set of people (by the names below) for whom the rule holds,
so each app's ``test_rules.py`` states its permissions as a table a reader can check against
RULES.md. ``rules.has_perm`` asks the rule itself, without Django's superuser shortcut."""

from __future__ import annotations

import rules
from django.contrib.auth.models import AnonymousUser

from accounts.enums import Role
from tests.factories import (
    EnterpriseUserFactory,
    OrganisationFactory,
    ProgrammeFactory,
    staff_user,
)

STAFF = tuple(Role.values)


class People(dict):
    """anonymous, applicant (the object's organisation), enterprise (another organisation),
    each staff role serving the programme, and ``foreign_<role>`` serving another one."""

    def __init__(self, programme, organisation=None):
        super().__init__()
        other = ProgrammeFactory()
        organisation = organisation or OrganisationFactory()
        self.organisation = organisation
        self["anonymous"] = AnonymousUser()
        self["applicant"] = EnterpriseUserFactory(organisation=organisation)
        self["enterprise"] = EnterpriseUserFactory()
        for role in STAFF:
            extra = {"recommender_level": "county"} if role == Role.RECOMMENDER else {}
            self[role] = staff_user(role, programme=programme, **extra)
            self[f"foreign_{role}"] = staff_user(role, programme=other, **extra)

    def holders(self, perm: str, obj=None) -> set[str]:
        return {name for name, user in self.items() if rules.has_perm(perm, user, obj)}


FOREIGN = {f"foreign_{r}" for r in STAFF}
