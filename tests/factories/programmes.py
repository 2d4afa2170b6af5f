"""Programmes, their cycles and the reference data (criteria, divisions) they rest on."""

from __future__ import annotations

import datetime as dt

import factory
from django.apps import apps as django_apps

from programmes.criteria_data import load_criteria_set
from programmes.models import CriteriaSet, Cycle, Programme
from regions.loading import load as load_divisions
from regions.loading import shipped as shipped_divisions
from regions.models import Division


def default_criteria_set() -> CriteriaSet:
    """The GB/T 19580-2012 set. A data migration loads it, but transactional tests flush the
    database, so load it again when it is gone."""
    return load_criteria_set(django_apps)


def ensure_divisions() -> None:
    """The GB/T 2260 divisions (regions' data migration), loaded again after a flush."""
    if not Division.objects.exists():
        load_divisions(shipped_divisions()["divisions"])


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
