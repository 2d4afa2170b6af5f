"""One way to write a cell and one way to read rows (issue 8 items 6 and 9)."""

import datetime as dt
import io
import tracemalloc
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from common.exceptions import ApplicationError
from common.spreadsheets import (
    FORMULA_PREFIXES,
    RowLimitExceeded,
    append_row,
    check_size,
    read_rows,
    workbook_bytes,
)
from common.zipsafe import MB
from tests.factories.files import docx_bomb, xlsx

pytestmark = pytest.mark.unit

HYPERLINK = '=HYPERLINK("http://x","y")'


def _written(values: list) -> list:
    book = Workbook()
    append_row(book.active, values)
    return next(load_workbook(io.BytesIO(workbook_bytes(book))).active.iter_rows())


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_text_that_looks_like_a_formula_is_written_as_text_issue8_item6(prefix):
    text = f'{prefix}HYPERLINK("http://x","y")'
    (cell,) = _written([text])
    # A CR may come back as LF (XML end-of-line handling, with the stdlib parser; lxml keeps
    # it); the cell is text with the quote prefix either way.
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert cell.value in (text, text.replace("\r", "\n"))


def test_hyperlink_name_is_a_text_cell_not_a_formula_issue8_item6():
    (cell, plain) = _written([HYPERLINK, "绿原乳业"])
    assert (cell.data_type, cell.value) == ("s", HYPERLINK)
    assert (plain.data_type, plain.value, plain.quotePrefix) == ("s", "绿原乳业", False)


def test_numbers_dates_lazy_labels_and_control_characters_issue8_item5():
    cells = _written(
        [Decimal("800.50"), 3, None, dt.date(2026, 1, 2), gettext_lazy("现场评审"), "a\x07b"]
    )
    assert [c.value for c in cells[:2]] == [800.5, 3]
    assert cells[2].value is None
    assert cells[3].value == dt.datetime(2026, 1, 2)
    assert (cells[4].data_type, cells[4].value) == ("s", "现场评审")
    assert cells[5].value == "a\ufffdb"


def test_rows_stop_at_the_limit_of_a_sheet_declaring_100000_rows_issue8_item9():
    data = xlsx({1: ["h"], 2: ["a"], 100_000: ["z"]}, dimension="A1:F100000")
    assert len(data) < 2 * 1024
    seen = []
    tracemalloc.start()
    with pytest.raises(RowLimitExceeded) as refused:
        for number, _row in read_rows(data, max_rows=50, max_columns=6):
            seen.append(number)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert seen == list(range(1, 52))  # the header and 50 rows, blank ones included
    assert refused.value.message == "一次最多导入50行（空行也计入），本文件超过了50行，请分批导入。"
    assert peak < 10 * MB


def test_csv_rows_are_read_line_by_line_and_stop_at_the_limit_issue8_item9():
    data = "".join(f"{i},x\n" for i in range(200_000)).encode()
    numbers = []
    tracemalloc.start()
    with pytest.raises(RowLimitExceeded):
        for number, row in read_rows(data, max_rows=10, max_columns=2):
            numbers.append((number, row))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert numbers[:2] == [(1, ["0", "x"]), (2, ["1", "x"])]
    assert len(numbers) == 11
    assert peak < len(data) / 4  # the text is never decoded whole


def test_columns_are_cut_to_the_maximum():
    rows = list(read_rows(b"a,b,c,d,e\n", max_rows=5, max_columns=3))
    assert rows == [(1, ["a", "b", "c"])]
    rows = list(read_rows(xlsx([["a", "b", "c", "d"]]), max_rows=5, max_columns=2))
    assert rows == [(1, ["a", "b"])]


def test_xlsx_zip_bomb_is_refused_before_openpyxl_opens_it_issue8_item7():
    with pytest.raises(ApplicationError) as refused:
        list(read_rows(docx_bomb(40), max_rows=5, max_columns=3))
    assert refused.value.message.startswith("无法读取该XLSX文件：")
    assert "超过30 MB的上限" in refused.value.message


def test_size_cap_refuses_before_reading_issue8_item9():
    with pytest.raises(ApplicationError) as refused:
        check_size(b"x" * (5 * MB + 1), max_bytes=5 * MB)
    assert refused.value.message == "文件大小为5.0 MB，超过5 MB的上限。"
    check_size(b"x" * (5 * MB), max_bytes=5 * MB)


def test_broken_csv_is_a_message_not_an_error():
    with pytest.raises(ApplicationError, match="CSV文件编码无法识别"):
        list(read_rows(b"a,b\n\xff\xfe\xff", max_rows=5, max_columns=3))
    with pytest.raises(ApplicationError, match="CSV文件格式有误"):
        list(read_rows(b'"' + b"x" * 200_000, max_rows=5, max_columns=3))
