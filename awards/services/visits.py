"""Follow-up visits to winners (定期巡访, R19)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext

from common import audit
from common.dates import today
from common.exceptions import ApplicationError
from common.uploads import check_upload

from ..models import Award, Visit


@transaction.atomic
def record_visit(
    *,
    award: Award,
    visited_on: dt.date,
    visitors: str,
    findings: str,
    actor,
    follow_up: str = "",
    attachment=None,
) -> Visit:
    if not (findings or "").strip():
        raise ApplicationError(gettext("请填写巡访发现的情况。"), field="findings")
    if not (visitors or "").strip():
        raise ApplicationError(gettext("请填写巡访人员。"), field="visitors")
    if visited_on > today():
        raise ApplicationError(gettext("巡访日期不能晚于今天。"), field="visited_on")
    if visited_on < award.announced_on:
        raise ApplicationError(gettext("巡访日期早于获奖公告日期。"), field="visited_on")
    visit = Visit(
        award=award,
        visited_on=visited_on,
        visitors=visitors.strip()[:200],
        findings=findings.strip(),
        follow_up=(follow_up or "").strip(),
        recorded_by=actor,
    )
    if attachment is not None:
        file_type = check_upload(attachment)  # the same content checks as evidence uploads
        visit.attachment_name = (attachment.name or "")[:255]
        visit.attachment.save(f"visit.{file_type.extension}", attachment, save=False)
    visit.save()
    audit.record(
        action="award.visit",
        actor=actor,
        obj=award,
        data={"visit": visit.pk, "visited_on": visited_on},
    )
    return visit
