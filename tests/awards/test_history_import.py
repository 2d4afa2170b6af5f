"""Recording winners from before the portal: absurd years are messages, the file is capped and
streamed, and the queries do not grow with the rows (issue 8 items 5 and 9)."""

import datetime as dt
import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from awards.enums import AwardStatus
from awards.models import Award
from awards.services.history import MAX_ROWS, import_award, import_awards_xlsx, year_of
from common import audit
from common.models import AuditEntry
from common.zipsafe import MB
from tests.factories import OrganisationFactory
from tests.factories.files import RawNumber, xlsx
from tests.queries import exactly

pytestmark = pytest.mark.unit

HEADER = ["uscc", "year", "announced_on"]


@pytest.fixture
def office_page(office) -> Client:
    client = Client()
    client.force_login(office)
    return client


def _post_file(client, programme, data: bytes, name: str = "history.xlsx"):
    return client.post(
        "/awards/import/file/",
        {"programme": programme.pk, "file": SimpleUploadedFile(name, data)},
    )


def _form_errors(response) -> list[str]:
    form = response.context["file_form"]
    return [str(e) for errors in form.errors.values() for e in errors]


# --- item 5: absurd years ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        (RawNumber("1e400"), "inf"),
        (RawNumber("-1e400"), "-inf"),
        ("1e400", "1e400"),
        ("inf", "inf"),
        ("nan", "nan"),
        (RawNumber("2020.5"), "2020.5"),
        (True, "True"),
    ],
)
def test_absurd_year_in_the_xlsx_is_a_row_error_issue8_item5(office_page, programme, cell, shown):
    org = OrganisationFactory()
    response = _post_file(office_page, programme, xlsx([HEADER, [org.uscc, cell, "2020-12-01"]]))
    assert response.status_code == 400
    assert _form_errors(response) == [f"第2行：年度“{shown}”不正确，应为四位数字的年份。"]
    assert not Award.objects.exists()


