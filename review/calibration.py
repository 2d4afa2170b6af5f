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

The sheets read are those of the programmes the caller serves. Asked about some experts
(``experts``), only the panels on which one of them has a sheet are read, with every member's
sheet there (the differences need them): the work is bounded by those experts' own panels, not
by the deployment's history (issue 12). Three queries whatever the number of experts and
sheets: the sheets, their points per category (summed in the database; only for sheets
without stored totals), and the experts' names; asked about some experts, their own sheets
with their names (the panels), the sheets of those panels, and the points.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from fractions import Fraction

from django.db.models import F, QuerySet, Sum

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


class _Sums:
    """One expert's differences, as integers: each difference is ``numerator / scale`` with
    ``scale`` = 100 × the panel's number of other members (points are kept in hundredths), so
    the numerators and their squares are summed per scale and made exact fractions once per
    expert and category (issue 12: a ``Fraction`` per difference was the pages' main cost)."""

    __slots__ = ("by_code", "code_counts", "compared", "squares", "submitted", "sums")

    def __init__(self) -> None:
        self.submitted = 0
        self.compared = 0
        self.sums: dict[int, int] = defaultdict(int)
        self.squares: dict[int, int] = defaultdict(int)
        self.by_code: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.code_counts: dict[str, int] = defaultdict(int)

    def offset(self) -> Fraction | None:
        return _exact(self.sums) / self.compared if self.compared else None

    def spread(self) -> Decimal | None:
        """The sample standard deviation: Σ (v - mean)² = Σ v² - (Σ v)² / n, exactly."""
        n = self.compared
        if n < 2:
            return None
        total = _exact(self.sums)
        squares = sum(
            (Fraction(s, scale * scale) for scale, s in self.squares.items()), Fraction(0)
        )
        variance = (squares - total * total / n) / (n - 1)
        with localcontext() as ctx:
            ctx.prec = 28
            return (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()

    def by_category(self) -> dict[str, Fraction]:
        return {code: _exact(sums) / self.code_counts[code] for code, sums in self.by_code.items()}


def _exact(sums: dict[int, int]) -> Fraction:
    return sum((Fraction(s, scale) for scale, s in sums.items()), Fraction(0))


Row = tuple[int, int, int, str, dict | None]  # sheet, expert, application, stage, points
_ROW = ("pk", "expert_id", "application_id", "stage", "own_by_category")


def _read(user: User, experts) -> tuple[list[Row], dict[int, User] | None]:
    """The sheets (rows) and, when ``experts`` are given, those of them with a sheet (by id,
    with their names). The model's ordering is dropped: the sums do not depend on it."""
    served = Assignment.objects.filter(
        user.served_programme_filter("application__cycle__programme"),
        status=AssignmentStatus.SUBMITTED,
    ).order_by()
    if experts is None:
        return list(served.values_list(*_ROW)), None
    if isinstance(experts, QuerySet):
        experts = experts.order_by().values("pk")
    # Their own sheets (through the expert index), with their names: the panels to read.
    panels: set[tuple[int, str]] = set()
    asked: dict[int, User] = {}
    for application_id, stage, expert_id, username, name in served.filter(
        expert__in=experts
    ).values_list("application_id", "stage", "expert_id", "expert__username", "expert__name"):
        panels.add((application_id, stage))
        if expert_id not in asked:
            asked[expert_id] = User(pk=expert_id, username=username, name=name)
    # Then every sheet of those applications, through the application index (a panel's sheets
    # are in its application's programme: served when theirs is), keeping those panels.
    rows = Assignment.objects.filter(
        application_id__in={application_id for application_id, _stage in panels},
        status=AssignmentStatus.SUBMITTED,
    ).order_by()
    return [r for r in rows.values_list(*_ROW) if (r[2], r[3]) in panels], asked


def sheets_read(user: User, experts=None) -> list[Row]:
    """The submitted sheets the calibration reads: all those of the programmes ``user`` serves,
    or, for ``experts`` (ids or a queryset of users), those of the panels (application, stage)
    on which one of them has a submitted sheet there."""
    return _read(user, experts)[0]


def _points(rows: list[tuple]) -> dict[int, dict[str, int]]:
    """Points per sheet and category, in hundredths of a point (exact integers: Σ percent ×
    item points): kept on the sheet when it was submitted (review.services.totals); for a
    sheet without them, summed in the database."""
    points: dict[int, dict[str, int]] = {}
    hundredths: dict[str, int] = {}  # the stored strings repeat: each is parsed once
    missing = []
    for sheet_id, _expert, _app, _stage, stored in rows:
        if stored is None:
            missing.append(sheet_id)
            continue
        mine = points[sheet_id] = {}
        for code, value in stored.items():
            h = hundredths.get(value)
            if h is None:
                h = hundredths[value] = int(Decimal(value) * 100)
            mine[code] = h
    if missing:
        for sheet_id, code, summed in (
            ItemScore.objects.filter(assignment__in=missing)
            .values("assignment_id", "item__category__code")
            .annotate(hundredths=Sum(F("percent") * F("item__points")))
            .values_list("assignment_id", "item__category__code", "hundredths")
        ):
            points.setdefault(sheet_id, {})[code] = summed or 0
    return points


def expert_calibration(
    user: User, experts: Iterable[int] | QuerySet[User] | None = None
) -> list[ExpertCalibration]:
    """Every expert with a submitted sheet in the programmes ``user`` serves, by name; with
    ``experts`` (ids or a queryset of users), only those of them, computed from their panels
    alone: the same figures as in the full list."""
    rows, asked = _read(user, experts)
    points = _points(rows)
    panels: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    sums: dict[int, _Sums] = {}
    for sheet_id, expert_id, application_id, stage, _stored in rows:
        panels[(application_id, stage)].append((sheet_id, expert_id))
        if asked is None or expert_id in asked:
            if expert_id not in sums:
                sums[expert_id] = _Sums()
            sums[expert_id].submitted += 1
    empty: dict[str, int] = {}
    for members in panels.values():
        if len(members) < 2:
            continue
        sheets = [(expert_id, points.get(sheet_id, empty)) for sheet_id, expert_id in members]
        codes = {code for _e, mine in sheets for code in mine}
        totals = [sum(mine.values()) for _e, mine in sheets]
        whole = sum(totals)
        category_wholes = {code: sum(mine.get(code, 0) for _e, mine in sheets) for code in codes}
        others = len(members) - 1
        # mine - (whole - mine) / others, on the point scale: (mine × others - rest) / (100 ×
        # others), exactly: the numerator is summed here, the division made once per expert.
        scale = 100 * others
        for (expert_id, mine), total in zip(sheets, totals, strict=True):
            acc = sums.get(expert_id)
            if acc is None:  # a member outside the experts asked about
                continue
            numerator = total * others - (whole - total)
            acc.compared += 1
            acc.sums[scale] += numerator
            acc.squares[scale] += numerator * numerator
            for code in codes:
                own = mine.get(code, 0)
                acc.by_code[code][scale] += own * others - (category_wholes[code] - own)
                acc.code_counts[code] += 1
    names = (
        User.objects.filter(pk__in=list(sums)).only("pk", "username", "name")
        if asked is None
        else asked.values()
    )
    out = [
        ExpertCalibration(
            expert_id=expert.pk,
            username=expert.username,
            name=expert.display_name,
            submitted=sums[expert.pk].submitted,
            sheets=sums[expert.pk].compared,
            offset=sums[expert.pk].offset(),
            spread=sums[expert.pk].spread(),
            by_category=sums[expert.pk].by_category(),
        )
        for expert in names
    ]
    return sorted(out, key=lambda c: (c.name, c.username))
