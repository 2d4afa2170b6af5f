"""Each submitted sheet's totals are kept on its assignment (issue 12 item 3) and the ranking,
the cycle page and the calibration read them: the same numbers as from every item score,
recomputed when the stage's consensus changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from applications.models import Application
from programmes.selectors import criteria_items
from review.enums import Stage
from review.models import Assignment, ItemScore
from review.ranking import cycle_ranking
from review.scores import composite, dispersion
from review.selectors import dispersion_flags, with_score_inputs, with_score_totals
from review.services.assignment import assign_expert
from review.services.decisions import shortlist
from review.services.scoring import record_consensus, save_scores, submit_scores
from review.services.totals import store_sheet_totals
from tests.review.conftest import make_accepted, sheet

pytestmark = pytest.mark.unit


def _score(app, experts, percents, stage=Stage.DOCUMENT, office=None):
    for i, (expert, percent) in enumerate(zip(experts, percents, strict=True)):
        a = assign_expert(application=app, expert=expert, stage=stage, actor=office, leader=i == 0)
        save_scores(assignment=a, items=sheet(app.cycle, percent), expert=expert)
        submit_scores(assignment=a, expert=expert)


def _both(app):
    items = criteria_items(app.cycle.criteria_set_id)
    stored = with_score_totals(Application.objects.filter(pk=app.pk)).get()
    computed = with_score_inputs(Application.objects.filter(pk=app.pk)).get()
    return composite(stored, items, app.cycle.settings), composite(
        computed, items, app.cycle.settings
    )


def test_a_submitted_sheet_keeps_its_totals(review_cycle, experts):
    (app,) = make_accepted(review_cycle, 1)
    items = criteria_items(review_cycle.criteria_set_id)
    mixed = {i.code: (40 if n % 2 else 85) for n, i in enumerate(items)}
    _score(app, experts[:3], [80, 65, mixed])
    sheets = Assignment.objects.filter(application=app).order_by("pk")
    assert [s.own_total for s in sheets][:2] == [Decimal("800.00"), Decimal("650.00")]
    assert all(s.total == s.own_total for s in sheets)  # no consensus yet
    assert sum(Decimal(v) for v in sheets[0].by_category.values()) == Decimal("800.00")
    stored, computed = _both(app)
    assert stored.document == computed.document
    assert stored.exact == computed.exact


def test_a_consensus_recomputes_the_stage_totals(review_cycle, experts, office):
    (app,) = make_accepted(review_cycle, 1)
    items = criteria_items(review_cycle.criteria_set_id)
    spread = {items[0].code: 100}
    _score(app, experts[:3], [{**spread}, 50, 50])  # item 0: 100 / 50 / 50, a flag
    flagged = [
        d.item.code for d in dispersion(_loaded(app), items, review_cycle.settings) if d.flagged
    ]
    assert flagged == [items[0].code]
    assert dispersion_flags([app], review_cycle.settings.dispersion_threshold) == {app.pk: 1}
    record_consensus(
        application=app,
        stage=Stage.DOCUMENT,
        items=[{"item": items[0].code, "percent": 60, "comment": "讨论后一致"}],
        actor=office,
    )
    assert dispersion_flags([app], review_cycle.settings.dispersion_threshold) == {}
    first = Assignment.objects.filter(application=app).order_by("pk").first()
    expected = first.own_total - items[0].points * Decimal(40) / 100
    assert first.total == expected
    stored, computed = _both(app)
    assert stored.document == computed.document


def _loaded(app):
    return with_score_inputs(Application.objects.filter(pk=app.pk)).get()


def _documents(cycle, *apps):
    rows = {r["application"]: r["document"]["score"] for r in cycle_ranking(cycle)}
    return [rows[a.pk] for a in apps]


def test_the_ranking_reads_the_stored_totals(review_cycle, experts, office):
    a1, a2 = make_accepted(review_cycle, 2)
    _score(a1, experts[:3], [80, 80, 80])
    _score(a2, experts[3:6], [60, 60, 60])
    shortlist(cycle=review_cycle, application_ids=[a1.pk, a2.pk], actor=office)
    assert _documents(review_cycle, a1, a2) == [Decimal("800.00"), Decimal("600.00")]
    # A sheet's item scores never change once submitted; if they did behind the services'
    # back, the ranking would still show what was submitted: it reads the kept totals.
    ItemScore.objects.filter(assignment__application=a2).update(percent=100)
    assert _documents(review_cycle, a1, a2) == [Decimal("800.00"), Decimal("600.00")]
    store_sheet_totals(application_id=a2.pk, stage=Stage.DOCUMENT)
    assert _documents(review_cycle, a1, a2) == [Decimal("800.00"), Decimal("1000.00")]
