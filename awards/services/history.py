"""Winners from before the portal (历史获奖), so that R6 and the bans hold for them too."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext

from common import audit
from common.dates import today
from common.exceptions import ApplicationError
from common.spreadsheets import RowLimitExceeded, check_size, is_blank, read_rows
from organisations.models import Organisation
from organisations.uscc import normalise
from programmes.models import Programme

from ..enums import AwardStatus
from ..models import Award
from ..register import invalidate_register

FIRST_YEAR = 1990
MAX_ROWS = 1000  # a county's winners before the portal: a few dozen
MAX_IMPORT_BYTES = 5 * 1024 * 1024
_COLUMNS = 3  # uscc, year, announced_on
_YEAR_TEXT = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class _Entry:
    organisation: Organisation
    year: int
    announced_on: dt.date


def _check_dates(year: int, announced_on: dt.date) -> None:
    if not FIRST_YEAR <= year <= today().year:
        raise ApplicationError(
            gettext("年度应为%(FIRST_YEAR)s年至今年之间的年份。") % {"FIRST_YEAR": FIRST_YEAR},
            field="year",
        )
    if announced_on > today():
        raise ApplicationError(gettext("公告日期不能晚于今天。"), field="announced_on")
    if announced_on.year not in (year, year + 1):
        raise ApplicationError(gettext("公告日期应在该年度或次年。"), field="announced_on")


def _new_award(*, organisation, programme: Programme, year: int, announced_on: dt.date) -> Award:
    valid_until = Award.validity_end(announced_on, programme.validity_years)
    return Award(
        organisation=organisation,
        programme=programme,
        year=year,
        announced_on=announced_on,
        valid_until=valid_until,
        status=AwardStatus.ACTIVE if valid_until >= today() else AwardStatus.EXPIRED,
        imported=True,
    )


def _ensure_within_quota(programme: Programme, counts: dict[int, int]) -> None:
    """A historical import never pushes a programme-year past its quota (R7): the cycle's copy
    of the rules when the portal held that year, else the programme's quota now. Call it in
    the transaction that writes the awards: the programme's row lock queues other imports."""
    Programme.objects.select_for_update().get(pk=programme.pk)
    held = dict(
        Award.objects.filter(programme=programme, year__in=counts)
        .values_list("year")
        .annotate(n=Count("id"))
        .order_by()
    )
    quotas = {
        c.year: c.settings.quota
        for c in programme.cycles.filter(year__in=counts).select_related("programme")
    }
    over = [
        (year, held.get(year, 0), added, quotas.get(year, programme.quota))
        for year, added in sorted(counts.items())
        if held.get(year, 0) + added > quotas.get(year, programme.quota)
    ]
    if over:
        raise ApplicationError(
            "；".join(
                gettext("%(year)s年度已登记%(have)s个，再登记%(added)s个将超过年度名额%(quota)s个")
                % {"year": year, "have": have, "added": added, "quota": quota}
                for year, have, added, quota in over
            )
            + "。",
            rule="R7",
            field="year",
        )


@transaction.atomic
def import_award(
    *, organisation: Organisation, programme: Programme, year: int, announced_on: dt.date, actor
) -> Award:
    _check_dates(year, announced_on)
    _ensure_within_quota(programme, {year: 1})
    award = _new_award(
        organisation=organisation, programme=programme, year=year, announced_on=announced_on
    )
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError as exc:
        raise ApplicationError(gettext("该组织该年度的奖项已登记。"), field="year") from exc
    invalidate_register()
    audit.record(
        action="award.imported",
        actor=actor,
        obj=award,
        to_state=award.status,
        data={
            "year": year,
            "announced_on": announced_on,
            "valid_until": award.valid_until,
        },
    )
    return award


