"""Organisations and what the registers record about them."""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from organisations.models import CreditRating, DishonestyListing, Incident, Organisation
from organisations.uscc import check_character

_uscc_serial = itertools.count(1)


def make_uscc(division: str = "150623") -> str:
    """A fresh, checksum-valid USCC."""
    body = f"91{division}MA{next(_uscc_serial):07d}"
    return body + check_character(body)


class CreditRatingFactory(factory.django.DjangoModelFactory):
    """A credit rating as the market regulator publishes it (R11.5 reads their history)."""

    class Meta:
        model = CreditRating

    organisation = factory.SubFactory("tests.factories.organisations.OrganisationFactory")
    grade = "A"
    source = "市场监督管理局"
    rated_on = dt.date(2025, 1, 1)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation. ``rating=True`` also records the credit rating its current grade comes
    from (R11.5 reads the rating history; the grade on the row is only its latest value)."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    uscc = factory.LazyFunction(make_uscc)
    kind = "enterprise"
    region = "鄂托克前旗"
    registered_on = dt.date(2015, 6, 1)
    industry = "制造业"
    credit_grade = "A"
    credit_grade_source = "市场监督管理局"
    credit_grade_on = dt.date(2025, 1, 1)

    @factory.post_generation
    def rating(obj, create, extracted, **kwargs):
        if create and extracted and obj.credit_grade and obj.credit_grade_on:
            CreditRatingFactory(
                organisation=obj,
                grade=obj.credit_grade,
                source=obj.credit_grade_source or "市场监督管理局",
                rated_on=obj.credit_grade_on,
            )


class IncidentFactory(factory.django.DjangoModelFactory):
    """A quality or safety incident on record, reported (not yet verified) unless told."""

    class Meta:
        model = Incident

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "quality_accident"
    occurred_on = dt.date(2026, 3, 1)
    description = "抽检不合格"


class DishonestyListingFactory(factory.django.DjangoModelFactory):
    """A listing on the serious-dishonesty register, by USCC."""

    class Meta:
        model = DishonestyListing

    uscc = factory.LazyFunction(make_uscc)
    source = "信用中国"
    listed_on = dt.date(2026, 1, 1)
