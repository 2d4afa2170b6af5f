"""Awards and what hangs on them: objections, cases, bans, the reward ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from awards.enums import LedgerEntryKind
from awards.models import Award, Ban, Case, LedgerEntry, Objection
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.organisations import OrganisationFactory
from tests.factories.programmes import ProgrammeFactory


class AwardFactory(factory.django.DjangoModelFactory):
    """An active award announced on 2025-01-10, valid for the programme's years (R6), with no
    cycle or application unless told (as an award imported from the paper register)."""

    class Meta:
        model = Award

    organisation = factory.SubFactory(OrganisationFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    announced_on = dt.date(2025, 1, 10)
    year = factory.LazyAttribute(lambda o: o.announced_on.year)
    valid_until = factory.LazyAttribute(
        lambda o: Award.validity_end(o.announced_on, o.programme.validity_years)
    )


class ObjectionFactory(factory.django.DjangoModelFactory):
    """An open objection to an application in its publicity."""

    class Meta:
        model = Objection

    application = factory.SubFactory(ApplicationFactory)
    text = "异议内容十个字以上的"
    name = "王某某"
    phone = "13900001111"


class CaseFactory(factory.django.DjangoModelFactory):
    """An open case against an award (R20/R21), before any decision."""

    class Meta:
        model = Case

    award = factory.SubFactory(AwardFactory)
    trigger = "fraud"
    occurred_on = dt.date(2026, 8, 1)
    description = "申报材料造假"
    opened_by = factory.SubFactory(UserFactory, is_staff=True)


class BanFactory(factory.django.DjangoModelFactory):
    """A bar on applying again to the programme (R21 unless told)."""

    class Meta:
        model = Ban

    organisation = factory.SubFactory(OrganisationFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    rule = "R21"
    starts_on = dt.date(2023, 1, 1)
    ends_on = dt.date(2026, 1, 1)


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    """One line of the reward ledger: an amount owed, attached to nothing unless told."""

    class Meta:
        model = LedgerEntry

    kind = LedgerEntryKind.OWED
    amount = Decimal("1.00")
    on = dt.date(2026, 1, 1)