def year_of(value) -> int:
    """A year cell as an int, or ValueError: a whole number (``2020``, ``2020.0``, ``"2020"``),
    never ``inf``, ``nan``, ``1e400`` or a date (issue 8 item 5)."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer() or abs(value) > 9999:
            raise ValueError(value)
        return int(value)
    if isinstance(value, str) and _YEAR_TEXT.fullmatch(value.strip()):
        return int(value.strip())
    raise ValueError(value)


def _day_of(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip())
    raise ValueError(value)


def _shown(value) -> str:
    return "" if value is None else str(value)[:30]


def import_awards_xlsx(*, data: bytes, programme: Programme, actor) -> tuple[int, list[str]]:
    """Rows: uscc, year, announced_on, under one header row. All or nothing, with errors per
    row (numbered as in the file).

    The file is capped (MAX_IMPORT_BYTES), read as a stream and refused past MAX_ROWS; the
    organisations and the awards already recorded are looked up in one query each, the awards
    written in one bulk insert and the import audited as one entry, so the queries do not grow
    with the rows."""
    check_size(data, max_bytes=MAX_IMPORT_BYTES)
    rows: list[tuple[int, list]] = []
    try:
        for number, row in read_rows(
            data, max_rows=MAX_ROWS, max_columns=_COLUMNS, csv_allowed=False
        ):
            if number > 1 and not is_blank(row):
                rows.append((number, [*row, None, None, None][:_COLUMNS]))
    except RowLimitExceeded as exc:
        return 0, [exc.message]
    if not rows:
        return 0, ["文件中没有数据行。"]
    usccs = {normalise(str(row[0] or "")) for _, row in rows}
    orgs = {o.uscc: o for o in Organisation.objects.filter(uscc__in=usccs)}
    errors: list[str] = []
    entries: list[_Entry] = []
    seen: set[tuple[int, int]] = set()
    for n, (raw_uscc, raw_year, raw_day) in rows:
        org = orgs.get(normalise(str(raw_uscc or "")))
        try:
            year = year_of(raw_year)
        except ValueError:
            errors.append(f"第{n}行：年度“{_shown(raw_year)}”不正确，应为四位数字的年份。")
            continue
        try:
            day = _day_of(raw_day)
        except (TypeError, ValueError):
            errors.append(f"第{n}行：公告日期“{_shown(raw_day)}”不正确（YYYY-MM-DD）。")
            continue
        if org is None:
            errors.append(f"第{n}行：统一社会信用代码“{_shown(raw_uscc)}”不是已注册的组织。")
            continue
        try:
            _check_dates(year, day)
        except ApplicationError as exc:
            errors.append(f"第{n}行：{exc.message}")
            continue
        if (org.pk, year) in seen:
            errors.append(f"第{n}行：该组织{year}年度的奖项在文件中重复。")
            continue
        seen.add((org.pk, year))
        entries.append(_Entry(org, year, day))
    if errors:
        return 0, errors
    existing = set(
        Award.objects.filter(
            programme=programme,
            organisation__in=[e.organisation for e in entries],
            year__in={e.year for e in entries},
        ).values_list("organisation_id", "year")
    )
    taken = [e for e in entries if (e.organisation.pk, e.year) in existing]
    if taken:
        return 0, [f"{e.organisation.name}{e.year}年度的奖项已登记。" for e in taken]
    awards = [
        _new_award(
            organisation=e.organisation,
            programme=programme,
            year=e.year,
            announced_on=e.announced_on,
        )
        for e in entries
    ]
    try:
        with transaction.atomic():
            _ensure_within_quota(programme, Counter(e.year for e in entries))
            Award.objects.bulk_create(awards)
            invalidate_register()
            audit.record(
                action="award.imported",
                actor=actor,
                obj=programme,
                data={
                    "rows": len(awards),
                    "awards": [
                        {
                            "award": a.pk,
                            "uscc": a.organisation.uscc,
                            "year": a.year,
                            "announced_on": a.announced_on,
                            "valid_until": a.valid_until,
                            "status": a.status,
                        }
                        for a in awards
                    ],
                },
            )
    except ApplicationError as exc:  # R7
        return 0, [exc.user_message]
    except IntegrityError:  # recorded meanwhile by someone else
        return 0, ["其中有奖项刚被他人登记，请刷新后重新导入。"]
    return len(awards), []
