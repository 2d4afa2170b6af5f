"""The dossier workbook keeps every name and answer as text (issue 8 item 6)."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from applications.enums import ApplicationStatus as S
from awards.dossier import dossier_xlsx
from awards.models import Award
from tests.awards.conftest import make_award
from tests.factories import ApplicationFactory, ApplicationVersionFactory, CycleFactory

pytestmark = pytest.mark.unit

HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.fixture
def award_with_application(programme, office) -> Award:
    award = make_award(
        programme, office=office, name=HYPERLINK, region="@SUM(1+1)", industry="+乳制品"
    )
    cycle = CycleFactory(programme=programme, year=2024)
    app = ApplicationFactory(
        cycle=cycle,
        organisation=award.organisation,
        status=S.AWARDED,
        submitted_at=timezone.now(),
        last_submitted_at=timezone.now(),
    )
    ApplicationVersionFactory(
        application=app,
        number=1,
        submitted_at=timezone.now(),
        submitted_by=award.organisation.users.get(),
        content={
            "indicators": [
                {
                    "year": 2023,
                    "revenue": "125000000.00",
                    "profit": "-1000000.5",
                    "tax": "=1+1",
                    "quality_pass_rate": 99.5,
                }
            ]
        },
    )
    Award.objects.filter(pk=award.pk).update(application=app, cycle=cycle)
    award.refresh_from_db()
    return award


def test_dossier_xlsx_writes_formula_like_text_as_text_issue8_item6(award_with_application):
    book = load_workbook(io.BytesIO(dossier_xlsx(award_with_application)))
    sheet = book["获奖组织"]
    rows = {r[0].value: r[1] for r in sheet.iter_rows()}
    for label, text in (("组织名称", HYPERLINK), ("注册地", "@SUM(1+1)"), ("所属行业", "+乳制品")):
        cell = rows[label]
        assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", text, True), label
    assert rows["年度"].value == 2025
    assert rows["公告日期"].value == dt.datetime(2025, 1, 10)
    formulas = [c.coordinate for s in book for r in s.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []


def test_dossier_indicators_are_numbers_and_a_formula_answer_is_text_issue8_item6(
    award_with_application,
):
    book = load_workbook(io.BytesIO(dossier_xlsx(award_with_application)))
    head, row = book["主要指标"].iter_rows()
    assert head[0].value == "年度"
    assert [c.value for c in row] == [2023, 125000000, -1000000.5, "=1+1", 99.5]
    assert [c.data_type for c in row] == ["n", "n", "n", "s", "n"]
