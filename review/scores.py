"""How scores combine (SCORING.md), computed from the experts' inputs so that every number
shown can be traced back: which expert, which item, which weight.

The functions read prefetched relations (see ``review.selectors.with_score_inputs``) so a
ranking of many applications costs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from programmes.models import CriteriaItem, Programme

from .enums import AssignmentStatus, Stage

TWO = Decimal("0.01")
HUNDRED = Decimal(100)


def q(value: Decimal | Fraction) -> Decimal:
    """Two decimal places, half up: for display only. The rules compare exact values."""
    if isinstance(value, Fraction):
        cents = value * 100
        whole = cents.numerator // cents.denominator
        if cents - whole >= Fraction(1, 2):
            whole += 1
        return (Decimal(whole) / 100).quantize(TWO)
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def points(item: CriteriaItem, percent: int | Decimal) -> Decimal:
    return Decimal(item.points) * Decimal(percent) / HUNDRED


@dataclass
class ExpertTotal:
    assignment_id: int
    expert_id: int
    expert_name: str
    leader: bool
    total: Decimal  # with consensus values applied
    own_total: Decimal  # the expert's own marks only
    dropped: bool = False  # left out by the trimmed mean


@dataclass
class StageScore:
    stage: str
    score: Decimal | None  # rounded for display
    method: str  # "mean", "trimmed_mean", "consensus", "none"
    experts: list[ExpertTotal] = field(default_factory=list)
    consensus: dict[str, int] = field(default_factory=dict)
    pending: int = 0  # assignments not yet submitted
    by_category: dict[str, Decimal] = field(default_factory=dict)
    exact: Fraction | None = None  # the score itself: no intermediate rounding
    submitted: int = 0
    leader_submitted: bool = False


@dataclass
class Dispersion:
    item: CriteriaItem
    percents: list[int]
    spread: int
    flagged: bool
    consensus: int | None


@dataclass
class Composite:
    document: StageScore
    onsite: StageScore
    satisfaction_index: Decimal | None
    satisfaction_count: int
    weights: tuple[int, int, int]
    composite: Decimal | None  # rounded for display
    floor: Decimal
    parts: dict[str, Decimal | None] = field(default_factory=dict)
    exact: Fraction | None = None  # what ranks and is compared with the floor (R12.6)

    @property
    def reaches_floor(self) -> bool:
        """R12.6, exactly: 599.995 does not reach 600 even though it shows as 600.00."""
        return self.exact is not None and self.exact >= Fraction(self.floor)


def _live(application, stage: str):
    return [
        a
        for a in application.assignments.all()
        if a.stage == stage and a.status != AssignmentStatus.REVOKED
    ]


def _consensus(application, stage: str) -> dict[str, int]:
    return {c.item.code: c.percent for c in application.consensus_scores.all() if c.stage == stage}


def _category_points(marks: dict[str, Decimal], items: list[CriteriaItem]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for item in items:
        if item.code in marks:
            out[item.category.code] = out.get(item.category.code, Decimal(0)) + points(
                item, marks[item.code]
            )
    return {k: q(v) for k, v in out.items()}


@dataclass(frozen=True)
class SheetTotals:
    """One sheet's points: the expert's own, and with the stage's consensus values applied;
    in all and per category (exact: item points × percent ÷ 100 has two decimals)."""

    own_total: Decimal
    total: Decimal
    own_by_category: dict[str, Decimal]
    by_category: dict[str, Decimal]


def sheet_totals(own: dict[int, int], items: list[CriteriaItem], consensus: dict[str, int]):
    """``own``: the expert's percent by item id; ``consensus``: the stage's by item code."""
    return SheetTotals(
        own_total=sum((points(i, own.get(i.pk, 0)) for i in items), Decimal(0)),
        total=sum((points(i, consensus.get(i.code, own.get(i.pk, 0))) for i in items), Decimal(0)),
        own_by_category=_category_points({i.code: Decimal(own.get(i.pk, 0)) for i in items}, items),
        by_category=_category_points(
            {i.code: Decimal(consensus.get(i.code, own.get(i.pk, 0))) for i in items}, items
        ),
    )


def _stored(assignment) -> SheetTotals | None:
    if assignment.total is None or assignment.by_category is None:
        return None
    return SheetTotals(
        own_total=assignment.own_total,
        total=assignment.total,
        own_by_category={k: Decimal(v) for k, v in (assignment.own_by_category or {}).items()},
        by_category={k: Decimal(v) for k, v in assignment.by_category.items()},
    )


def totals_of(assignment, items: list[CriteriaItem], consensus: dict[str, int]) -> SheetTotals:
    """The sheet's totals kept in the database when there are, else computed from its item
    scores (prefetched): the same numbers either way."""
    stored = _stored(assignment)
    if stored is not None:
        return stored
    own = {s.item_id: s.percent for s in assignment.scores.all()}
    return sheet_totals(own, items, consensus)


def stage_score(
    application, stage: str, items: list[CriteriaItem], programme: Programme
) -> StageScore:
    """The document score (mean, or trimmed mean with ≥ 5 scores when the programme chooses
    it) or the on-site score (the group's consensus sheet, else the mean of the experts)."""
    live = _live(application, stage)
    submitted = [a for a in live if a.status == AssignmentStatus.SUBMITTED]
    consensus = _consensus(application, stage)
    result = StageScore(
        stage=stage,
        score=None,
        method="none",
        consensus=consensus,
        pending=len(live) - len(submitted),
        submitted=len(submitted),
        leader_submitted=any(a.leader for a in submitted),
    )
    for a in submitted:
        totals = totals_of(a, items, consensus)
        result.experts.append(
            ExpertTotal(
                a.pk,
                a.expert_id,
                a.expert.display_name,
                a.leader,
                q(totals.total),
                q(totals.own_total),
            )
        )
    if stage == Stage.ONSITE and items and all(i.code in consensus for i in items):
        result.method = "consensus"
        result.exact = Fraction(sum((points(i, consensus[i.code]) for i in items), Decimal(0)))
        result.score = q(result.exact)
        result.by_category = _category_points({k: Decimal(v) for k, v in consensus.items()}, items)
        return result
    if not result.experts or result.pending:
        return result
    counted = list(result.experts)
    if stage == Stage.DOCUMENT and programme.trimmed_mean and len(counted) >= 5:
        ordered = sorted(counted, key=lambda e: e.total)
        ordered[0].dropped = ordered[-1].dropped = True
        counted = ordered[1:-1]
        result.method = "trimmed_mean"
    else:
        result.method = "mean"
    result.exact = Fraction(sum((e.total for e in counted), Decimal(0))) / len(counted)
    result.score = q(result.exact)
    result.by_category = _mean_by_category(
        application, stage, items, consensus, {e.assignment_id for e in counted}
    )
    return result


def _mean_by_category(application, stage, items, consensus, counted_ids) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    assignments = [a for a in _live(application, stage) if a.pk in counted_ids]
    order = list(dict.fromkeys(i.category.code for i in items))  # a stored dict's keys are not
    for a in assignments:
        by_category = totals_of(a, items, consensus).by_category
        for code in order:
            if code in by_category:
                sums[code] = sums.get(code, Decimal(0)) + by_category[code]
    return {k: q(v / len(assignments)) for k, v in sums.items()} if assignments else {}


def dispersion(application, items: list[CriteriaItem], programme: Programme) -> list[Dispersion]:
    """Items where the document experts' percentages spread by more than the threshold
    (default 30 points) are flagged for a consensus discussion."""
    submitted = [
        a for a in _live(application, Stage.DOCUMENT) if a.status == AssignmentStatus.SUBMITTED
    ]
    consensus = _consensus(application, Stage.DOCUMENT)
    # Each item's percentages, expert by expert: one pass over the scores, not one per item.
    by_item: dict[int, list] = {}
    for a in submitted:
        for s in a.scores.all():
            by_item.setdefault(s.item_id, []).append(s.percent)
    rows = []
    for item in items:
        percents = by_item.get(item.pk, [])
        spread = (max(percents) - min(percents)) if len(percents) > 1 else 0
        rows.append(
            Dispersion(
                item,
                percents,
                spread,
                spread > programme.dispersion_threshold,
                consensus.get(item.code),
            )
        )
    return rows


def satisfaction_exact(application) -> tuple[Fraction | None, int]:
    """The satisfaction index: the mean of the survey responses (0-100), with their count."""
    scores = [r.score for r in application.survey_responses.all()]
    if not scores:
        return None, 0
    return Fraction(sum(scores), len(scores)), len(scores)


def satisfaction(application) -> tuple[Decimal | None, int]:
    index, count = satisfaction_exact(application)
    return (q(index) if index is not None else None), count


def composite(application, items: list[CriteriaItem], programme: Programme) -> Composite:
    """Composite = w_doc × document + w_onsite × on-site + w_sat × (satisfaction × 10)."""
    document = stage_score(application, Stage.DOCUMENT, items, programme)
    onsite = stage_score(application, Stage.ONSITE, items, programme)
    index, count = satisfaction_exact(application)
    weights = (programme.weight_document, programme.weight_onsite, programme.weight_satisfaction)
    # Each part on the 1000-point scale, weighted; a part with weight 0 is not needed. Exact
    # fractions throughout: rounding is for display only.
    exact: dict[str, Fraction | None] = {}
    for name, value, weight in (
        ("document", document.exact, weights[0]),
        ("onsite", onsite.exact, weights[1]),
        ("satisfaction", index * 10 if index is not None else None, weights[2]),
    ):
        if weight == 0:
            exact[name] = Fraction(0)
        else:
            exact[name] = value * Fraction(weight, 100) if value is not None else None
    total = None
    if all(v is not None for v in exact.values()):
        total = sum(exact.values(), Fraction(0))
    parts = {k: (q(v) if v is not None else None) for k, v in exact.items()}
    return Composite(
        document,
        onsite,
        q(index) if index is not None else None,
        count,
        weights,
        q(total) if total is not None else None,
        programme.min_composite_score,
        parts,
        exact=total,
    )
