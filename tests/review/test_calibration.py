"""Expert calibration (issue 14 item 4): figures equal hand-computed ones on a small panel, the
office and the supervisor read them (others not), constant queries, nothing written."""

from decimal import Decimal

import pytest

from applications.enums import ApplicationStatus as S
from programmes.selectors import criteria_items
from review.calibration import expert_calibration
from review.enums import AssignmentStatus, Stage
from review.models import ItemScore
from tests.factories import EnterpriseUserFactory, ProgrammeFactory, staff_user
from tests.queries import exactly

from .conftest import login_api, make_accepted, make_experts, scored_sheet, set_status

URL = "/api/v1/experts/calibration/"


def uniform(cycle, percent: int, **by_category: int) -> dict:
    """Every item at ``percent``, except the items of the named categories (``c4_1=100``)."""
    chosen = {k[1:].replace("_", "."): v for k, v in by_category.items()}
    return {
        i.code: chosen.get(i.category.code, percent) for i in criteria_items(cycle.criteria_set_id)
    }


@pytest.fixture
def panel(programme, review_cycle):
    """3 experts, 2 applications (document stage). Totals, out of 1000:

    A1: E1 800, E2 700, E3 600.
    A2: E1 900, E2 644 (60 % everywhere but 100 % on category 4.1, 110 points: 600 + 44).
    E3 also has a lone on-site sheet on A2 (no one to compare with) and E2 a revoked one on A1
    (withdrawn work: not counted).
    """
    a1, a2 = make_accepted(review_cycle, 2)
    for app in (a1, a2):
        set_status(app, S.DOCUMENT_REVIEW)
    e1, e2, e3 = make_experts(programme, 3)
    e1.name, e2.name, e3.name = "甲专家", "乙专家", "丙专家"
    for e in (e1, e2, e3):
        e.save(update_fields=["name"])
    scored_sheet(a1, e1, Stage.DOCUMENT, 80)
    scored_sheet(a1, e2, Stage.DOCUMENT, 70)
    scored_sheet(a1, e3, Stage.DOCUMENT, 60)
    scored_sheet(a2, e1, Stage.DOCUMENT, 90)
    scored_sheet(a2, e2, Stage.DOCUMENT, uniform(review_cycle, 60, c4_1=100))
    scored_sheet(a2, e3, Stage.ONSITE, 50)
    revoked = scored_sheet(a1, e2, Stage.ONSITE, 100)
    revoked.status = AssignmentStatus.REVOKED
    revoked.save(update_fields=["status"])
    return {"e1": e1, "e2": e2, "e3": e3, "a1": a1, "a2": a2}


def test_calibration_figures_equal_hand_computed_ones(panel, office):
    # Differences from the other members' mean:
    #   E1: A1 800 - (700+600)/2 = 150;  A2 900 - 644 = 256   -> offset 203
    #   E2: A1 700 - (800+600)/2 = 0;    A2 644 - 900 = -256  -> offset -128
    #   E3: A1 600 - (800+700)/2 = -150                       -> offset -150, one sheet
    # Spread, the sample standard deviation of the differences: |d1 - d2| / sqrt(2).
    # Category 4.1 (110 points): E1 A1 88 - (77+66)/2 = 16.5, A2 99 - 110 = -11 -> 2.75;
    #   E2 A1 77 - (88+66)/2 = 0, A2 110 - 99 = 11 -> 5.5;  E3 66 - (88+77)/2 = -16.5.
    # Category 4.7 (400 points): E1 (60 + 120)/2 = 90; E2 (0 - 120)/2 = -60; E3 240 - 300 = -60.
    body = login_api(office).get(URL).json()
    assert body["count"] == 3
    rows = {r["username"]: r for r in body["results"]}
    e1, e2, e3 = (rows[panel[k].username] for k in ("e1", "e2", "e3"))
    assert (e1["sheets"], e1["submitted"], e1["offset"], e1["spread"]) == (2, 2, "203.00", "74.95")
    assert (e2["sheets"], e2["submitted"], e2["offset"], e2["spread"]) == (
        2,
        2,
        "-128.00",
        "181.02",
    )
    assert (e3["sheets"], e3["submitted"], e3["offset"], e3["spread"]) == (1, 2, "-150.00", None)
    assert (e1["by_category"]["4.1"], e2["by_category"]["4.1"], e3["by_category"]["4.1"]) == (
        "2.75",
        "5.50",
        "-16.50",
    )
    assert (e1["by_category"]["4.7"], e2["by_category"]["4.7"], e3["by_category"]["4.7"]) == (
        "90.00",
        "-60.00",
        "-60.00",
    )
    assert e1["expert"] == panel["e1"].pk and e1["name"] == "甲专家"
    assert sorted(e1["by_category"]) == ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7"]


