"""Spreadsheets in and out, one way each (issue 8, items 5, 6 and 9).

Out: every exported row goes through :func:`append_row`. Text is always written as a text cell,
so an organisation named ``=HYPERLINK(...)`` stays a name and never becomes a live formula; text
that a spreadsheet would read as a formula (``= + - @``, tab, CR) also gets Excel's quote prefix,
so it stays text when someone edits the cell. Lazy translations and any other object become their
text, so a label never breaks an export.

In: :func:`read_rows` streams an uploaded XLSX (openpyxl read-only, after the ZIP checks of
:mod:`common.zipsafe`) or CSV (line by line) and stops as soon as the row limit is passed, without
building the whole sheet; :func:`check_size` caps the file before it is read.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils.translation import gettext

from .exceptions import ApplicationError
from .zipsafe import MB, SafeZip, UnsafePackage, ZipLimits

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters XML 1.0 cannot hold (openpyxl refuses them with an exception).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NATIVE = (bool, int, float, Decimal, dt.date, dt.time, dt.timedelta)
# An import workbook is a few sheets of text: far less than an evidence file may be.
IMPORT_ZIP_LIMITS = ZipLimits(max_members=500, max_total_bytes=30 * MB)
_CHUNK = 64 * 1024


# --- Writing -------------------------------------------------------------------------------------


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet evaluate this text if it were typed in (OWASP CSV injection)?"""
    return text.startswith(FORMULA_PREFIXES)


def cell_value(value):
    """What is written for ``value``: numbers, dates and None as they are, everything else
    (str, lazy translations, enums, other objects) as its text without XML-illegal
    characters."""
    if value is None or isinstance(value, _NATIVE):
        return value
    return _ILLEGAL.sub("\ufffd", str(value))


def new_workbook():
    """An export's workbook, write-only: rows stream to a temporary file as they are appended,
    so a sheet of 10,000 rows costs the memory of one row (issue 12; bench/xlsx.py measures
    it). Sheets come from ``book.create_sheet(title)``."""
    from openpyxl import Workbook  # noqa: PLC0415 - openpyxl only where a sheet is built

    return Workbook(write_only=True)


def append_row(sheet, values: Iterable) -> None:
    """Append one row to an openpyxl worksheet, every text as a text cell (never a formula)."""
    from openpyxl.cell.cell import Cell, WriteOnlyCell  # noqa: PLC0415 - only where a sheet is built

    make = WriteOnlyCell if _write_only(sheet) else Cell
    cells = []
    for value in values:
        cell = make(sheet, value=cell_value(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl made "=..." a formula ("f"): it is text
            if is_formula_like(cell.value):
                cell.quotePrefix = True
        cells.append(cell)
    sheet.append(cells)


def _write_only(sheet) -> bool:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet  # noqa: PLC0415

    return isinstance(sheet, WriteOnlyWorksheet)


def workbook_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Reading -------------------------------------------------------------------------------------


class RowLimitExceeded(ApplicationError):
    def __init__(self, max_rows: int) -> None:
        super().__init__(
            f"一次最多导入{max_rows}行（空行也计入），本文件超过了{max_rows}行，请分批导入。",
            field="file",
        )
        self.max_rows = max_rows


def check_size(data: bytes, *, max_bytes: int) -> None:
    """Refuse an import file larger than ``max_bytes`` before reading any of it."""
    if len(data) > max_bytes:
        raise ApplicationError(
            gettext("文件大小为%(value)s MB，超过%(value2)s MB的上限。")
            % {"value": format(len(data) / MB, ".1f"), "value2": format(max_bytes / MB, "g")},
            field="file",
        )


def _csv_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030, decided by decoding in chunks (no copy of the
    whole text)."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), _CHUNK):
                decoder.decode(data[start : start + _CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ApplicationError(gettext("CSV文件编码无法识别（请使用UTF-8或GB18030）。"), field="file")


def _csv_rows(data: bytes, max_columns: int) -> Iterator[list]:
    if b"\x00" in data[:1024]:
        raise ApplicationError(gettext("仅支持CSV或XLSX文件。"), field="file")
    text = io.TextIOWrapper(io.BytesIO(data), encoding=_csv_encoding(data), newline="")
    try:
        for row in csv.reader(text):
            yield row[:max_columns]
    except csv.Error as exc:
        raise ApplicationError(
            gettext("CSV文件格式有误：%(exc)s") % {"exc": exc}, field="file"
        ) from exc


def _xlsx_rows(data: bytes, max_columns: int) -> Iterator[list]:
    try:
        SafeZip(io.BytesIO(data), IMPORT_ZIP_LIMITS)  # before openpyxl inflates anything
    except UnsafePackage as exc:
        raise ApplicationError(
            gettext("无法读取该XLSX文件：%(message)s") % {"message": exc.message}, field="file"
        ) from exc
    from openpyxl import load_workbook  # noqa: PLC0415 - only for XLSX imports

    book = None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for row in book.active.iter_rows(max_col=max_columns, values_only=True):
            yield list(row)
    except ApplicationError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ApplicationError(gettext("无法读取该XLSX文件。"), field="file") from exc
    finally:
        if book is not None:
            book.close()


def read_rows(
    data: bytes,
    *,
    max_rows: int,
    max_columns: int,
    header_rows: int = 1,
    csv_allowed: bool = True,
) -> Iterator[tuple[int, list]]:
    """``(row number in the file, cells)`` of an XLSX workbook's active sheet (judged by
    content) or else of a CSV file, blank rows included, each cut to ``max_columns`` cells.

    Rows are read one at a time; :class:`RowLimitExceeded` is raised on the first row past
    ``header_rows + max_rows``, before anything after it is read. Other failures are
    ``ApplicationError`` on ``file``."""
    if data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data, max_columns)
    elif csv_allowed:
        rows = _csv_rows(data, max_columns)
    else:
        raise ApplicationError(gettext("无法读取该XLSX文件。"), field="file")
    try:
        for number, row in enumerate(rows, start=1):
            if number > header_rows + max_rows:
                raise RowLimitExceeded(max_rows)
            yield number, row
    finally:
        rows.close()


def is_blank(row: Iterable) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in row)
