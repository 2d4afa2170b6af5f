"""Importing incident records from CSV or XLSX: every row is checked first, and either all rows
are recorded or none, with a row-by-row report of what is wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction

from common import spreadsheets
from common.spreadsheets import RowLimitExceeded, check_size, is_blank

from .enums import IncidentKind, IncidentStatus
from .models import Organisation
from .services import record_incident
from .uscc import normalise

COLUMNS = ("uscc", "kind", "occurred_on", "description", "status", "source")
HEADER_ALIASES = {
    "统一社会信用代码": "uscc",
    "类型": "kind",
    "发生日期": "occurred_on",
    "情况说明": "description",
    "核实状态": "status",
    "信息来源": "source",
}
_KIND_BY_LABEL = {str(label): value for value, label in IncidentKind.choices}
_STATUS_BY_LABEL = {str(label): value for value, label in IncidentStatus.choices}
MAX_ROWS = 5000
MAX_COLUMNS = 20  # six are read; the rest is ignored, never held
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(data: bytes) -> Iterator[tuple[int, list]]:
    """Numbered rows of an XLSX workbook (judged by content) or else of a CSV file, streamed and
    stopped past the limit (issue 8 item 9)."""
    check_size(data, max_bytes=MAX_IMPORT_BYTES)
    return spreadsheets.read_rows(data, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip().replace("/", "-"))


def import_incidents(*, data: bytes, actor) -> ImportReport:
    """Validate every row, then record all of them in one transaction, or none. The file is
    read row by row and refused as soon as it passes MAX_ROWS; it never exceeds
    MAX_IMPORT_BYTES."""
    report = ImportReport()
    header: list[str] | None = None
    numbered: list[tuple[int, list]] = []  # each row's number in the file, for the report
    try:
        for number, raw in read_rows(data):
            if is_blank(raw):
                continue
            if header is not None:
                numbered.append((number, raw))
                continue
            header = [
                HEADER_ALIASES.get(str(c or "").strip(), str(c or "").strip().lower()) for c in raw
            ]
            missing = [c for c in ("uscc", "kind", "occurred_on", "description") if c not in header]
            if missing:
                report.errors.append(
                    (number, f"表头缺少列：{', '.join(missing)}（应为 {', '.join(COLUMNS)}）。")
                )
                return report
    except RowLimitExceeded as exc:
        report.errors.append((0, exc.message))
        return report
    if header is None:
        report.errors.append((0, "文件是空的。"))
        return report
    rows = [r for _, r in numbered]
    orgs = {
        o.uscc: o
        for o in Organisation.objects.filter(
            uscc__in=[
                normalise(str(r[header.index("uscc")] or ""))
                for r in rows
                if len(r) > header.index("uscc")
            ]
        )
    }
    valid = []
    for number, raw in numbered:
        row = {h: (raw[i] if i < len(raw) else None) for i, h in enumerate(header)}
        problems = []
        org = orgs.get(normalise(str(row.get("uscc") or "")))
        if org is None:
            problems.append(f"统一社会信用代码“{row.get('uscc') or ''}”不是已注册的组织")
        kind = str(row.get("kind") or "").strip()
        kind = _KIND_BY_LABEL.get(kind, kind)
        if kind not in IncidentKind.values:
            problems.append(f"类型“{kind}”不正确")
        try:
            occurred_on = _date(row.get("occurred_on"))
        except (TypeError, ValueError):
            occurred_on = None
            problems.append(f"发生日期“{row.get('occurred_on') or ''}”不是日期（YYYY-MM-DD）")
        description = str(row.get("description") or "").strip()
        if not description:
            problems.append("情况说明为空")
        status = str(row.get("status") or "").strip() or IncidentStatus.REPORTED
        status = _STATUS_BY_LABEL.get(status, status)
        if status not in IncidentStatus.values:
            problems.append(f"核实状态“{status}”不正确")
        if problems:
            report.errors.append((number, "；".join(problems) + "。"))
        else:
            valid.append(
                (
                    org,
                    kind,
                    occurred_on,
                    description,
                    status,
                    str(row.get("source") or "").strip()[:200],
                )
            )
    report.rows = len(rows)
    if report.errors:
        return report
    with transaction.atomic():
        for org, kind, occurred_on, description, status, source in valid:
            record_incident(
                organisation=org,
                kind=kind,
                occurred_on=occurred_on,
                description=description,
                status=status,
                source=source,
                actor=actor,
            )
    report.created = len(valid)
    return report
