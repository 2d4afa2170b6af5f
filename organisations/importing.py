"""Importing incident records from CSV or XLSX: every row is checked first, and either all rows
are recorded or none, with a row-by-row report of what is wrong."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction

from common.exceptions import ApplicationError

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


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _rows_from_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook  # noqa: PLC0415 - only for XLSX imports

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ApplicationError("无法读取该XLSX文件。", field="file") from exc
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _rows_from_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ApplicationError("CSV文件编码无法识别（请使用UTF-8或GB18030）。", field="file")
    return list(csv.reader(io.StringIO(text)))


def read_rows(data: bytes) -> list[list]:
    """Rows of an XLSX workbook (judged by content) or else of a CSV file."""
    if data.startswith(b"PK\x03\x04"):
        return _rows_from_xlsx(data)
    if b"\x00" in data[:1024]:
        raise ApplicationError("仅支持CSV或XLSX文件。", field="file")
    return _rows_from_csv(data)


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip().replace("/", "-"))


def import_incidents(*, data: bytes, actor) -> ImportReport:
    """Validate every row, then record all of them in one transaction, or none."""
    # Keep each row's number in the file (blank rows included) for the error report.
    numbered = [
        (n, r)
        for n, r in enumerate(read_rows(data), start=1)
        if any(c not in (None, "") for c in r)
    ]
    rows = [r for _, r in numbered]
    report = ImportReport()
    if not rows:
        report.errors.append((0, "文件是空的。"))
        return report
    header = [
        HEADER_ALIASES.get(str(c or "").strip(), str(c or "").strip().lower()) for c in rows[0]
    ]
    missing = [c for c in ("uscc", "kind", "occurred_on", "description") if c not in header]
    if missing:
        report.errors.append(
            (1, f"表头缺少列：{', '.join(missing)}（应为 {', '.join(COLUMNS)}）。")
        )
        return report
    if len(rows) - 1 > MAX_ROWS:
        report.errors.append((0, f"一次最多导入{MAX_ROWS}行。"))
        return report
    orgs = {
        o.uscc: o
        for o in Organisation.objects.filter(
            uscc__in=[
                normalise(str(r[header.index("uscc")] or ""))
                for r in rows[1:]
                if len(r) > header.index("uscc")
            ]
        )
    }
    valid = []
    for number, raw in numbered[1:]:
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
    report.rows = len(rows) - 1
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
