"""An XLSX export of 10,000 rows in bounded memory (issue 12, item 4).

    python -m bench.xlsx

Every export builds its workbook with ``common.spreadsheets.new_workbook`` (openpyxl's
write-only mode) and fills it through ``append_row``. This writes the same rows as the ranking
export's widest sheet (13 columns of Chinese text, numbers and decimals) into such a workbook,
1,000 and 10,000 of them, and compares the Python heap's peak (tracemalloc) while they are
written: in bounded memory the peak does not grow with the rows (ratio near 1; a workbook kept
in memory grows ten-fold). The file's own bytes are the result and are not counted. The same
rows into an ordinary workbook are measured too, to show what the write-only mode saves.
Exits non-zero when the 10,000-row peak is more than twice the 1,000-row peak.
"""

from __future__ import annotations

import os
import sys
import tempfile
import tracemalloc
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "award_portal.test_settings")

import django

django.setup()

from common.spreadsheets import append_row, new_workbook

TARGET_GROWTH_MAX = 2.0


def _row(n: int) -> tuple:
    return (
        n,
        f"ETKQQ-2026-{n:05d}",
        f"鄂托克前旗测试企业{n}有限公司",
        "公示中",
        Decimal("712.35"),
        Decimal("688.10"),
        Decimal("91.20"),
        30,
        Decimal("356.18"),
        Decimal("275.24"),
        Decimal("9.12"),
        Decimal("640.54"),
        "是",
    )


def peak_while_writing(rows: int, *, write_only: bool = True) -> int:
    """Peak heap bytes while ``rows`` rows are appended and the workbook is saved to a file."""
    from openpyxl import Workbook

    tracemalloc.start()
    book = new_workbook() if write_only else Workbook()
    sheet = book.create_sheet("综合评价")
    for n in range(rows):
        append_row(sheet, _row(n))
    with tempfile.TemporaryFile() as out:
        book.save(out)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> int:
    small, large = peak_while_writing(1_000), peak_while_writing(10_000)
    kept_small = peak_while_writing(1_000, write_only=False)
    kept_large = peak_while_writing(10_000, write_only=False)
    growth = large / small
    print(
        f"write-only: 1,000 rows {small / 2**20:.1f} MiB peak, 10,000 rows "
        f"{large / 2**20:.1f} MiB peak: growth {growth:.2f}x (target <= {TARGET_GROWTH_MAX}x)"
    )
    print(
        f"in memory:  1,000 rows {kept_small / 2**20:.1f} MiB peak, 10,000 rows "
        f"{kept_large / 2**20:.1f} MiB peak: growth {kept_large / kept_small:.2f}x"
    )
    if growth > TARGET_GROWTH_MAX:
        print(f"FAIL: the 10,000-row export's peak grew {growth:.2f}x")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
