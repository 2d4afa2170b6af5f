"""The calibration asked about some experts (issue 12): the same figures as the full list's for
them, read from their own panels only, so that its cost does not grow with the deployment's
history; the figures are those of the definitions in ``review.calibration``, computed here the
slow way (a ``Fraction`` per difference, from every item score); the cycle page shows the
programme's pool and the expert pool page the experts of the page shown, to the office and the
supervisor only."""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from django.db import connection

from accounts.models import ProgrammeMembership, User
from programmes.selectors import criteria_items
from review.calibration import expert_calibration, sheets_read
from review.enums import AssignmentStatus, Stage
from review.models import Assignment, ConsensusScore, ItemScore
from review.selectors import expert_pool, experts_visible_to
from review.services.totals import store_sheet_totals
from tests.factories import CycleFactory, ProgrammeFactory, staff_user
from tests.queries import exactly

from .conftest import make_accepted, make_experts, scored_sheet

pytestmark = pytest.mark.django_db


def _marks(cycle, rng: random.Random) -> dict[str, int]:
    return {i.code: rng.randint(0, 100) for i in criteria_items(cycle.criteria_set_id)}


def _panel(app, stage, experts, rng, *, store: bool = True) -> list[Assignment]:
    sheets = [scored_sheet(app, e, stage, _marks(app.cycle, rng)) for e in experts]
    if store:
        store_sheet_totals(application_id=app.pk, stage=stage)
    return sheets


def _without_totals(sheet: Assignment) -> None:
    Assignment.objects.filter(pk=sheet.pk).update(
        own_total=None, total=None, own_by_category=None, by_category=None
    )


@pytest.fixture
def world(programme, review_cycle, office):
    """Experts e1 e2 e3 (asked about) and x1 x2 x3 (not) of the programme, and f1 of another
    one on which e1 sits too:

    - A0 document: e1 e2 x1 (stored totals); A0 on site: e1 x2, with a consensus value (the
      calibration reads the experts' own marks, before it);
    - A1 document: e2 x1 x2 x3, x3's sheet without stored totals and missing a mark; e1's
      sheet there revoked;
    - A2 document: x1 x2 only; A3 document: e3 alone (no one to compare with);
    - B0 document (the other programme): e1 f1.
    """
    rng = random.Random(12)
    other = ProgrammeFactory(code="other-calib")
    other_cycle = CycleFactory(programme=other)
    a0, a1, a2, a3 = make_accepted(review_cycle, 4)
    (b0,) = make_accepted(other_cycle, 1)
    e1, e2, e3, x1, x2, x3 = make_experts(programme, 6)
    (f1,) = make_experts(other, 1)
    ProgrammeMembership.objects.create(user=e1, programme=other)
    _panel(a0, Stage.DOCUMENT, [e1, e2, x1], rng)
    _panel(a0, Stage.ONSITE, [e1, x2], rng)
    ConsensusScore.objects.create(
        application=a0,
        stage=Stage.ONSITE,
        item=criteria_items(review_cycle.criteria_set_id)[0],
        percent=100,
        recorded_by=office,
    )
    revoked = scored_sheet(a1, e1, Stage.DOCUMENT, 100)
    Assignment.objects.filter(pk=revoked.pk).update(status=AssignmentStatus.REVOKED)
    *_, bare = _panel(a1, Stage.DOCUMENT, [e2, x1, x2, x3], rng)
    ItemScore.objects.filter(assignment=bare).order_by("pk").first().delete()
    _without_totals(bare)
    _panel(a2, Stage.DOCUMENT, [x1, x2], rng)
    _panel(a3, Stage.DOCUMENT, [e3], rng)
    _panel(b0, Stage.DOCUMENT, [e1, f1], rng)
    everywhere = staff_user("office", username="office-all")
    return {
        "asked": [e1.pk, e2.pk, e3.pk],
        "e1": e1,
        "x1": x1,
        "programme": programme,
        "cycle": review_cycle,
        "other_cycle": other_cycle,
        "outside": [x1, x2, x3],
        "foreign": f1,
        "everywhere": everywhere,
    }


