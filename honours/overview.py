"""The jurisdiction's overview (issue 13 item 4): for a city, league or province programme,
per programme under it (its own included) and year: applications, winners, vacancies, valid
and revoked awards, money paid. Every number is an aggregate of the database, in a fixed
number of queries whatever the number of programmes and years."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext

from awards.enums import AwardStatus, LedgerEntryKind
from awards.models import Award, LedgerEntry
from common.spreadsheets import append_row, new_workbook, workbook_bytes
from programmes.enums import CycleStatus, ProgrammeLevel
from programmes.models import Cycle, Programme
from regions.models import Division

ZERO = Decimal("0.00")


@dataclass
class OverviewRow:
    programme: Programme
    year: int
    applications: int = 0
    quota: int = 0
    winners: int = 0
    vacancies: int | None = None  # None while the year's cycle is still running
    valid: int = 0
    revoked: int = 0
    paid: Decimal = ZERO
    honour_rewards: Decimal = ZERO
    cycle_status: str = ""


def is_jurisdiction(programme: Programme) -> bool:
    """A programme above the county: a city (league), a province, or a corps division."""
    return programme.level != ProgrammeLevel.COUNTY


def programmes_under(upper: Programme) -> list[Programme]:
    """The programme itself and every programme whose region lies under its region (one
    query; GB/T 2260 has three levels)."""
    code = upper.region
    regions = Division.objects.filter(
        Q(pk=code) | Q(parent_id=code) | Q(parent__parent_id=code)
    ).values("code")
    found = list(Programme.objects.filter(Q(pk=upper.pk) | Q(region__in=regions)))
    found.sort(key=lambda p: (p.pk != upper.pk, p.region, p.name))
    return found


def _q2(value) -> Decimal:
    return (value or ZERO).quantize(Decimal("0.01"))


def overview(upper: Programme, *, day: dt.date) -> list[OverviewRow]:
    programmes = programmes_under(upper)
    ids = [p.pk for p in programmes]
    rows: dict[tuple[int, int], OverviewRow] = {}
    by_id = {p.pk: p for p in programmes}

    def row(pid: int, year: int) -> OverviewRow:
        if (pid, year) not in rows:
            rows[pid, year] = OverviewRow(programme=by_id[pid], year=year, quota=by_id[pid].quota)
        return rows[pid, year]

    # Applications: those ever submitted to the year's cycle (drafts are not applications yet).
    for cycle in (
        Cycle.objects.filter(programme__in=ids)
        .annotate(
            submitted=Count("applications", filter=Q(applications__submitted_at__isnull=False))
        )
        .order_by()
    ):
        cycle.programme = by_id[cycle.programme_id]  # no query for the settings' fallback
        r = row(cycle.programme_id, cycle.year)
        r.applications = cycle.submitted
        r.quota = cycle.settings.quota
        r.cycle_status = cycle.status
    for a in (
        Award.objects.filter(programme__in=ids)
        .values("programme", "year")
        .annotate(
            winners=Count("id"),
            valid=Count(
                "id",
                filter=~Q(status=AwardStatus.REVOKED)
                & Q(announced_on__lte=day, valid_until__gte=day),
            ),
            revoked=Count("id", filter=Q(status=AwardStatus.REVOKED)),
        )
        .order_by()
    ):
        r = row(a["programme"], a["year"])
        r.winners, r.valid, r.revoked = a["winners"], a["valid"], a["revoked"]
    for m in (
        LedgerEntry.objects.filter(award__programme__in=ids, kind=LedgerEntryKind.PAID)
        .values("award__programme", "award__year")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        row(m["award__programme"], m["award__year"]).paid = _q2(m["total"])
    for m in (
        LedgerEntry.objects.filter(
            programme__in=ids, honour__isnull=False, kind=LedgerEntryKind.OWED
        )
        .annotate(year=ExtractYear("on"))
        .values("programme", "year")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        row(m["programme"], m["year"]).honour_rewards = _q2(m["total"])
    for r in rows.values():
        running = r.cycle_status == CycleStatus.OPEN
        r.vacancies = None if running else max(r.quota - r.winners, 0)
    order = {pid: i for i, pid in enumerate(ids)}
    return sorted(rows.values(), key=lambda r: (order[r.programme.pk], r.year))


def overview_columns() -> tuple[str, ...]:
    return (
        gettext("质量奖"),
        gettext("层级"),
        gettext("行政区划代码"),
        gettext("年度"),
        gettext("申报数"),
        gettext("获奖名额"),
        gettext("获奖数"),
        gettext("空缺名额"),
        gettext("有效奖项"),
        gettext("已撤销奖项"),
        gettext("已支付奖金（元）"),
        gettext("荣誉奖励应付（元）"),
    )


def row_values(r: OverviewRow) -> tuple:
    return (
        r.programme.name,
        r.programme.get_level_display(),
        r.programme.region,
        r.year,
        r.applications,
        r.quota,
        r.winners,
        "—" if r.vacancies is None else r.vacancies,
        r.valid,
        r.revoked,
        r.paid,
        r.honour_rewards,
    )


def overview_xlsx(upper: Programme, *, day: dt.date) -> bytes:
    """The overview as a workbook for the annual report to the level above. Every cell goes
    through common.spreadsheets.append_row: no programme name becomes a formula."""
    book = new_workbook()
    sheet = book.create_sheet(gettext("辖区概览"))
    append_row(sheet, (upper.name, gettext("截至%(day)s") % {"day": day.isoformat()}))
    append_row(sheet, overview_columns())
    for r in overview(upper, day=day):
        append_row(sheet, row_values(r))
    return workbook_bytes(book)


@dataclass(frozen=True)
class ChartBar:
    label: str
    applications: int
    winners: int
    valid: int
    y: int
    applications_width: int
    winners_width: int
    valid_width: int


CHART_WIDTH = 400  # pixels for the largest number
CHART_ROW = 36


def chart(rows: list[OverviewRow]) -> tuple[list[ChartBar], int]:
    """Per programme, over all its years: applications, winners and awards valid today, as
    bars of an SVG drawn by the template (no script). Returns the bars and the chart's
    height."""
    totals: dict[int, list] = {}
    for r in rows:
        t = totals.setdefault(r.programme.pk, [r.programme.name, 0, 0, 0])
        t[1] += r.applications
        t[2] += r.winners
        t[3] += r.valid
    peak = max([max(t[1], t[2], t[3]) for t in totals.values()] or [0]) or 1
    bars = []
    for i, (label, apps, winners, valid) in enumerate(totals.values()):
        bars.append(
            ChartBar(
                label=label,
                applications=apps,
                winners=winners,
                valid=valid,
                y=i * CHART_ROW,
                applications_width=round(CHART_WIDTH * apps / peak),
                winners_width=round(CHART_WIDTH * winners / peak),
                valid_width=round(CHART_WIDTH * valid / peak),
            )
        )
    return bars, max(len(bars), 1) * CHART_ROW
