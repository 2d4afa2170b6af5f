"""Reading programmes, cycles and criteria."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from common.dates import today as local_today

from .models import CriteriaCategory, CriteriaItem, CriteriaSet, Cycle


def criteria_items(criteria_set: CriteriaSet | int) -> list[CriteriaItem]:
    """Every scored item of a set, in the order of the standard."""
    set_id = getattr(criteria_set, "pk", criteria_set)
    return list(
        CriteriaItem.objects.filter(category__criteria_set_id=set_id)
        .select_related("category")
        .order_by("category__order", "order")
    )


def criteria_categories(criteria_set: CriteriaSet | int) -> list[CriteriaCategory]:
    set_id = getattr(criteria_set, "pk", criteria_set)
    return list(
        CriteriaCategory.objects.filter(criteria_set_id=set_id)
        .order_by("order")
        .prefetch_related(Prefetch("items", queryset=CriteriaItem.objects.order_by("order")))
    )


def current_cycles(today: dt.date | None = None) -> QuerySet[Cycle]:
    """The latest cycle of each active programme (this year's, or the last one held)."""
    today = today or local_today()
    latest: dict[int, int] = {}
    for programme_id, cycle_id in (
        Cycle.objects.filter(programme__is_active=True, year__lte=today.year + 1)
        .order_by("programme_id", "-year")
        .values_list("programme_id", "id")
    ):
        latest.setdefault(programme_id, cycle_id)
    return Cycle.objects.filter(pk__in=latest.values()).select_related("programme")
