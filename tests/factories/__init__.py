"""Factories for tests. No hidden side effects: each builds exactly the rows it names."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from accounts.models import ProgrammeMembership, User
from organisations.models import CreditRating, Organisation
from organisations.uscc import check_character
from programmes.criteria_data import load_criteria_set
from programmes.models import CriteriaSet, Cycle, Programme
from regions.loading import load as load_divisions
from regions.loading import shipped as shipped_divisions
from regions.models import Division

_uscc_serial = itertools.count(1)


def default_criteria_set() -> CriteriaSet:
    """The GB/T 19580-2012 set. A data migration loads it, but transactional tests flush the
    database, so load it again when it is gone."""
    return load_criteria_set(django_apps)


def ensure_divisions() -> None:
    """The GB/T 2260 divisions (regions' data migration), loaded again after a flush."""
    if not Division.objects.exists():
        load_divisions(shipped_divisions()["divisions"])


def make_uscc(division: str = "150623") -> str:
    """A fresh, checksum-valid USCC."""
    body = f"91{division}MA{next(_uscc_serial):07d}"
    return body + check_character(body)


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
            CreditRating.objects.create(
                organisation=obj,
                grade=obj.credit_grade,
                source=obj.credit_grade_source or "市场监督管理局",
                rated_on=obj.credit_grade_on,
            )


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"prog{n}")
    name = factory.Sequence(lambda n: f"测试旗{n}旗长质量奖")
    region = "150623"  # 鄂托克前旗 (GB/T 2260)
    government_name = "鄂托克前旗人民政府"
    criteria_set = factory.LazyFunction(default_criteria_set)


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    programme = factory.SubFactory(ProgrammeFactory)
    year = 2026
    criteria_set = factory.LazyAttribute(lambda o: o.programme.criteria_set)
    opens_on = dt.date(2026, 3, 1)
    submission_deadline = dt.date(2026, 5, 31)
    recommendation_deadline = dt.date(2026, 6, 30)


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
