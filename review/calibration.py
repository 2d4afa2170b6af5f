"""Expert calibration (issue 14 item 4): how lenient or harsh each expert scores compared with
the rest of the panels they sat on, and how steadily. It informs the office forming panels and
the supervisor; it never changes a score.

Definitions (exact arithmetic with ``Fraction``; rounded to two places for display only):

- A **sheet** is a submitted assignment (not revoked: withdrawn work does not count), of either
  stage. Its **total** is the expert's own marks, Σ item points × percent / 100 over the
  criteria items (an item without a mark counts 0), before any consensus value; its total per
  GB/T 19580 category (``4.1`` … ``4.7``) is the same sum over that category's items.
- A **panel** is one application at one stage. A sheet is compared only where at least one
  other member of its panel submitted too; its **difference** is its total minus the mean of
  the other members' totals on that panel.
- ``sheets``: how many compared sheets the estimate rests on (``submitted``: all the expert's
  submitted sheets, compared or not).
- ``offset``: the mean of the expert's differences (positive: more lenient than their panels,
  negative: harsher), in points of the 1000-point scale.
- ``spread``: the sample standard deviation (divisor n − 1) of those differences; ``None``
  with fewer than two compared sheets. A steady bias shows as a large offset with a small
  spread; an erratic scorer as a large spread.
- ``by_category``: the offset computed on each category's points instead of the total.

The sheets read are those of the programmes the caller serves. Three queries whatever the
number of experts and sheets: the sheets, their points per category (summed in the database),
and the experts' names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction

from django.db.models import F, Sum

from accounts.models import User

from .enums import AssignmentStatus
from .models import Assignment, ItemScore
from .scores import q


@dataclass
class ExpertCalibration:
    expert_id: int
    username: str
    name: str
    submitted: int = 0
    sheets: int = 0
    offset: Fraction | None = None
    spread: Decimal | None = None
    by_category: dict[str, Fraction] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Rounded for display: two decimal places, as strings."""
        return {
            "expert": self.expert_id,
            "username": self.username,
            "name": self.name,
            "submitted": self.submitted,
            "sheets": self.sheets,
            "offset": str(q(self.offset)) if self.offset is not None else None,
            "spread": str(q(self.spread)) if self.spread is not None else None,
            "by_category": {code: str(q(v)) for code, v in sorted(self.by_category.items())},
        }

    @property
    def offset_display(self) -> Decimal | None:
        return q(self.offset) if self.offset is not None else None

    @property
    def spread_display(self) -> Decimal | None:
        return q(self.spread) if self.spread is not None else None

    @property
    def categories_display(self) -> list[tuple[str, Decimal]]:
        return [(code, q(v)) for code, v in sorted(self.by_category.items())]


def _sample_sd(values: list[Fraction]) -> Decimal | None:
    if len(values) < 2:
        return None
    mean = sum(values, Fraction(0)) / len(values)
    variance = sum(((v - mean) ** 2 for v in values), Fraction(0)) / (len(values) - 1)
    with localcontext() as ctx:
        ctx.prec = 28
        return (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()


def expert_calibration(user: User) -> list[ExpertCalibration]:
    """Every expert with a submitted sheet in the programmes ``user`` serves, by name."""
    sheets = Assignment.objects.filter(
        user.served_programme_filter("application__cycle__programme"),
        status=AssignmentStatus.SUBMITTED,
    )
    rows = list(sheets.values_list("pk", "expert_id", "application_id", "stage", "own_by_category"))
    # Points per sheet and category, in hundredths of a point (exact integers: Σ percent ×
    # item points): kept on the sheet when it was submitted (review.services.totals); for a
    # sheet without them, summed in the database. Integer arithmetic until each difference,
    # which is one exact fraction (issue 12: Fraction sums over every sheet were the page's
    # main cost).
    by_category: dict[int, dict[str, int]] = defaultdict(dict)
    missing = []
    for sheet_id, _expert, _app, _stage, stored in rows:
        if stored is None:
            missing.append(sheet_id)
        else:
            by_category[sheet_id] = {code: int(Decimal(v) * 100) for code, v in stored.items()}
    for sheet_id, code, hundredths in (
        ItemScore.objects.filter(assignment__in=missing)
        .values("assignment_id", "item__category__code")
        .annotate(hundredths=Sum(F("percent") * F("item__points")))
        .values_list("assignment_id", "item__category__code", "hundredths")
    ):
        by_category[sheet_id][code] = hundredths or 0
    panels: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    submitted: dict[int, int] = defaultdict(int)
    for sheet_id, expert_id, application_id, stage, _stored in rows:
        panels[(application_id, stage)].append((sheet_id, expert_id))
        submitted[expert_id] += 1
    differences: dict[int, list[Fraction]] = defaultdict(list)
    category_differences: dict[int, dict[str, list[Fraction]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for members in panels.values():
        if len(members) < 2:
            continue
        codes = {code for sheet_id, _e in members for code in by_category[sheet_id]}
        totals = {s: sum(by_category[s].values()) for s, _e in members}
        whole = sum(totals.values())
        category_wholes = {
            code: sum(by_category[s].get(code, 0) for s, _e in members) for code in codes
        }
        others = len(members) - 1
        # mine - (whole - mine) / others, on the point scale: (mine × others - rest) / (100 ×
        # others), exactly.
        scale = 100 * others
        for sheet_id, expert_id in members:
            mine = totals[sheet_id]
            differences[expert_id].append(Fraction(mine * others - (whole - mine), scale))
            for code in codes:
                mine = by_category[sheet_id].get(code, 0)
                rest = category_wholes[code] - mine
                category_differences[expert_id][code].append(Fraction(mine * others - rest, scale))
    experts = User.objects.filter(pk__in=list(submitted)).only("pk", "username", "name")
    out = []
    for expert in experts:
        found = differences.get(expert.pk, [])
        out.append(
            ExpertCalibration(
                expert_id=expert.pk,
                username=expert.username,
                name=expert.display_name,
                submitted=submitted[expert.pk],
                sheets=len(found),
                offset=sum(found, Fraction(0)) / len(found) if found else None,
                spread=_sample_sd(found),
                by_category={
                    code: sum(values, Fraction(0)) / len(values)
                    for code, values in category_differences.get(expert.pk, {}).items()
                },
            )
        )
    return sorted(out, key=lambda c: (c.name, c.username))
