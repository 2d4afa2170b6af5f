"""The composite ranking of a cycle (R12.6), each number with the inputs that made it."""

from __future__ import annotations

import math
from collections import Counter
from decimal import Decimal
from fractions import Fraction

from django.utils.formats import get_format, localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from applications.enums import ApplicationStatus as S
from applications.models import Application
from programmes.models import Cycle
from programmes.selectors import criteria_items

from .scores import Composite, StageScore, composite
from .selectors import ranking_inputs

# Applications that reached the on-site review (or later) are ranked on the composite.
RANKED_STATES = (
    S.ONSITE_REVIEW,
    S.CANDIDATE,
    S.NOT_CANDIDATE,
    S.PROPOSED,
    S.NOT_PROPOSED,
    S.PUBLICITY,
    S.AWARDED,
)


def _stage(score: StageScore) -> dict:
    return {
        "score": score.score,
        "method": score.method,
        "pending": score.pending,
        "experts": [
            {
                "expert": e.expert_name,
                "leader": e.leader,
                "total": e.total,
                "own_total": e.own_total,
                "dropped": e.dropped,
            }
            for e in score.experts
        ],
        "consensus_items": score.consensus,
        "by_category": score.by_category,
    }


def _row(app: Application, result: Composite) -> dict:
    return {
        "application": app.pk,
        "organisation": app.organisation.name,
        "status": app.status,
        "status_label": str(S(app.status).label),
        "composite": result.composite,
        "reaches_floor": result.reaches_floor,
        "document": _stage(result.document),
        "onsite": _stage(result.onsite),
        "satisfaction": {
            "index": result.satisfaction_index,
            "responses": result.satisfaction_count,
        },
        "weights": {
            "document": result.weights[0],
            "onsite": result.weights[1],
            "satisfaction": result.weights[2],
        },
        "parts": result.parts,
    }


def cycle_ranking(cycle: Cycle, states=RANKED_STATES) -> list[dict]:
    """Ranked rows, highest composite first; incomplete ones last. Ranks follow the exact
    composite: equal composites share a rank (1, 2, 2, 4) and are marked ``tied``. A fixed
    number of queries whatever the number of applications."""
    items = criteria_items(cycle.criteria_set_id)
    apps = ranking_inputs(Application.objects.filter(cycle=cycle, status__in=states))
    scored = [(app, composite(app, items, cycle.settings)) for app in apps]
    scored.sort(
        key=lambda pair: (
            pair[1].exact is None,
            -(pair[1].exact or Fraction(0)),
            pair[0].organisation.name,
        )
    )
    rows = []
    previous = None
    for position, (app, result) in enumerate(scored, start=1):
        row = _row(app, result)
        if result.exact is None:
            row["rank"] = None
        elif previous is not None and previous[1] == result.exact:
            row["rank"] = previous[0]
        else:
            row["rank"] = position
        if result.exact is not None:
            previous = (row["rank"], result.exact)
        rows.append(row)
    counts = Counter(r["rank"] for r in rows if r["rank"] is not None)
    for row in rows:
        row["tied"] = row["rank"] is not None and counts[row["rank"]] > 1
    return rows


def tie_at_quota(rows: list[dict], quota: int) -> list[int]:
    """Applications (among ``rows``, ranked) that share the rank crossing the quota: the
    committee must choose among them and say why (issue 9 §3). Empty when there is none."""
    ranked = [r for r in rows if r["rank"] is not None]
    if len(ranked) <= quota:
        return []
    boundary = ranked[quota - 1]["rank"]
    if ranked[quota]["rank"] != boundary:
        return []
    return [r["application"] for r in ranked if r["rank"] == boundary]


def _label_lines(name: str, width: int = 4) -> list[str]:
    return [name[i : i + width] for i in range(0, len(name), width)] or [""]


def radar_points(by_category: dict[str, Decimal], categories, size: int = 280) -> dict:
    """SVG polygon points of the categories as a share of their maximum, for the radar chart
    (drawn on the server: no JavaScript needed). ``categories`` are loaded once per page."""
    centre, radius = size / 2, size / 2 - 58
    axes, points, grid = [], [], []
    n = len(categories)
    for i, category in enumerate(categories):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        share = float(by_category.get(category.code, 0)) / category.points if category.points else 0
        x = centre + radius * share * math.cos(angle)
        y = centre + radius * share * math.sin(angle)
        points.append(f"{x:.1f},{y:.1f}")
        axes.append(
            {
                "x": centre + radius * math.cos(angle),
                "y": centre + radius * math.sin(angle),
                "lx": centre + (radius + 18) * math.cos(angle),
                "ly": centre + (radius + 14) * math.sin(angle) + 4,
                # The whole name, four characters a line ("顾客与市场" was cut to "顾客与市").
                "lines": _label_lines(category.name.replace("、", "")),
                "label": category.name,
                "share": round(share * 100),
            }
        )
    for level in (0.25, 0.5, 0.75, 1.0):
        ring = []
        for i in range(n):
            angle = -math.pi / 2 + 2 * math.pi * i / n
            ring.append(
                f"{centre + radius * level * math.cos(angle):.1f},"
                f"{centre + radius * level * math.sin(angle):.1f}"
            )
        grid.append(" ".join(ring))
    return {"size": size, "centre": centre, "points": " ".join(points), "axes": axes, "grid": grid}


def _number(value: float | int, separator: str) -> str:
    """A number as the template engine writes it (``localize``; no thousands separator is
    used, settings.USE_THOUSAND_SEPARATOR being off), without its two hundred calls."""
    text = str(value)
    if "e" in text.lower():
        return localize(value)
    return text.replace(".", separator)


DY = ' dy="1.1em"'  # a label's second line and after


def radar_svg(radar: dict) -> SafeString:
    """The chart's rings, axes with their labels and the polygon: the markup
    review/ranking.html wrote with three loops per row (7 axes and their lines, each number
    through ``localize``: 5,000 calls a row), written here once (issue 12)."""
    sep = get_format("DECIMAL_SEPARATOR")
    centre = _number(radar["centre"], sep)
    rings = "".join(
        f'<polygon points="{escape(ring)}" fill="none" stroke="#e3e5e8"/>' for ring in radar["grid"]
    )
    axes = []
    for a in radar["axes"]:
        lx, share = _number(a["lx"], sep), _number(a["share"], sep)
        last = len(a["lines"]) - 1
        spans = "".join(
            f'<tspan x="{lx}"{DY if i else ""}>{escape(line)}{f" {share}%" if i == last else ""}'
            "</tspan>"
            for i, line in enumerate(a["lines"])
        )
        axes.append(
            f'<line x1="{centre}" y1="{centre}" x2="{_number(a["x"], sep)}" '
            f'y2="{_number(a["y"], sep)}" stroke="#e3e5e8"/><text x="{lx}" '
            f'y="{_number(a["ly"], sep)}" font-size="10" text-anchor="middle" fill="#5f6670">'
            f"<title>{escape(a['label'])} {share}%</title>{spans}</text>"
        )
    polygon = (
        f'<polygon points="{escape(radar["points"])}" fill="rgba(179,38,30,.25)" '
        'stroke="#b3261e" stroke-width="2"/>'
    )
    return mark_safe(f"{rings}\n      {''.join(axes)}\n      {polygon}")  # noqa: S308 - escaped above
