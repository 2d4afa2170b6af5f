"""Score arithmetic (SCORING.md) against examples computed by hand.

The GB/T 19580-2012 items and their points (1000 in all):

    4.1.2 50  4.1.3 30  4.1.4 30                                   (4.1 = 110)
    4.2.2 40  4.2.3 50                                             (4.2 =  90)
    4.3.2 40  4.3.3 50                                             (4.3 =  90)
    4.4.2 60  4.4.3 15  4.4.4 20  4.4.5 15  4.4.6 10  4.4.7 10     (4.4 = 130)
    4.5.2 50  4.5.3 50                                             (4.5 = 100)
    4.6.2 40  4.6.3 40                                             (4.6 =  80)
    4.7.2 80  4.7.3 80  4.7.4 80  4.7.5 60  4.7.6 50  4.7.7 50     (4.7 = 400)

An expert who gives every item p % scores 10 × p points. Points = percent × item points / 100.
Every result is a Decimal with exactly two places, rounded half up; the assertions compare the
string form ("600.25"), which checks the value and the two places at once.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application
from programmes.selectors import criteria_items
from review.enums import AssignmentStatus, Stage
from review.models import ConsensusScore, ItemScore, SurveyResponse
from review.ranking import cycle_ranking
from review.scores import composite, dispersion, satisfaction, stage_score
from review.selectors import with_score_inputs
from tests.factories import (
    AssignmentFactory,
    ConsensusScoreFactory,
    CycleFactory,
    ItemScoreFactory,
    ProgrammeFactory,
    SurveyResponseFactory,
)
from tests.review.conftest import make_accepted, make_experts

pytestmark = pytest.mark.unit


@pytest.fixture
def pool(programme):
    return make_experts(programme, 5)


def sheet_for(app, expert, stage, percent: int, *, overrides=None, submitted=True, leader=False):
    """A score sheet: ``percent`` on every item, ``overrides`` {code: percent} on some."""
    overrides = overrides or {}
    assignment = AssignmentFactory(
        application=app,
        expert=expert,
        stage=stage,
        leader=leader,
        status=AssignmentStatus.SUBMITTED if submitted else AssignmentStatus.ASSIGNED,
        submitted_at=timezone.now() if submitted else None,
    )
    ItemScore.objects.bulk_create(
        ItemScoreFactory.build(
            assignment=assignment, item=item, percent=overrides.get(item.code, percent)
        )
        for item in criteria_items(app.cycle.criteria_set_id)
    )
    return assignment


def consensus_for(app, stage, values: dict[str, int], actor):
    items = {i.code: i for i in criteria_items(app.cycle.criteria_set_id)}
    ConsensusScore.objects.bulk_create(
        ConsensusScoreFactory.build(
            application=app, stage=stage, item=items[code], percent=p, recorded_by=actor
        )
        for code, p in values.items()
    )


def loaded(app) -> Application:
    return with_score_inputs(Application.objects.filter(pk=app.pk)).get()


def document(app):
    app = loaded(app)
    items = criteria_items(app.cycle.criteria_set_id)
    return stage_score(app, Stage.DOCUMENT, items, app.cycle.programme)


def onsite(app):
    app = loaded(app)
    items = criteria_items(app.cycle.criteria_set_id)
    return stage_score(app, Stage.ONSITE, items, app.cycle.programme)


def totals(score) -> list[str]:
    return [str(e.total) for e in score.experts]


@pytest.fixture
def app(review_cycle):
    (app,) = make_accepted(review_cycle, 1)
    return app


def test_item_points_add_up_to_1000(review_cycle):
    items = criteria_items(review_cycle.criteria_set_id)
    assert len(items) == 23
    assert sum(i.points for i in items) == 1000


# --- document review ---------------------------------------------------------------------


def test_document_score_is_the_mean_of_three_experts(app, pool):
    # A: every item 60 %                               → 600.00
    # B: every item 70 %                               → 700.00
    # C: every item 50 %, 4.4.3 (15 points) at 55 %    → 500 + 15 × 0.05 = 500.75
    # mean: (600 + 700 + 500.75) / 3 = 1800.75 / 3     = 600.25
    sheet_for(app, pool[0], Stage.DOCUMENT, 60)
    sheet_for(app, pool[1], Stage.DOCUMENT, 70)
    sheet_for(app, pool[2], Stage.DOCUMENT, 50, overrides={"4.4.3": 55})
    score = document(app)
    assert totals(score) == ["600.00", "700.00", "500.75"]
    assert (score.method, str(score.score), score.pending) == ("mean", "600.25", 0)
    # category 4.4 (130 points): A 78, B 91, C 65 + 0.75 = 65.75 → (78 + 91 + 65.75) / 3 = 78.25
    # category 4.7 (400 points): A 240, B 280, C 200 → 720 / 3 = 240.00
    assert str(score.by_category["4.4"]) == "78.25"
    assert str(score.by_category["4.7"]) == "240.00"
    assert len(score.by_category) == 7


def test_document_mean_is_rounded_half_up_to_two_places(app, pool):
    # A 600, B 600, C 600 with 4.4.3 (15) at 65 % (+0.75) and 4.4.6 (10) at 55 % (−0.50)
    # → C = 600.25; mean 1800.25 / 3 = 600.0833… → 600.08
    sheet_for(app, pool[0], Stage.DOCUMENT, 60)
    sheet_for(app, pool[1], Stage.DOCUMENT, 60)
    sheet_for(app, pool[2], Stage.DOCUMENT, 60, overrides={"4.4.3": 65, "4.4.6": 55})
    score = document(app)
    assert totals(score) == ["600.00", "600.00", "600.25"]
    assert str(score.score) == "600.08"


def test_document_mean_of_four_rounds_600_1875_up_to_600_19(app, pool):
    # 600 + 600 + 600 + (600 + 15 × 0.05 = 600.75) = 2400.75; / 4 = 600.1875 → 600.19
    for expert in pool[:3]:
        sheet_for(app, expert, Stage.DOCUMENT, 60)
    sheet_for(app, pool[3], Stage.DOCUMENT, 60, overrides={"4.4.5": 65})
    score = document(app)
    assert (score.method, str(score.score)) == ("mean", "600.19")


def test_trimmed_mean_with_five_experts_drops_the_highest_and_the_lowest(review_cycle, app, pool):
    # totals 400, 550, 600, 650, 900: drop 400 and 900 → (550 + 600 + 650) / 3 = 600.00
    review_cycle.programme.trimmed_mean = True
    review_cycle.programme.save()
    for expert, percent in zip(pool, (40, 55, 60, 65, 90), strict=True):
        sheet_for(app, expert, Stage.DOCUMENT, percent)
    score = document(app)
    assert (score.method, str(score.score)) == ("trimmed_mean", "600.00")
    dropped = sorted(str(e.total) for e in score.experts if e.dropped)
    assert dropped == ["400.00", "900.00"]


def test_the_same_five_experts_without_trimming_give_the_plain_mean(app, pool):
    # (400 + 550 + 600 + 650 + 900) / 5 = 3100 / 5 = 620.00
    for expert, percent in zip(pool, (40, 55, 60, 65, 90), strict=True):
        sheet_for(app, expert, Stage.DOCUMENT, percent)
    score = document(app)
    assert (score.method, str(score.score)) == ("mean", "620.00")
    assert [e.dropped for e in score.experts] == [False] * 5


def test_trimmed_mean_needs_five_scores_four_give_the_plain_mean(review_cycle, app, pool):
    # trimmed_mean chosen, but 4 scores: (400 + 550 + 650 + 900) / 4 = 2500 / 4 = 625.00
    review_cycle.programme.trimmed_mean = True
    review_cycle.programme.save()
    for expert, percent in zip(pool, (40, 55, 65, 90), strict=False):
        sheet_for(app, expert, Stage.DOCUMENT, percent)
    score = document(app)
    assert (score.method, str(score.score)) == ("mean", "625.00")
    assert [e.dropped for e in score.experts] == [False] * 4


def test_no_document_score_while_a_sheet_is_pending(app, pool):
    sheet_for(app, pool[0], Stage.DOCUMENT, 60)
    sheet_for(app, pool[1], Stage.DOCUMENT, 60)
    sheet_for(app, pool[2], Stage.DOCUMENT, 60, submitted=False)
    score = document(app)
    assert (score.score, score.method, score.pending) == (None, "none", 1)
    assert totals(score) == ["600.00", "600.00"]


def test_a_revoked_sheet_does_not_count(app, pool):
    # 600 and 700 count; the revoked 100 does not: (600 + 700) / 2 = 650.00
    sheet_for(app, pool[0], Stage.DOCUMENT, 60)
    sheet_for(app, pool[1], Stage.DOCUMENT, 70)
    revoked = sheet_for(app, pool[2], Stage.DOCUMENT, 10, submitted=False)
    revoked.status = AssignmentStatus.REVOKED
    revoked.save()
    assert str(document(app).score) == "650.00"


def test_document_consensus_replaces_the_item_for_every_expert(app, pool, office):
    # A: every item 60 %                                      → 600
    # B: 60 %, 4.7.2 (80 points) at 20 %: 600 − 80 × 0.40     → 568
    # C: 60 %, 4.7.2 at 95 %:            600 + 80 × 0.35      → 628
    # mean (600 + 568 + 628) / 3 = 1796 / 3 = 598.666… → 598.67
    sheet_for(app, pool[0], Stage.DOCUMENT, 60)
    sheet_for(app, pool[1], Stage.DOCUMENT, 60, overrides={"4.7.2": 20})
    sheet_for(app, pool[2], Stage.DOCUMENT, 60, overrides={"4.7.2": 95})
    before = document(app)
    assert (totals(before), str(before.score)) == (["600.00", "568.00", "628.00"], "598.67")

    # consensus 4.7.2 = 70 % for everyone: each 600 + 80 × 0.10 = 608 → mean 608.00
    consensus_for(app, Stage.DOCUMENT, {"4.7.2": 70}, office)
    after = document(app)
    assert totals(after) == ["608.00", "608.00", "608.00"]
    assert [str(e.own_total) for e in after.experts] == ["600.00", "568.00", "628.00"]
    assert (after.method, str(after.score), after.consensus) == ("mean", "608.00", {"4.7.2": 70})
    # the on-site stage is not touched by a document consensus
    assert onsite(app).consensus == {}


# --- on-site review ----------------------------------------------------------------------


@pytest.fixture
def onsite_group(app, pool):
    """L (leader) 70 % → 700; M 80 % → 800; N 75 % with 4.7.4 (80 points) at 100 %
    → 750 + 80 × 0.25 = 770."""
    app.status = S.ONSITE_REVIEW
    app.save()
    sheet_for(app, pool[0], Stage.ONSITE, 70, leader=True)
    sheet_for(app, pool[1], Stage.ONSITE, 80)
    sheet_for(app, pool[2], Stage.ONSITE, 75, overrides={"4.7.4": 100})
    return pool[0]


def test_onsite_score_without_consensus_is_the_mean_of_the_group(app, onsite_group):
    # (700 + 800 + 770) / 3 = 2270 / 3 = 756.666… → 756.67
    score = onsite(app)
    assert totals(score) == ["700.00", "800.00", "770.00"]
    assert (score.method, str(score.score)) == ("mean", "756.67")


def test_onsite_score_is_the_leaders_consensus_sheet_when_complete(app, onsite_group):
    # consensus: every item 75 %, 4.4.2 (60 points) at 90 %: 750 + 60 × 0.15 = 759.00
    values = {i.code: 75 for i in criteria_items(app.cycle.criteria_set_id)} | {"4.4.2": 90}
    consensus_for(app, Stage.ONSITE, values, onsite_group)
    score = onsite(app)
    assert (score.method, str(score.score)) == ("consensus", "759.00")
    # 4.4 (130): 60 × 0.90 + 70 × 0.75 = 54 + 52.5 = 106.50
    assert str(score.by_category["4.4"]) == "106.50"


def test_a_complete_onsite_consensus_counts_even_with_a_sheet_pending(app, onsite_group, pool):
    sheet_for(app, pool[3], Stage.ONSITE, 10, submitted=False)
    assert onsite(app).score is None  # no consensus yet: the mean waits for every sheet
    values = {i.code: 75 for i in criteria_items(app.cycle.criteria_set_id)}
    consensus_for(app, Stage.ONSITE, values, onsite_group)
    score = onsite(app)
    assert (score.method, str(score.score), score.pending) == ("consensus", "750.00", 1)


def test_five_onsite_experts_are_never_trimmed(review_cycle, app, pool):
    # the trimmed mean is a document-review setting: (400 + 550 + 600 + 650 + 900) / 5 = 620.00
    review_cycle.programme.trimmed_mean = True
    review_cycle.programme.save()
    app.status = S.ONSITE_REVIEW
    app.save()
    for expert, percent in zip(pool, (40, 55, 60, 65, 90), strict=True):
        sheet_for(app, expert, Stage.ONSITE, percent, leader=expert == pool[0])
    score = onsite(app)
    assert (score.method, str(score.score)) == ("mean", "620.00")


# --- satisfaction ------------------------------------------------------------------------


def survey(app, *scores: int) -> None:
    SurveyResponse.objects.bulk_create(
        SurveyResponseFactory.build(application=app, score=s, respondent_kind="customer")
        for s in scores
    )


def test_satisfaction_index_is_the_mean_of_the_responses_with_their_count(app):
    assert satisfaction(loaded(app)) == (None, 0)
    # (90 + 85 + 70) / 3 = 245 / 3 = 81.666… → 81.67
    survey(app, 90, 85, 70)
    index, count = satisfaction(loaded(app))
    assert (str(index), count) == ("81.67", 3)


def test_satisfaction_index_of_two_responses(app):
    # (100 + 95) / 2 = 97.50
    survey(app, 100, 95)
    index, count = satisfaction(loaded(app))
    assert (str(index), count) == ("97.50", 2)


# --- composite ---------------------------------------------------------------------------


def full_review(app, pool):
    """Document 600.25 (the three experts above), on-site 759.00 (the leader's consensus),
    satisfaction 81.67 (90, 85, 70)."""
    sheet_for(app, pool[0], Stage.DOCUMENT, 60)
    sheet_for(app, pool[1], Stage.DOCUMENT, 70)
    sheet_for(app, pool[2], Stage.DOCUMENT, 50, overrides={"4.4.3": 55})
    app.status = S.ONSITE_REVIEW
    app.save()
    sheet_for(app, pool[3], Stage.ONSITE, 70, leader=True)
    sheet_for(app, pool[4], Stage.ONSITE, 80)
    values = {i.code: 75 for i in criteria_items(app.cycle.criteria_set_id)} | {"4.4.2": 90}
    consensus_for(app, Stage.ONSITE, values, pool[3])
    survey(app, 90, 85, 70)


def composite_of(app):
    app = loaded(app)
    return composite(app, criteria_items(app.cycle.criteria_set_id), app.cycle.programme)


def test_composite_with_the_default_weights_30_60_10(app, pool):
    full_review(app, pool)
    result = composite_of(app)
    # document      0.30 × 600.25             = 180.075    → shown 180.08
    # on-site       0.60 × 759.00             = 455.40
    # satisfaction  0.10 × (245/3 × 10)       =  81.6666…  → shown  81.67
    # composite     180.075 + 455.40 + 81.6666… = 717.1416… → 717.14
    # (issue 9 §3: no intermediate rounding; rounding the index first gave 717.145 → 717.15)
    assert result.weights == (30, 60, 10)
    assert (str(result.document.score), str(result.onsite.score)) == ("600.25", "759.00")
    assert (str(result.satisfaction_index), result.satisfaction_count) == ("81.67", 3)
    assert {k: str(v) for k, v in result.parts.items()} == {
        "document": "180.08",
        "onsite": "455.40",
        "satisfaction": "81.67",
    }
    assert str(result.composite) == "717.14"
    assert result.exact == Fraction(180075, 1000) + Fraction(45540, 100) + Fraction(245, 3)
    assert (str(result.floor), result.reaches_floor) == ("600.00", True)


def test_composite_with_custom_weights_40_50_10(pool):
    programme = ProgrammeFactory(
        code="w405010", weight_document=40, weight_onsite=50, weight_satisfaction=10
    )
    (app,) = make_accepted(CycleFactory(programme=programme), 1)
    full_review(app, pool)
    result = composite_of(app)
    # document      0.40 × 600.25 = 240.10
    # on-site       0.50 × 759.00 = 379.50
    # satisfaction  0.10 × 816.70 =  81.67
    # composite     240.10 + 379.50 + 81.67 = 701.27
    assert result.weights == (40, 50, 10)
    assert {k: str(v) for k, v in result.parts.items()} == {
        "document": "240.10",
        "onsite": "379.50",
        "satisfaction": "81.67",
    }
    assert str(result.composite) == "701.27"


def test_a_weight_of_zero_needs_no_survey(pool):
    programme = ProgrammeFactory(
        code="w40600", weight_document=40, weight_onsite=60, weight_satisfaction=0
    )
    (app,) = make_accepted(CycleFactory(programme=programme), 1)
    full_review(app, pool)
    SurveyResponse.objects.all().delete()
    result = composite_of(app)
    # 0.40 × 600.25 + 0.60 × 759.00 + 0 = 240.10 + 455.40 = 695.50
    assert str(result.composite) == "695.50"
    assert str(result.parts["satisfaction"]) == "0.00"


def test_composite_is_none_until_every_part_is_known(app, pool):
    full_review(app, pool)
    SurveyResponse.objects.all().delete()
    result = composite_of(app)
    assert (result.composite, result.reaches_floor) == (None, False)
    assert result.parts["satisfaction"] is None
    assert str(result.parts["document"]) == "180.08"


def test_composite_below_the_floor_does_not_reach_it(app, pool):
    # document 500, on-site 600 (mean of one sheet), satisfaction 60:
    # 0.3 × 500 + 0.6 × 600 + 0.1 × 600 = 150 + 360 + 60 = 570.00 < 600
    for expert in pool[:3]:
        sheet_for(app, expert, Stage.DOCUMENT, 50)
    sheet_for(app, pool[3], Stage.ONSITE, 60, leader=True)
    survey(app, 60)
    result = composite_of(app)
    assert (str(result.composite), result.reaches_floor) == ("570.00", False)


def test_composite_exactly_at_the_floor_reaches_it(app, pool):
    # 0.3 × 600 + 0.6 × 600 + 0.1 × 600 = 600.00 ≥ 600
    for expert in pool[:3]:
        sheet_for(app, expert, Stage.DOCUMENT, 60)
    sheet_for(app, pool[3], Stage.ONSITE, 60, leader=True)
    survey(app, 60)
    result = composite_of(app)
    assert (str(result.composite), result.reaches_floor) == ("600.00", True)


# --- dispersion --------------------------------------------------------------------------


def test_dispersion_spread_30_is_not_flagged_and_35_is(app, pool):
    # 4.1.2: 50, 80, 60 → spread 30 (not more than 30): not flagged
    # 4.1.3: 50, 85, 60 → spread 35: flagged for a consensus discussion
    sheet_for(app, pool[0], Stage.DOCUMENT, 50)
    sheet_for(app, pool[1], Stage.DOCUMENT, 50, overrides={"4.1.2": 80, "4.1.3": 85})
    sheet_for(app, pool[2], Stage.DOCUMENT, 50, overrides={"4.1.2": 60, "4.1.3": 60})
    app = loaded(app)
    rows = {
        d.item.code: (d.percents, d.spread, d.flagged)
        for d in dispersion(app, criteria_items(app.cycle.criteria_set_id), app.cycle.programme)
    }
    assert rows["4.1.2"] == ([50, 80, 60], 30, False)
    assert rows["4.1.3"] == ([50, 85, 60], 35, True)
    assert [code for code, (_, _, flagged) in rows.items() if flagged] == ["4.1.3"]
    assert rows["4.7.7"] == ([50, 50, 50], 0, False)


def test_dispersion_threshold_is_a_programme_setting(review_cycle, app, pool):
    review_cycle.programme.dispersion_threshold = 35
    review_cycle.programme.save()
    sheet_for(app, pool[0], Stage.DOCUMENT, 50)
    sheet_for(app, pool[1], Stage.DOCUMENT, 50, overrides={"4.1.3": 85, "4.2.2": 90})
    app = loaded(app)
    flagged = [
        (d.item.code, d.spread)
        for d in dispersion(app, criteria_items(app.cycle.criteria_set_id), app.cycle.programme)
        if d.flagged
    ]
    assert flagged == [("4.2.2", 40)]  # 35 is not more than 35; 40 is


def test_dispersion_ignores_unsubmitted_sheets_and_a_single_sheet_has_no_spread(app, pool):
    sheet_for(app, pool[0], Stage.DOCUMENT, 50)
    sheet_for(app, pool[1], Stage.DOCUMENT, 100, submitted=False)
    app = loaded(app)
    rows = dispersion(app, criteria_items(app.cycle.criteria_set_id), app.cycle.programme)
    assert {(tuple(d.percents), d.spread, d.flagged) for d in rows} == {((50,), 0, False)}


def test_dispersion_shows_the_recorded_consensus(app, pool, office):
    sheet_for(app, pool[0], Stage.DOCUMENT, 50)
    sheet_for(app, pool[1], Stage.DOCUMENT, 50, overrides={"4.1.3": 90})
    consensus_for(app, Stage.DOCUMENT, {"4.1.3": 70}, office)
    app = loaded(app)
    rows = {
        d.item.code: (d.flagged, d.consensus)
        for d in dispersion(app, criteria_items(app.cycle.criteria_set_id), app.cycle.programme)
    }
    assert rows["4.1.3"] == (True, 70)
    assert rows["4.1.2"] == (False, None)


# --- the ranking -------------------------------------------------------------------------


def test_ranking_orders_by_composite_and_leaves_incomplete_ones_unranked(review_cycle, pool):
    high, low, incomplete = make_accepted(review_cycle, 3)
    for app, percent in ((high, 80), (low, 65), (incomplete, 90)):
        app.status = S.ONSITE_REVIEW
        app.save()
        for expert in pool[:3]:
            sheet_for(app, expert, Stage.DOCUMENT, percent)
        sheet_for(app, pool[3], Stage.ONSITE, percent, leader=True)
        if app is not incomplete:
            survey(app, percent)
    rows = cycle_ranking(review_cycle)
    # high: 10 × 80 = 800.00; low: 10 × 65 = 650.00; incomplete: no survey → no composite
    assert [(r["application"], r["rank"], r["composite"]) for r in rows] == [
        (high.pk, 1, Decimal("800.00")),
        (low.pk, 2, Decimal("650.00")),
        (incomplete.pk, None, None),
    ]
    assert [str(r["composite"]) for r in rows[:2]] == ["800.00", "650.00"]
