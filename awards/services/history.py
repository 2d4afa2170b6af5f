"""Winners from before the portal (历史获奖), so that R6 and the bans hold for them too."""

from __future__ import annotations

import datetime as dt
import io

from django.db import IntegrityError, transaction

from common import audit
from common.dates import today
from common.exceptions import ApplicationError
from organisations.models import Organisation
from organisations.uscc import normalise
from programmes.models import Programme

from ..enums import AwardStatus
from ..models import Award


@transaction.atomic
def import_award(
    *, organisation: Organisation, programme: Programme, year: int, announced_on: dt.date, actor
) -> Award:
    if not 1990 <= year <= today().year:
        raise ApplicationError("年度不正确。", field="year")
    if announced_on > today():
        raise ApplicationError("公告日期不能晚于今天。", field="announced_on")
    if announced_on.year not in (year, year + 1):
        raise ApplicationError("公告日期应在该年度或次年。", field="announced_on")
    valid_until = Award.validity_end(announced_on, programme.validity_years)
    status = AwardStatus.ACTIVE if valid_until >= today() else AwardStatus.EXPIRED
    try:
        with transaction.atomic():
            award = Award.objects.create(
                organisation=organisation,
                programme=programme,
                year=year,
                announced_on=announced_on,
                valid_until=valid_until,
                status=status,
                imported=True,
            )
    except IntegrityError as exc:
        raise ApplicationError("该组织该年度的奖项已登记。", field="year") from exc
    audit.record(
        action="award.imported",
        actor=actor,
        obj=award,
        to_state=status,
        data={"year": year, "announced_on": announced_on, "valid_until": valid_until},
    )
    return award


def import_awards_xlsx(*, data: bytes, programme: Programme, actor) -> tuple[int, list[str]]:
    """Rows: uscc, year, announced_on. All or nothing, with errors per row."""
    from openpyxl import load_workbook  # noqa: PLC0415 - only for this import

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ApplicationError("无法读取该XLSX文件。", field="file") from exc
    rows = [r for r in rows[1:] if any(c not in (None, "") for c in r)]
    errors, valid = [], []
    for n, row in enumerate(rows, start=2):
        row = [*row, None, None, None][:3]
        org = Organisation.objects.filter(uscc=normalise(str(row[0] or ""))).first()
        try:
            year = int(row[1])
            day = row[2] if isinstance(row[2], dt.date) else dt.date.fromisoformat(str(row[2]))
            if isinstance(day, dt.datetime):
                day = day.date()
        except (TypeError, ValueError):
            errors.append(f"第{n}行：年度或公告日期不正确。")
            continue
        if org is None:
            errors.append(f"第{n}行：统一社会信用代码“{row[0] or ''}”不是已注册的组织。")
            continue
        valid.append((org, year, day))
    if errors or not valid:
        return 0, errors or ["文件中没有数据行。"]
    try:
        with transaction.atomic():
            for org, year, day in valid:
                import_award(
                    organisation=org, programme=programme, year=year, announced_on=day, actor=actor
                )
    except ApplicationError as exc:
        return 0, [exc.message]
    return len(valid), []