@pytest.mark.parametrize("cell", [RawNumber("1" + "0" * 30), -5, 0, 2027])
def test_year_out_of_range_in_the_xlsx_is_a_row_error_issue8_item5(office_page, programme, cell):
    org = OrganisationFactory()
    response = _post_file(office_page, programme, xlsx([HEADER, [org.uscc, cell, "2020-12-01"]]))
    assert response.status_code == 400
    assert _form_errors(response) == ["第2行：年度应为1990年至今年之间的年份。"]


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("1e400", "年度应为四位数字的年份，如2020。"),
        ("inf", "年度应为四位数字的年份，如2020。"),
        ("nan", "年度应为四位数字的年份，如2020。"),
        ("1" + "0" * 30, "年度不能晚于2100年。"),
        ("-5", "年度不能早于1990年。"),
    ],
)
def test_absurd_year_in_the_form_is_a_field_error_issue8_item5(
    office_page, programme, year, message
):
    org = OrganisationFactory()
    response = office_page.post(
        "/awards/import/one/",
        {
            "organisation": org.pk,
            "programme": programme.pk,
            "year": year,
            "announced_on": "2020-12-01",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"year": [message]}
    assert not Award.objects.exists()


@pytest.mark.parametrize(
    ("value", "year"), [(2020, 2020), (2020.0, 2020), ("2020", 2020), (" 2021 ", 2021)]
)
def test_year_cells_that_are_whole_years(value, year):
    assert year_of(value) == year


# --- item 9: capped, streamed, constant queries ----------------------------------------------


def test_history_file_declaring_100000_rows_is_refused_at_the_limit_issue8_item9(office, programme):
    """1.6 KB that declares 100,000 rows: refused when row MAX_ROWS + 2 is reached, without
    reading the rest (the code before listed every row: no limit at all)."""
    data = xlsx(
        {1: HEADER, 2: ["x", 2020, "2020-12-01"], 100_000: ["y", 2020, "2020-12-01"]},
        dimension="A1:C100000",
    )
    assert len(data) < 2 * 1024
    tracemalloc.start()
    count, errors = import_awards_xlsx(data=data, programme=programme, actor=office)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (count, errors) == (
        0,
        [f"一次最多导入{MAX_ROWS}行（空行也计入），本文件超过了{MAX_ROWS}行，请分批导入。"],
    )
    assert peak < 50 * MB


def test_history_file_over_5_mb_is_refused_before_reading_issue8_item9(office_page, programme):
    data = b"PK\x03\x04" + bytes(5 * MB)
    response = _post_file(office_page, programme, data)
    assert response.status_code == 400
    assert response.context["file_form"].errors == {"file": ["文件不能超过5 MB。"]}


def _history_rows(n: int) -> list[list]:
    orgs = OrganisationFactory.create_batch(n)
    # Three winners a year (the quota, R7), from 2010 on.
    return [HEADER] + [
        [o.uscc, 2010 + i // 3, dt.date(2010 + i // 3, 12, 1)] for i, o in enumerate(orgs)
    ]


@pytest.mark.parametrize("item_count", [3, 30])
def test_history_import_queries_do_not_grow_with_rows_issue8_item9(office, programme, item_count):
    data = xlsx(_history_rows(item_count))
    audit.record(action="test.warm_up", actor=office, obj=programme)  # chain head, caches
    # organisations; awards already recorded; savepoint; R7 (programme locked, awards per year,
    # cycles of those years); one insert; the audit entry (savepoint, chain head locked, entry,
    # head moved, release); release
    with exactly(13):
        count, errors = import_awards_xlsx(data=data, programme=programme, actor=office)
    assert (count, errors) == (item_count, [])
    awards = Award.objects.filter(programme=programme, imported=True)
    assert awards.count() == item_count
    assert {a.status for a in awards} == {AwardStatus.EXPIRED}
    assert all(a.valid_until == dt.date(a.year + 3, 12, 1) for a in awards)
    (entry,) = AuditEntry.objects.filter(action="award.imported")
    assert (entry.object_id, entry.actor_id) == (str(programme.pk), office.pk)
    assert entry.data["rows"] == item_count
    assert sorted(a["award"] for a in entry.data["awards"]) == sorted(a.pk for a in awards)


def test_history_import_errors_are_numbered_as_in_the_file(office, programme):
    (org,) = OrganisationFactory.create_batch(1)
    rows = {
        1: HEADER,
        2: [org.uscc, 2020, "2020-12-01"],
        4: ["91150623MA0000000X", 2020, "2020-12-01"],  # row 3 is blank
        5: [org.uscc, 2020, "2021-01-05"],
    }
    count, errors = import_awards_xlsx(data=xlsx(rows), programme=programme, actor=office)
    assert count == 0
    assert errors == [
        "第4行：统一社会信用代码“91150623MA0000000X”不是已注册的组织。",
        "第5行：该组织2020年度的奖项在文件中重复。",
    ]
    assert not Award.objects.exists()


def test_history_import_refuses_an_award_already_recorded(office, programme):
    org = OrganisationFactory(name="绿原乳业有限公司")
    data = xlsx([HEADER, [org.uscc, 2020, "2020-12-01"]])
    assert import_awards_xlsx(data=data, programme=programme, actor=office) == (1, [])
    assert import_awards_xlsx(data=data, programme=programme, actor=office) == (
        0,
        ["绿原乳业有限公司2020年度的奖项已登记。"],
    )
    assert Award.objects.count() == 1


def test_history_page_imports_a_real_openpyxl_file(office_page, programme):
    from openpyxl import Workbook

    org = OrganisationFactory()
    book = Workbook()
    book.active.append(HEADER)
    book.active.append([org.uscc, 2024, dt.date(2025, 1, 10)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _post_file(office_page, programme, buffer.getvalue())
    assert response.status_code == 302
    award = Award.objects.get()
    assert (award.year, award.valid_until, award.status) == (
        2024,
        dt.date(2028, 1, 10),
        AwardStatus.ACTIVE,
    )


def test_a_historical_import_never_pushes_a_year_past_its_quota_R7(office, programme):
    """Issue 9 §5: three winners in 2015 already recorded, a fourth is refused with R7."""
    from tests.conftest import login_api

    for org in OrganisationFactory.create_batch(3):
        import_award(
            organisation=org,
            programme=programme,
            year=2015,
            announced_on=dt.date(2015, 12, 1),
            actor=office,
        )
    fourth = OrganisationFactory()
    response = login_api(office).post(
        "/api/v1/awards/import/",
        {
            "organisation": fourth.pk,
            "programme": programme.pk,
            "year": 2015,
            "announced_on": "2015-12-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["rule"] == "R7"
    rows = [HEADER, [fourth.uscc, 2015, dt.date(2015, 12, 1)]]
    count, errors = import_awards_xlsx(data=xlsx(rows), programme=programme, actor=office)
    assert count == 0
    assert errors[0].startswith("R7：2015年度已登记3个")
    assert Award.objects.filter(programme=programme, year=2015).count() == 3
