"""Users: enterprise accounts, staff in their roles, and claims to an organisation."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from accounts.models import OrganisationClaim, ProgrammeMembership, User
from programmes.models import Programme
from tests.factories.organisations import OrganisationFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("correct-horse-battery")


class EnterpriseUserFactory(UserFactory):
    organisation = factory.SubFactory(OrganisationFactory)


def staff_user(role: str | list[str], *, programme: Programme | None = None, **kwargs) -> User:
    """A staff user holding ``role`` (or several), serving ``programme`` (or all programmes)."""
    roles = [role] if isinstance(role, str) else list(role)
    kwargs.setdefault("is_staff", True)
    user = UserFactory(all_programmes=programme is None, **kwargs)
    user.groups.set([Group.objects.get_or_create(name=r)[0] for r in roles])
    if programme is not None:
        ProgrammeMembership.objects.create(user=user, programme=programme)
    return user


class OrganisationClaimFactory(factory.django.DjangoModelFactory):
    """A user's claim to act for an organisation, awaiting its evidence (the claim service
    takes it from there)."""

    class Meta:
        model = OrganisationClaim

    claimant = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    uscc = factory.LazyAttribute(lambda o: o.organisation.uscc)
    submitted_name = factory.LazyAttribute(lambda o: o.organisation.name)
