"""The ranking workbook opens, holds the ranking, and never turns a name into a formula
(issue 8 items 5 and 6)."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from applications.enums import ApplicationStatus as S
from organisations.models import Organisation
from review.enums import Stage
from review.ranking import cycle_ranking
from tests.factories import SurveyResponseFactory
from tests.queries import exactly
from tests.review.conftest import scored_sheet, set_status

pytestmark = pytest.mark.unit

HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.fixture
def ranked(w):
    """One application in on-site review: document 800, on-site 800, satisfaction 80, so a
    composite of 800, under an organisation whose name is a formula."""
    Organisation.objects.filter(pk=w.app.organisation_id).update(name=HYPERLINK)
    set_status(w.app, S.ONSITE_REVIEW)
    for expert in w.pool[:3]:
        scored_sheet(w.app, expert, Stage.DOCUMENT, 80)
    scored_sheet(w.app, w.pool[3], Stage.ONSITE, 80, leader=True)
    SurveyResponseFactory(application=w.app, score=80, respondent_kind="customer")
    return w


def _download(w, role: str):
    client = Client()
    client.force_login(w.user(role))
    return client.get(f"/review/cycles/{w.cycle.pk}/ranking.xlsx")


@pytest.mark.parametrize("role", ["office", "committee", "supervisor"])
def test_ranking_xlsx_opens_with_the_ranking_issue8_item5(ranked, role):
    """The export used to raise on the status label (a lazy translation) for everyone."""
    response = _download(ranked, role)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="ranking-2026.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["综合评价", "专家评分"]
    head, row = list(book["综合评价"].iter_rows(values_only=True))
    assert head[:4] == ("排名", "申报编号", "组织", "状态")
    assert row == (
        1,
        ranked.app.pk,
        HYPERLINK,
        "现场评审中",
        800,
        800,
        80,
        1,
        240,
        480,
        80,
        800,
        "是",
    )
    experts = list(book["专家评分"].iter_rows(values_only=True))[1:]
    assert [(e[2], e[3], e[4], e[5]) for e in experts] == [
        ("资料评审", "评审专家甲", None, 800),
        ("资料评审", "评审专家乙", None, 800),
        ("资料评审", "评审专家丙", None, 800),
        ("现场评审", "评审专家丁", "是", 800),
    ]


def test_ranking_xlsx_writes_a_formula_name_as_text_issue8_item6(ranked):
    book = load_workbook(io.BytesIO(_download(ranked, "office").content))
    for sheet, ref in ((book["综合评价"], "C2"), (book["专家评分"], "B2")):
        cell = sheet[ref]
        assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", HYPERLINK, True)
    formulas = [
        c.coordinate for s in book for row in s.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formulas == []


@pytest.mark.parametrize("role", ["expert", "recommender", "owner"])
def test_ranking_xlsx_refused_to_others(ranked, role):
    assert _download(ranked, role).status_code in (403, 404)


def test_ranking_xlsx_costs_the_queries_of_the_ranking(ranked):
    from review.exports import ranking_xlsx

    cycle_ranking(ranked.cycle)  # warm the caches both use
    with exactly(6):
        ranking_xlsx(ranked.cycle)
