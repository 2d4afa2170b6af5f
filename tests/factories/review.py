"""The review's rows: experts' profiles, their sheets and scores, conflicts, surveys, visits.

Written straight to the database for tests that need a review in a given state; a test about
assigning or scoring goes through the services (assign_expert, save_scores, submit_scores)."""

from __future__ import annotations

import datetime as dt

import factory

from programmes.selectors import criteria_items
from review.models import (
    Assignment,
    ConflictOfInterest,
    ConsensusScore,
    ExpertProfile,
    ItemScore,
    SiteVisit,
    SurveyResponse,
)
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import OrganisationFactory


def _first_item(application):
    """The first scored item of the application's criteria set (GB/T 19580 order)."""
    return criteria_items(application.cycle.criteria_set_id)[0]


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    """An active expert's profile; the pledge (R8) is not yet accepted."""

    class Meta:
        model = ExpertProfile

    user = factory.SubFactory(UserFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An expert's open sheet on an application at the document stage."""

    class Meta:
        model = Assignment

    application = factory.SubFactory(ApplicationFactory)
    expert = factory.SubFactory(UserFactory)
    stage = "document"


class ItemScoreFactory(factory.django.DjangoModelFactory):
    """One item's percentage on a sheet (the set's first item unless told)."""

    class Meta:
        model = ItemScore

    assignment = factory.SubFactory(AssignmentFactory)
    item = factory.LazyAttribute(lambda o: _first_item(o.assignment.application))
    percent = 70


class ConsensusScoreFactory(factory.django.DjangoModelFactory):
    """A stage's agreed percentage for one item (the set's first item unless told)."""

    class Meta:
        model = ConsensusScore

    application = factory.SubFactory(ApplicationFactory)
    stage = "document"
    item = factory.LazyAttribute(lambda o: _first_item(o.application))
    percent = 70
    recorded_by = factory.SubFactory(UserFactory, is_staff=True)


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    """One customer's satisfaction score (R12.5 counts them)."""

    class Meta:
        model = SurveyResponse

    application = factory.SubFactory(ApplicationFactory)
    score = 80
    respondent_kind = "customer"


class ConflictOfInterestFactory(factory.django.DjangoModelFactory):
    """A conflict an expert declared with an organisation (R9)."""

    class Meta:
        model = ConflictOfInterest

    expert = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    reason = "曾任顾问"
    declared_by = factory.SelfAttribute("expert")


class SiteVisitFactory(factory.django.DjangoModelFactory):
    """The scheduled day of an application's on-site review."""

    class Meta:
        model = SiteVisit

    application = factory.SubFactory(ApplicationFactory)
    scheduled_on = dt.date(2026, 9, 2)
    scheduled_by = factory.SubFactory(UserFactory, is_staff=True)
