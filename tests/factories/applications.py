"""Applications and their submitted versions, written straight to the database.

A test that is about the intake path goes through the services (create_application,
submit_application); these are for tests that need an application in a given state."""

from __future__ import annotations

import factory
from django.utils import timezone

from applications.models import Application, ApplicationVersion
from tests.factories.accounts import EnterpriseUserFactory
from tests.factories.organisations import OrganisationFactory
from tests.factories.programmes import CycleFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application in ``status`` (a draft unless told); nothing else is filled in."""

    class Meta:
        model = Application

    cycle = factory.SubFactory(CycleFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class ApplicationVersionFactory(factory.django.DjangoModelFactory):
    """Version 1 of an application as submitted now by one of its organisation's users."""

    class Meta:
        model = ApplicationVersion

    application = factory.SubFactory(ApplicationFactory)
    number = 1
    submitted_at = factory.LazyFunction(timezone.now)
    submitted_by = factory.SubFactory(
        EnterpriseUserFactory, organisation=factory.SelfAttribute("..application.organisation")
    )
    content = factory.LazyFunction(dict)
