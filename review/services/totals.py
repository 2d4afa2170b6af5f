"""Each submitted sheet's totals kept on its assignment (issue 12 item 3): written when the
sheet is submitted, written again for the whole stage when its consensus changes (recorded or
voided) or its panel does (a sheet revoked), so the ranking, the cycle page and the
calibration read one number per sheet instead of every item score at every request.

``review.scores.totals_of`` reads them, and computes from the item scores a sheet that has none
(written by other means): the results are the same either way (tests/review).
"""

from __future__ import annotations

from collections import defaultdict

from programmes.selectors import criteria_items

from ..enums import AssignmentStatus
from ..models import Assignment, ConsensusScore, ItemScore
from ..scores import sheet_totals


def store_sheet_totals(*, application_id: int, stage: str) -> int:
    """(Re)computes the totals of the stage's submitted sheets of one application, in three
    queries and one update. Returns the number of sheets written."""
    sheets = list(
        Assignment.objects.filter(
            application_id=application_id, stage=stage, status=AssignmentStatus.SUBMITTED
        ).select_related("application__cycle")
    )
    if not sheets:
        return 0
    items = criteria_items(sheets[0].application.cycle.criteria_set_id)
    consensus = {
        code: percent
        for code, percent in ConsensusScore.objects.filter(
            application_id=application_id, stage=stage, voided_at=None
        ).values_list("item__code", "percent")
    }
    own: dict[int, dict[int, int]] = defaultdict(dict)
    for sheet_id, item_id, percent in ItemScore.objects.filter(assignment__in=sheets).values_list(
        "assignment_id", "item_id", "percent"
    ):
        own[sheet_id][item_id] = percent
    for sheet in sheets:
        totals = sheet_totals(own[sheet.pk], items, consensus)
        sheet.own_total, sheet.total = totals.own_total, totals.total
        sheet.own_by_category = {k: str(v) for k, v in totals.own_by_category.items()}
        sheet.by_category = {k: str(v) for k, v in totals.by_category.items()}
    Assignment.objects.bulk_update(sheets, ["own_total", "total", "own_by_category", "by_category"])
    return len(sheets)


def consensus_changed(sender, instance: ConsensusScore, **kwargs) -> None:
    """Every save or delete of a consensus value, whoever makes it (review.apps connects it)."""
    store_sheet_totals(application_id=instance.application_id, stage=instance.stage)
