"""The ranking's page, API and XLSX cost what they show (issue 12): the radar drawn in Python
writes the markup the template wrote, and the ranking reads only the columns it shows, in a
fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from programmes.selectors import criteria_categories
from review.ranking import cycle_ranking, radar_points, radar_svg
from tests.queries import assert_get_queries
from tests.review.test_query_counts import add_applications, group, staff_client  # noqa: F401

pytestmark = pytest.mark.unit

# The three lines of review/ranking.html that radar_svg replaces, as they were.
TEMPLATE_RADAR = (
    '{% for ring in r.radar.grid %}<polygon points="{{ ring }}" fill="none" stroke="#e3e5e8"/>'
    "{% endfor %}\n      "
    '{% for a in r.radar.axes %}<line x1="{{ r.radar.centre }}" y1="{{ r.radar.centre }}" '
    'x2="{{ a.x }}" y2="{{ a.y }}" stroke="#e3e5e8"/><text x="{{ a.lx }}" y="{{ a.ly }}" '
    'font-size="10" text-anchor="middle" fill="#5f6670"><title>{{ a.label }} {{ a.share }}%'
    '</title>{% for line in a.lines %}<tspan x="{{ a.lx }}"{% if not forloop.first %} '
    'dy="1.1em"{% endif %}>{{ line }}{% if forloop.last %} {{ a.share }}%{% endif %}</tspan>'
    "{% endfor %}</text>{% endfor %}\n      "
    '<polygon points="{{ r.radar.points }}" fill="rgba(179,38,30,.25)" stroke="#b3261e" '
    'stroke-width="2"/>'
)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_radar_markup_is_the_templates(db, review_cycle, language):
    categories = criteria_categories(review_cycle.criteria_set_id)
    categories[0].name = "领导<与>&“战略”"  # escaped, and cut into lines, as the template did
    shares = [Decimal(c.points) * k / 7 for k, c in enumerate(categories)]
    radar = radar_points({c.code: s for c, s in zip(categories, shares, strict=True)}, categories)
    with translation.override(language):
        expected = Template(TEMPLATE_RADAR).render(Context({"r": {"radar": radar}}))
        assert radar_svg(radar) == expected
    assert "&lt;与&gt;&amp;" in expected


@pytest.mark.parametrize("item_count", (1, 3))
def test_the_ranking_xlsx_costs_a_fixed_number_of_queries(
    staff_client,  # noqa: F811
    review_cycle,
    group,  # noqa: F811
    office,
    item_count,
):
    add_applications(review_cycle, group, office, item_count)
    assert_get_queries(12, staff_client, f"/review/cycles/{review_cycle.pk}/ranking.xlsx")


def test_the_ranked_rows_load_neither_the_form_nor_the_experts_accounts(
    review_cycle,
    group,  # noqa: F811
    office,
):
    """Deferred columns: reading one would cost a query per row (counted above)."""
    add_applications(review_cycle, group, office, 2)
    from applications.models import Application
    from review.selectors import ranking_inputs

    app = ranking_inputs(Application.objects.filter(cycle=review_cycle))[0]
    assert {"summary", "indicators", "created_by_id"} <= app.get_deferred_fields()
    sheet = app.assignments.all()[0]
    assert {"email", "password"} <= sheet.expert.get_deferred_fields()
    assert len(cycle_ranking(review_cycle)) == 2
