"""The credit-data import (issue 14 item 3) as one write path for the API and the office's page:
grades, the serious-dishonesty list and the market regulator's incidents (R11.6). The rows are
checked and planned by ``organisations.credit_import``; here they are recorded in
one transaction, and every live application of an organisation that the imported list puts on
the serious-dishonesty list today ends at once (R11.5, as a ban ends them under R20/R21)."""

from __future__ import annotations

from django.db import transaction

from common import audit
from common.dates import today
from common.exceptions import StateConflict
from organisations import credit_import
from organisations.credit_import import CreditImport, CreditRow
from organisations.models import Organisation

from ..enums import FINAL_STATES
from ..models import Application
from .eligibility import check_dishonesty
from .intake import end_application


def import_credit_data(
    *, actor, data: bytes | None = None, rows: list | None = None, dry_run: bool = False
) -> CreditImport:
    """Import a file (``data``: CSV, XLSX or JSON) or JSON ``rows``: all rows or none, errors
    by row number. With ``dry_run`` nothing is written and the report says what would change
    (including the applications that would end). Raises ApplicationError for a file that
    cannot be read at all."""
    report = CreditImport(dry_run=dry_run)
    if data is not None:
        numbered, report.errors = credit_import.numbered_from_file(data)
    else:
        numbered = credit_import.numbered_from_json(rows)
    report.rows = len(numbered)
    if report.errors:
        return report
    checked, report.errors = credit_import.check_rows(numbered)
    if report.errors:
        return report
    if dry_run:
        report.changes, report.errors = credit_import.plan(checked)
        if report.errors:
            report.changes = []
            return report
        report.ended_applications = [a.pk for a in _live_applications(_listed_today(checked))]
        return report
    with transaction.atomic():
        # Two imports touching the same organisations run one after the other, each planning
        # on what the other recorded: the second of a double submission changes nothing.
        list(
            Organisation.objects.select_for_update()
            .filter(uscc__in={r.uscc for r in checked})
            .order_by("pk")
        )
        report.changes, report.errors = credit_import.plan(checked)
        if report.errors:
            report.changes = []
            return report
        credit_import.record(checked, report.changes, actor=actor)
        report.ended_applications = end_listed_applications(
            usccs=_listed_today(checked), actor=actor
        )
        if any(c.action in ("created", "updated") for c in report.changes):
            audit.record(
                action="credit.imported",
                actor=actor,
                reason="；".join(sorted({r.source for r in checked}))[:500],
                data={
                    "rows": report.rows,
                    **{a: report.count(a) for a in ("created", "updated", "unchanged", "skipped")},
                    "ended_applications": report.ended_applications,
                },
            )
    return report


def _listed_today(rows: list[CreditRow]) -> set[str]:
    day = today()
    return {r.uscc for r in rows if r.listed_on(day)}


def _live_applications(usccs: set[str]):
    if not usccs:
        return Application.objects.none()
    return (
        Application.objects.filter(organisation__uscc__in=usccs)
        .exclude(status__in=FINAL_STATES)
        .select_related("organisation")
        .order_by("pk")
    )


def end_listed_applications(*, usccs: set[str], actor) -> list[int]:
    """R11.5: every live application of an organisation on the serious-dishonesty list today
    ends at once, with the listing as its reason (as ``end_banned_applications`` does for a
    ban). Judged by the same check the gates use, so a listing already removed ends nothing."""
    day = today()
    ended = []
    for app in _live_applications(usccs):
        check = check_dishonesty(app.organisation, day)
        if check.passed:
            continue
        try:
            end_application(
                application=app, actor=actor, rule="R11.5", reasons=f"R11.5：{check.detail}"
            )
        except StateConflict:  # ended meanwhile (a double submission): nothing left to do
            continue
        ended.append(app.pk)
    return ended
