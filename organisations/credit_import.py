"""Credit data coming in (issue 14 item 3): the credit department's grades under any scheme and
its serious-dishonesty list (严重失信主体名单), from a CSV, XLSX or JSON file or JSON rows.

One row format for every source:

========== =============================================================================
column     meaning
========== =============================================================================
uscc       the organisation's unified social credit code (check character verified)
kind       ``grade`` (信用等级), ``dishonest`` (严重失信), or an incident kind (``IncidentKind``:
           ``safety_accident``, ``violation``…, codes or labels) for the market regulator's
           incident records, in the row format of the incident import (R11.6)
grade      for ``grade`` rows: a grade of the scheme
scheme     for ``grade`` rows: ``A-D`` (default) or ``AAA-C`` (``organisations.enums``)
source     the rating or listing authority or document (required; audited as the reason)
effective_on  the rating's effective date, or the day the organisation entered the list
removed_on for ``dishonest`` rows: the day it left the list (the first day off it), if any
description, status   for incident rows: what happened, and ``reported`` (default),
           ``verified`` or ``dismissed``; ``occurred_on`` is read as ``effective_on``
========== =============================================================================

Every row is checked first; any error refuses the whole file, each error with its row number
(the file's own row number; for JSON, the position in ``rows`` from 1). Nothing is in the future.
The natural key of a row is (uscc, kind, source, effective_on): a row whose record already
exists with the same content changes nothing, so the same file twice changes nothing; one whose
grade or removal date differs corrects that record. Grade rows of a USCC not registered here are
skipped (reported); dishonesty rows are kept by USCC, so an organisation registering after its
listing is still barred.

This module plans and records the organisations' data; ending the live applications of listed
organisations belongs to the applications layer (``applications.services.credit``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

from django.utils import timezone
from django.utils.translation import gettext

from common import spreadsheets
from common.exceptions import ApplicationError
from common.spreadsheets import RowLimitExceeded, check_size, is_blank

from .enums import INCIDENT_MACHINE, SCHEME_GRADES, CreditScheme, IncidentKind, IncidentStatus
from .models import CreditRating, DishonestyListing, Incident, Organisation
from .services import (
    correct_credit_grade,
    record_dishonesty_listing,
    record_incident,
    set_credit_grade,
    set_incident_status,
)
from .uscc import normalise, uscc_error

COLUMNS = (
    "uscc",
    "kind",
    "grade",
    "scheme",
    "source",
    "effective_on",
    "removed_on",
    "description",
    "status",
)
REQUIRED_COLUMNS = ("uscc", "kind", "source", "effective_on")
HEADER_ALIASES = {
    "统一社会信用代码": "uscc",
    "类别": "kind",
    "数据类别": "kind",
    "等级": "grade",
    "信用等级": "grade",
    "等级体系": "scheme",
    "来源": "source",
    "信息来源": "source",
    "生效日期": "effective_on",
    "评定日期": "effective_on",
    "列入日期": "effective_on",
    "移出日期": "removed_on",
    # The incident import's row format (organisations.importing).
    "occurred_on": "effective_on",
    "发生日期": "effective_on",
    "类型": "kind",
    "情况说明": "description",
    "核实状态": "status",
}
GRADE, DISHONEST, INCIDENT = "grade", "dishonest", "incident"
KIND_ALIASES = {
    GRADE: GRADE,
    "信用等级": GRADE,
    "质量信用等级": GRADE,
    DISHONEST: DISHONEST,
    "严重失信": DISHONEST,
    "严重失信主体": DISHONEST,
    "严重失信主体名单": DISHONEST,
}
_INCIDENT_KINDS = {
    **{v: v for v in IncidentKind.values},
    **{str(label): v for v, label in IncidentKind.choices},
}
_INCIDENT_STATUSES = {
    **{v: v for v in IncidentStatus.values},
    **{str(label): v for v, label in IncidentStatus.choices},
}
SCHEME_ALIASES = {"": CreditScheme.A_D, "A-D": CreditScheme.A_D, "AAA-C": CreditScheme.AAA_C}
MAX_ROWS = 5000
MAX_COLUMNS = 20  # seven are read; the rest is ignored, never held
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class CreditRow:
    number: int
    uscc: str
    kind: str
    source: str
    effective_on: dt.date
    grade: str = ""
    scheme: str = ""
    removed_on: dt.date | None = None
    incident_kind: str = ""
    description: str = ""
    status: str = ""

    @property
    def key(self) -> tuple:
        return (self.uscc, self.kind, self.incident_kind, self.source, self.effective_on)

    def listed_on(self, day: dt.date) -> bool:
        """A dishonesty row that puts the organisation on the list on ``day``."""
        return (
            self.kind == DISHONEST
            and self.effective_on <= day
            and (self.removed_on is None or day < self.removed_on)
        )


@dataclass
class Change:
    """What one row does: ``created``, ``updated`` (a corrected record), ``unchanged`` or
    ``skipped`` (a grade for a USCC not registered here)."""

    row: int
    uscc: str
    kind: str
    action: str
    organisation: int | None
    detail: str
    before: dict | None = None
    after: dict | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class CreditImport:
    dry_run: bool = False
    rows: int = 0
    changes: list[Change] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    # Live applications ended (or, in a dry run, that would end) under R11.5.
    ended_applications: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "rows": self.rows,
            **{a: self.count(a) for a in ("created", "updated", "unchanged", "skipped")},
            "changes": [c.as_dict() for c in self.changes],
            "ended_applications": self.ended_applications,
            "errors": [{"row": row, "detail": msg} for row, msg in self.errors],
        }


# --- Reading ----------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def numbered_from_json(rows) -> list[tuple[int, dict]]:
    """JSON rows, numbered from 1. Raises ApplicationError when ``rows`` is not a list of
    objects or is longer than MAX_ROWS."""
    if not isinstance(rows, list):
        raise ApplicationError(gettext("rows 应为对象数组。"), field="rows")
    if len(rows) > MAX_ROWS:
        raise ApplicationError(
            gettext("一次最多导入%(max)s行，本次有%(count)s行，请分批导入。")
            % {"max": MAX_ROWS, "count": len(rows)},
            field="rows",
        )
    numbered = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise ApplicationError(
                gettext("第%(number)s行不是对象。") % {"number": number}, field="rows"
            )
        numbered.append((number, {k: row.get(k) for k in COLUMNS}))
    return numbered


def _looks_like_json(data: bytes) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[")


def numbered_from_file(data: bytes) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    """The rows of an uploaded file (JSON ``{"rows": [...]}`` or a list, else XLSX by content,
    else CSV with a header row), and any error that stops reading it (row 0 for the file)."""
    check_size(data, max_bytes=MAX_IMPORT_BYTES)
    if _looks_like_json(data):
        try:
            body = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            return [], [(0, f"JSON文件格式有误：{exc}")]
        rows = body.get("rows") if isinstance(body, dict) else body
        try:
            return numbered_from_json(rows), []
        except ApplicationError as exc:
            return [], [(0, exc.message)]
    header: list[str] | None = None
    numbered: list[tuple[int, dict]] = []
    try:
        for number, raw in spreadsheets.read_rows(data, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS):
            if is_blank(raw):
                continue
            if header is None:
                header = [HEADER_ALIASES.get(_text(c), _text(c).lower()) for c in raw]
                missing = [c for c in REQUIRED_COLUMNS if c not in header]
                if missing:
                    return [], [
                        (
                            number,
                            f"表头缺少列：{', '.join(missing)}（应为 {', '.join(COLUMNS)}）。",
                        )
                    ]
                continue
            numbered.append(
                (number, {h: raw[i] for i, h in enumerate(header) if h in COLUMNS and i < len(raw)})
            )
    except RowLimitExceeded as exc:
        return [], [(0, exc.message)]
    if header is None:
        return [], [(0, "文件是空的。")]
    return numbered, []


# --- Checking ---------------------------------------------------------------------------------


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(_text(value).replace("/", "-"))


def check_rows(numbered: list[tuple[int, dict]]) -> tuple[list[CreditRow], list[tuple[int, str]]]:
    """Every row checked on its own and against the rows before it; today is read once."""
    today = timezone.localdate()
    rows: list[CreditRow] = []
    errors: list[tuple[int, str]] = []
    seen: dict[tuple, int] = {}
    for number, raw in numbered:
        problems = []
        uscc = normalise(_text(raw.get("uscc")))
        if (why := uscc_error(uscc)) is not None:
            problems.append(f"统一社会信用代码“{uscc}”：{why}")
        kind_text = _text(raw.get("kind"))
        kind = KIND_ALIASES.get(kind_text.lower(), KIND_ALIASES.get(kind_text))
        incident_kind = _INCIDENT_KINDS.get(kind_text.lower(), _INCIDENT_KINDS.get(kind_text, ""))
        if kind is None and incident_kind:
            kind = INCIDENT
        if kind is None:
            problems.append(
                f"类别“{kind_text}”不正确（应为 grade、dishonest 或事故与违法记录的类型）"
            )
        source = _text(raw.get("source"))[:200]
        if not source:
            problems.append("来源为空")
        dates: dict[str, dt.date | None] = {}
        for name, label in (("effective_on", "生效日期"), ("removed_on", "移出日期")):
            value = raw.get(name)
            if value in (None, "") or (isinstance(value, str) and not value.strip()):
                dates[name] = None
                continue
            try:
                dates[name] = _date(value)
            except (TypeError, ValueError):
                dates[name] = None
                problems.append(f"{label}“{_text(value)}”不是日期（YYYY-MM-DD）")
                continue
            if dates[name] > today:
                problems.append(f"{label}{dates[name]:%Y-%m-%d}晚于今天")
        effective_on, removed_on = dates["effective_on"], dates["removed_on"]
        if effective_on is None and not any(p.startswith("生效日期") for p in problems):
            problems.append("生效日期为空")
        grade = _text(raw.get("grade")).upper()
        scheme_text = _text(raw.get("scheme")).upper()
        scheme = SCHEME_ALIASES.get(scheme_text, "")
        if kind == GRADE:
            if not scheme:
                problems.append(
                    f"等级体系“{scheme_text}”未知（应为 {'、'.join(CreditScheme.values)}）"
                )
            elif grade not in SCHEME_GRADES[scheme]:
                problems.append(
                    f"等级“{grade}”不属于{scheme}体系（{'、'.join(SCHEME_GRADES[scheme])}）"
                )
            if removed_on is not None:
                problems.append("信用等级行不填写移出日期")
        elif kind == DISHONEST:
            if grade or scheme_text:
                problems.append("严重失信行不填写等级和等级体系")
            if effective_on and removed_on and removed_on <= effective_on:
                problems.append("移出日期应晚于列入日期")
        description = _text(raw.get("description"))
        status_text = _text(raw.get("status"))
        status = _INCIDENT_STATUSES.get(status_text.lower(), _INCIDENT_STATUSES.get(status_text))
        if kind == INCIDENT:
            if not description:
                problems.append("情况说明为空")
            if not status_text:
                status = IncidentStatus.REPORTED
            elif status is None:
                problems.append(f"核实状态“{status_text}”不正确")
            if grade or scheme_text or removed_on is not None:
                problems.append("事故与违法记录行不填写等级、等级体系和移出日期")
        if problems:
            errors.append((number, "；".join(problems) + "。"))
            continue
        row = CreditRow(
            number=number,
            uscc=uscc,
            kind=kind,
            source=source,
            effective_on=effective_on,
            grade=grade if kind == GRADE else "",
            scheme=scheme if kind == GRADE else "",
            removed_on=removed_on,
            incident_kind=incident_kind if kind == INCIDENT else "",
            description=description if kind == INCIDENT else "",
            status=status if kind == INCIDENT else "",
        )
        if row.key in seen:
            errors.append((number, f"与第{seen[row.key]}行重复（同一代码、类别、来源和日期）。"))
            continue
        seen[row.key] = number
        rows.append(row)
    return rows, errors


# --- Planning and recording -------------------------------------------------------------------


def plan(rows: list[CreditRow]) -> tuple[list[Change], list[tuple[int, str]]]:
    """What each row would change, read in four queries whatever the number of rows; and the
    rows that cannot be applied (an incident's status that may not change so)."""
    usccs = {r.uscc for r in rows}
    orgs = {o.uscc: o for o in Organisation.objects.filter(uscc__in=usccs)}
    ratings: dict[tuple, list[CreditRating]] = {}
    for rating in CreditRating.objects.filter(
        organisation__in=[o.pk for o in orgs.values()]
    ).order_by("-id"):
        ratings.setdefault((rating.organisation_id, rating.source, rating.rated_on), []).append(
            rating
        )
    listings = {
        (li.uscc, li.source, li.listed_on): li
        for li in DishonestyListing.objects.filter(uscc__in=usccs)
    }
    incidents: dict[tuple, Incident] = {}
    for incident in Incident.objects.filter(
        organisation__in=[o.pk for o in orgs.values()]
    ).order_by("id"):
        key = (incident.organisation_id, incident.kind, incident.source, incident.occurred_on)
        incidents[key] = incident  # the latest of several alike
    changes, errors = [], []
    for r in rows:
        org = orgs.get(r.uscc)
        org_id = org.pk if org else None
        if r.kind == INCIDENT:
            if org is None:
                changes.append(
                    Change(r.number, r.uscc, r.kind, "skipped", None, "未在本系统注册，跳过。")
                )
                continue
            label = IncidentKind(r.incident_kind).label
            after = {"incident_kind": r.incident_kind, "status": r.status}
            found = incidents.get((org.pk, r.incident_kind, r.source, r.effective_on))
            if found is None:
                changes.append(
                    Change(
                        r.number,
                        r.uscc,
                        r.kind,
                        "created",
                        org_id,
                        f"{org.name}：{r.effective_on:%Y-%m-%d} {label}"
                        f"（{IncidentStatus(r.status).label}）。",
                        None,
                        after,
                    )
                )
            elif found.status == r.status:
                changes.append(
                    Change(r.number, r.uscc, r.kind, "unchanged", org_id, "已有相同记录。")
                )
            elif not INCIDENT_MACHINE.allows(found.status, r.status):
                errors.append(
                    (
                        r.number,
                        f"已有记录的核实状态为“{found.get_status_display()}”，"
                        f"不能改为“{IncidentStatus(r.status).label}”。",
                    )
                )
            else:
                changes.append(
                    Change(
                        r.number,
                        r.uscc,
                        r.kind,
                        "updated",
                        org_id,
                        f"{org.name}：{r.effective_on:%Y-%m-%d} {label}核实状态由"
                        f"“{found.get_status_display()}”改为“{IncidentStatus(r.status).label}”。",
                        {"incident_kind": r.incident_kind, "status": found.status},
                        after,
                    )
                )
            continue
        if r.kind == GRADE:
            after = {"grade": r.grade, "scheme": r.scheme}
            if org is None:
                changes.append(
                    Change(r.number, r.uscc, r.kind, "skipped", None, "未在本系统注册，跳过。")
                )
                continue
            found = ratings.get((org.pk, r.source, r.effective_on), [])
            if any((x.grade, x.scheme) == (r.grade, r.scheme) for x in found):
                changes.append(
                    Change(r.number, r.uscc, r.kind, "unchanged", org_id, "已有相同记录。")
                )
            elif found:
                before = {"grade": found[0].grade, "scheme": found[0].scheme}
                changes.append(
                    Change(
                        r.number,
                        r.uscc,
                        r.kind,
                        "updated",
                        org_id,
                        f"{org.name}：{r.effective_on:%Y-%m-%d}的等级由{found[0].grade}"
                        f"更正为{r.grade}（{r.scheme}）。",
                        before,
                        after,
                    )
                )
            else:
                changes.append(
                    Change(
                        r.number,
                        r.uscc,
                        r.kind,
                        "created",
                        org_id,
                        f"{org.name}：{r.effective_on:%Y-%m-%d}起{r.grade}级（{r.scheme}）。",
                        None,
                        after,
                    )
                )
            continue
        name = org.name if org else f"{r.uscc}（未注册）"
        removed = f"{r.removed_on:%Y-%m-%d}" if r.removed_on else None
        after = {"listed_on": f"{r.effective_on:%Y-%m-%d}", "removed_on": removed}
        existing = listings.get((r.uscc, r.source, r.effective_on))
        if existing is None:
            until = f"，{removed}移出" if removed else ""
            changes.append(
                Change(
                    r.number,
                    r.uscc,
                    r.kind,
                    "created",
                    org_id,
                    f"{name}：{r.effective_on:%Y-%m-%d}列入严重失信主体名单{until}。",
                    None,
                    after,
                )
            )
        elif existing.removed_on == r.removed_on:
            changes.append(Change(r.number, r.uscc, r.kind, "unchanged", org_id, "已有相同记录。"))
        else:
            was = f"{existing.removed_on:%Y-%m-%d}" if existing.removed_on else None
            changes.append(
                Change(
                    r.number,
                    r.uscc,
                    r.kind,
                    "updated",
                    org_id,
                    f"{name}：移出日期由{was or '无'}改为{removed or '无'}。",
                    {"listed_on": after["listed_on"], "removed_on": was},
                    after,
                )
            )
    return changes, errors


def record(rows: list[CreditRow], changes: list[Change], *, actor) -> None:
    """Write the planned changes (inside the caller's transaction), each audited with its
    source and row number."""
    orgs = {o.uscc: o for o in Organisation.objects.filter(uscc__in={r.uscc for r in rows})}
    for r, change in zip(rows, changes, strict=True):
        if change.action in ("unchanged", "skipped"):
            continue
        audit_data = {"import_row": r.number, "imported": True}
        if r.kind == INCIDENT:
            org = orgs[r.uscc]
            if change.action == "created":
                record_incident(
                    organisation=org,
                    kind=r.incident_kind,
                    occurred_on=r.effective_on,
                    description=r.description,
                    status=r.status,
                    source=r.source,
                    actor=actor,
                    audit_data=audit_data,
                )
            else:
                incident = (
                    Incident.objects.filter(
                        organisation=org,
                        kind=r.incident_kind,
                        source=r.source,
                        occurred_on=r.effective_on,
                    )
                    .order_by("-id")
                    .first()
                )
                set_incident_status(
                    incident=incident,
                    status=r.status,
                    actor=actor,
                    reason=f"{r.source}（导入第{r.number}行）",
                )
        elif r.kind == DISHONEST:
            record_dishonesty_listing(
                uscc=r.uscc,
                source=r.source,
                listed_on=r.effective_on,
                removed_on=r.removed_on,
                actor=actor,
                audit_data=audit_data,
            )
        elif change.action == "created":
            set_credit_grade(
                organisation=orgs[r.uscc],
                grade=r.grade,
                scheme=r.scheme,
                source=r.source,
                rated_on=r.effective_on,
                actor=actor,
                audit_data=audit_data,
            )
        else:
            rating = (
                CreditRating.objects.filter(
                    organisation=orgs[r.uscc], source=r.source, rated_on=r.effective_on
                )
                .order_by("-id")
                .first()
            )
            correct_credit_grade(
                rating=rating, grade=r.grade, scheme=r.scheme, actor=actor, audit_data=audit_data
            )