def _reference(user: User) -> dict[int, tuple]:
    """The definitions, the slow way: each sheet's points from its item scores, a Fraction
    per difference."""
    sheets = list(
        Assignment.objects.filter(
            user.served_programme_filter("application__cycle__programme"),
            status=AssignmentStatus.SUBMITTED,
        )
    )
    own: dict[int, dict[str, Fraction]] = {s.pk: defaultdict(Fraction) for s in sheets}
    for sheet_id, code, points, percent in ItemScore.objects.filter(
        assignment__in=sheets
    ).values_list("assignment_id", "item__category__code", "item__points", "percent"):
        own[sheet_id][code] += Fraction(points * percent, 100)
    panels = defaultdict(list)
    for s in sheets:
        panels[(s.application_id, s.stage)].append(s)
    submitted = Counter(s.expert_id for s in sheets)
    differences = defaultdict(list)
    by_code = defaultdict(lambda: defaultdict(list))
    for members in panels.values():
        if len(members) < 2:
            continue
        codes = {code for s in members for code in own[s.pk]}
        for s in members:
            others = [o for o in members if o is not s]

            def mean_of_others(points, others=others):
                return sum((points(o) for o in others), Fraction(0)) / len(others)

            def total(x):
                return sum(own[x.pk].values(), Fraction(0))

            differences[s.expert_id].append(total(s) - mean_of_others(total))
            for code in codes:

                def of(x, code=code):
                    return own[x.pk].get(code, Fraction(0))

                by_code[s.expert_id][code].append(of(s) - mean_of_others(of))
    out = {}
    for expert_id, n in submitted.items():
        found = differences[expert_id]
        offset = sum(found, Fraction(0)) / len(found) if found else None
        spread = None
        if len(found) >= 2:
            variance = sum((d - offset) ** 2 for d in found) / (len(found) - 1)
            with localcontext() as ctx:
                ctx.prec = 28
                spread = (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()
        categories = {c: sum(v, Fraction(0)) / len(v) for c, v in by_code[expert_id].items()}
        out[expert_id] = (n, len(found), offset, spread, categories)
    return out


def _figures(rows) -> dict[int, tuple]:
    return {c.expert_id: (c.submitted, c.sheets, c.offset, c.spread, c.by_category) for c in rows}


@pytest.mark.parametrize("who", ["office", "everywhere"])
def test_the_figures_are_the_definitions_and_a_subsets_are_the_full_lists(world, office, who):
    user = office if who == "office" else world["everywhere"]
    full = expert_calibration(user)
    assert _figures(full) == _reference(user)
    # e1's panel of the other programme counts only for a user who serves it.
    e1 = next(c for c in full if c.expert_id == world["e1"].pk)
    assert (e1.submitted, e1.sheets) == ((2, 2) if who == "office" else (3, 3))
    asked = world["asked"]
    expected = [c for c in full if c.expert_id in asked]
    assert len(expected) == 3
    nobody = staff_user("committee", programme=world["programme"])  # asked, without a sheet
    assert expert_calibration(user, experts=[*asked, nobody.pk]) == expected
    assert expert_calibration(user, experts=User.objects.filter(pk__in=asked)) == expected
    assert expert_calibration(user, experts=[]) == []


def test_the_cycle_pages_pool_is_calibrated_from_its_panels(world, office):
    pool = expert_pool(world["programme"].pk)
    full = expert_calibration(office)
    assert expert_calibration(office, experts=pool) == [
        c for c in full if c.expert_id in set(pool.values_list("pk", flat=True))
    ]


def _unrelated_history(world, rng) -> None:
    """Panels of experts not asked about, in the programme (another year) and in another one;
    one sheet there without stored totals."""
    later = CycleFactory(programme=world["programme"], year=2027)
    x1, x2, x3 = world["outside"]
    for app in make_accepted(later, 3) + make_accepted(world["cycle"], 2):
        sheets = _panel(app, Stage.DOCUMENT, [x1, x2, x3], rng)
        _without_totals(sheets[0])
    others = make_experts(world["other_cycle"].programme, 2)
    for app in make_accepted(world["other_cycle"], 3):
        _panel(app, Stage.DOCUMENT, [world["foreign"], *others], rng)


def _rows_fetched(captured) -> list[int]:
    """The rows each captured query returns, run again (the statements with their values)."""
    with connection.cursor() as cursor:
        counts = []
        for query in captured.captured_queries:
            cursor.execute(query["sql"])
            counts.append(len(cursor.fetchall()))
    return counts


@pytest.mark.parametrize("who", ["office", "everywhere"])
def test_its_queries_and_rows_do_not_grow_with_unrelated_history(world, office, who):
    user = User.objects.get(pk=(office if who == "office" else world["everywhere"]).pk)
    asked = world["asked"]
    expert_calibration(user)  # the user's programmes are read once per user object
    # Their own sheets with their names, every sheet of those panels, and the points of the
    # sheets there without stored totals (x3's on A1); as ids or as a queryset (a subquery).
    with exactly(3) as first:
        before = expert_calibration(user, experts=asked)
    fetched = _rows_fetched(first)
    with exactly(3):
        assert expert_calibration(user, experts=User.objects.filter(pk__in=asked)) == before
    read = len(sheets_read(user, asked))
    # A0 (3 + 2), A1 (4: not the revoked one), A3 (1), and B0 (2) for whoever serves it.
    assert read == (10 if who == "office" else 12)
    everything = len(sheets_read(user))

    _unrelated_history(world, random.Random(3))

    with exactly(3) as again:
        assert expert_calibration(user, experts=asked) == before
    assert _rows_fetched(again) == fetched
    with exactly(3):
        assert expert_calibration(user, experts=User.objects.filter(pk__in=asked)) == before
    assert len(sheets_read(user, asked)) == read
    assert len(sheets_read(user)) == everything + (15 if who == "office" else 24)


# --- the pages ------------------------------------------------------------------------------


def _table(html: str) -> str:
    """The calibration's section of a page ("" when there is none)."""
    found = re.search(r'<section class="card" id="calibration">.*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_the_cycle_page_shows_the_pool_only_with_the_full_figures(world, client, office):
    x1 = world["x1"]
    ProgrammeMembership.objects.filter(user=x1, programme=world["programme"]).delete()
    client.force_login(office)
    table = _table(client.get(f"/review/cycles/{world['cycle'].pk}/").content.decode())
    full = {c.expert_id: c for c in expert_calibration(office)}
    assert x1.pk in full  # still in the full list: x1 sat on the programme's panels
    assert x1.username not in table  # but no longer in its pool
    for expert_id in world["asked"]:
        c = full[expert_id]
        assert c.username in table
        offset = f"{'+' if c.offset_display > 0 else ''}{c.offset_display}" if c.sheets else "—"
        assert offset in table


def test_the_expert_pool_page_calibrates_the_experts_of_the_page_shown(
    client, programme, review_cycle, office
):
    experts = make_experts(programme, 27, pledge=False)
    order = list(experts_visible_to(office).values_list("pk", flat=True))
    first, last = (User.objects.get(pk=order[0]), User.objects.get(pk=order[-1]))
    assert first in experts and last in experts
    (app,) = make_accepted(review_cycle, 1)
    _panel(app, Stage.DOCUMENT, [first, last], random.Random(5))
    client.force_login(office)
    page_1 = _table(client.get("/review/experts/").content.decode())
    page_2 = _table(client.get("/review/experts/?page=2").content.decode())
    assert first.username in page_1 and last.username not in page_1
    assert last.username in page_2 and first.username not in page_2


@pytest.mark.parametrize(
    "role, cycle_page, pool_page",
    [
        ("office", True, True),
        ("supervisor", True, True),
        ("committee", False, None),
        ("government", False, None),
        ("expert", None, None),
    ],
)
def test_only_the_office_and_the_supervisor_see_it_on_the_pages(
    world, client, programme, role, cycle_page, pool_page
):
    """True: the page shows the calibration; False: the page without it; None: refused."""
    client.force_login(staff_user(role, programme=programme, is_staff=role != "expert"))
    for url, shown in (
        (f"/review/cycles/{world['cycle'].pk}/", cycle_page),
        ("/review/experts/", pool_page),
    ):
        response = client.get(url)
        if shown is None:
            assert response.status_code in (403, 404), url
        else:
            assert response.status_code == 200, url
            assert bool(_table(response.content.decode())) is shown, url
            assert ("专家评分尺度" in response.content.decode()) is shown, url