def test_the_offsets_per_category_add_up_to_the_offset_exactly(panel, office):
    for c in expert_calibration(office):
        assert sum(c.by_category.values()) == c.offset


def test_calibration_never_writes_and_its_queries_are_constant(panel, office, review_cycle):
    marks = list(ItemScore.objects.order_by("pk").values_list("pk", "percent"))
    client = login_api(office)
    client.get(URL)  # the user's roles and programmes are read once per user object
    with exactly(3):
        assert client.get(URL).status_code == 200
    more_apps = make_accepted(review_cycle, 3)
    more_experts = make_experts(review_cycle.programme, 4)
    for app in more_apps:
        for i, e in enumerate(more_experts):
            scored_sheet(app, e, Stage.DOCUMENT, 50 + 5 * i)
    with exactly(3) as many:
        body = client.get(URL).json()
    assert body["count"] == 7
    assert all(
        q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE")) for q in many
    )
    assert ItemScore.objects.filter(pk__in=[p for p, _ in marks]).count() == len(marks)
    assert (
        list(
            ItemScore.objects.filter(pk__in=[p for p, _ in marks])
            .order_by("pk")
            .values_list("pk", "percent")
        )
        == marks
    )


def test_only_the_office_and_the_supervisor_read_the_calibration(
    panel, programme, office, supervisor, committee, government, expert, api
):
    enterprise = EnterpriseUserFactory()
    answers = {
        role: login_api(user).get(URL).status_code
        for role, user in {
            "office": office,
            "supervisor": supervisor,
            "committee": committee,
            "government": government,
            "expert": expert,
            "enterprise": enterprise,
        }.items()
    }
    assert answers == {
        "office": 200,
        "supervisor": 200,
        "committee": 403,
        "government": 403,
        "expert": 403,
        "enterprise": 403,
    }
    assert api.get(URL).status_code == 401


def test_an_office_of_another_programme_sees_none_of_these_sheets(panel):
    elsewhere = staff_user("office", programme=ProgrammeFactory(code="other"), username="o2")
    assert login_api(elsewhere).get(URL).json()["count"] == 0


def test_the_pages_show_the_calibration_to_the_office_and_the_supervisor(
    panel, client, office, supervisor, committee, review_cycle
):
    for user in (office, supervisor):
        client.force_login(user)
        for url in ("/review/experts/", f"/review/cycles/{review_cycle.pk}/"):
            html = client.get(url).content.decode()
            assert "专家评分尺度" in html, (user.username, url)
            assert "+203.00" in html and "-128.00" in html
    client.force_login(committee)
    response = client.get(f"/review/cycles/{review_cycle.pk}/")
    assert response.status_code == 200 and "专家评分尺度" not in response.content.decode()


def test_spread_is_none_with_one_sheet_and_exact_with_two(panel, office):
    rows = {c.username: c for c in expert_calibration(office)}
    assert rows[panel["e3"].username].spread is None
    # 106 / sqrt(2), to 28 significant digits before rounding for display.
    assert abs(rows[panel["e1"].username].spread - Decimal(106) / Decimal(2).sqrt()) < Decimal(
        "1e-20"
    )
