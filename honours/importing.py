"""Importing honours granted elsewhere from CSV or XLSX (issue 13 item 3): every row is checked
first, then all rows are recorded or none, with the errors by row number. Rows are streamed
(common.spreadsheets) and the file is capped before it is read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext

from common import spreadsheets
from common.exceptions import ApplicationError
from common.spreadsheets import RowLimitExceeded, check_size, is_blank
from organisations.models import Organisation
from organisations.uscc import normalise

from .enums import HonourKind
from .models import Honour
from .services import record_honour, validate_honour

COLUMNS = ("uscc", "kind", "title", "issuer", "granted_on", "valid_until")
REQUIRED = ("uscc", "kind", "title", "issuer", "granted_on")
HEADER_ALIASES = {
    "统一社会信用代码": "uscc",
    "荣誉类别": "kind",
    "荣誉名称": "title",
    "授予机关": "issuer",
    "授予日期": "granted_on",
    "有效期至": "valid_until",
}
_KIND_BY_LABEL = {str(label): value for value, label in HonourKind.choices}
MAX_ROWS = 5000
MAX_COLUMNS = 20
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _date(value) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip().replace("/", "-"))


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def import_honours(*, data: bytes, actor) -> ImportReport:
    report = ImportReport()
    header: list[str] | None = None
    numbered: list[tuple[int, list]] = []
    try:
        check_size(data, max_bytes=MAX_IMPORT_BYTES)
        for number, raw in spreadsheets.read_rows(data, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS):
            if is_blank(raw):
                continue
            if header is not None:
                numbered.append((number, raw))
                continue
            header = [HEADER_ALIASES.get(_text(c), _text(c).lower()) for c in raw]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                report.errors.append(
                    (
                        number,
                        gettext("表头缺少列：%(missing)s（应为 %(columns)s）。")
                        % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)},
                    )
                )
                return report
    except RowLimitExceeded as exc:
        report.errors.append((0, exc.message))
        return report
    except ApplicationError as exc:
        report.errors.append((0, exc.message))
        return report
    if header is None:
        report.errors.append((0, gettext("文件是空的。")))
        return report
    cells = [
        {h: (raw[i] if i < len(raw) else None) for i, h in enumerate(header)} for _, raw in numbered
    ]
    orgs = {
        o.uscc: o
        for o in Organisation.objects.filter(
            uscc__in=[normalise(_text(c.get("uscc"))) for c in cells]
        )
    }
    existing = set(
        Honour.objects.filter(organisation__in=orgs.values()).values_list(
            "organisation_id", "kind", "title", "granted_on"
        )
    )
    seen: dict[tuple, int] = {}
    valid = []
    for (number, _raw), row in zip(numbered, cells, strict=True):
        problems = []
        org = orgs.get(normalise(_text(row.get("uscc"))))
        if org is None:
            problems.append(
                gettext("统一社会信用代码“%(uscc)s”不是已注册的组织")
                % {"uscc": _text(row.get("uscc"))}
            )
        kind = _text(row.get("kind"))
        kind = _KIND_BY_LABEL.get(kind, kind)
        dates = {}
        for name, label in (
            ("granted_on", gettext("授予日期")),
            ("valid_until", gettext("有效期至")),
        ):
            try:
                dates[name] = _date(row.get(name))
            except (TypeError, ValueError):
                dates[name] = None
                problems.append(
                    gettext("%(label)s“%(value)s”不是日期（YYYY-MM-DD）")
                    % {"label": label, "value": _text(row.get(name))}
                )
        title, issuer = _text(row.get("title")), _text(row.get("issuer"))
        errors = validate_honour(
            kind=kind,
            title=title,
            issuer=issuer,
            granted_on=dates["granted_on"],
            valid_until=dates["valid_until"],
        )
        if "granted_on" in errors and _text(row.get("granted_on")) and dates["granted_on"] is None:
            errors.pop("granted_on")  # already said: not a date
        problems.extend(m.rstrip("。") for m in errors.values())
        if org is not None and dates["granted_on"] is not None and not problems:
            key = (org.pk, kind, title, dates["granted_on"])
            if key in existing:
                problems.append(gettext("该荣誉已登记"))
            elif key in seen:
                problems.append(gettext("与第%(row)s行重复") % {"row": seen[key]})
            seen.setdefault(key, number)
        if problems:
            report.errors.append((number, "；".join(problems) + "。"))
        else:
            valid.append((org, kind, title, issuer, dates["granted_on"], dates["valid_until"]))
    report.rows = len(numbered)
    if report.errors:
        return report
    with transaction.atomic():
        for org, kind, title, issuer, granted_on, valid_until in valid:
            record_honour(
                organisation=org,
                kind=kind,
                title=title,
                issuer=issuer,
                granted_on=granted_on,
                valid_until=valid_until,
                actor=actor,
            )
    report.created = len(valid)
    return report
