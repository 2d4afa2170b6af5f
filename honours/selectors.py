"""Reading an organisation's register of honours: honours granted elsewhere and this portal's
own awards (kind ``award``), in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext

from awards.enums import LedgerEntryKind
from awards.models import Award, LedgerEntry

from .enums import AWARD_KIND, HonourKind
from .models import Honour


@dataclass(frozen=True)
class RegisterRow:
    id: int
    kind: str
    kind_label: str
    title: str
    issuer: str
    granted_on: object
    valid_until: object
    status: str
    has_evidence: bool
    reward_amount: Decimal | None
    reward_programme: str
    reward_on: object
    honour: Honour | None = None

    @property
    def is_award(self) -> bool:
        return self.kind == AWARD_KIND


def honours_of(organisation):
    owed = LedgerEntry.objects.filter(kind=LedgerEntryKind.OWED).select_related("programme")
    return (
        Honour.objects.filter(organisation=organisation)
        .prefetch_related(Prefetch("ledger", queryset=owed, to_attr="owed_entries"))
        .order_by("-granted_on", "-id")
    )


def register(organisation, *, day) -> list[RegisterRow]:
    """Every honour of the organisation, newest first: those entered here and the awards of
    this portal. Three queries, whatever their number."""
    rows = []
    for h in honours_of(organisation):
        entry = h.owed_entries[0] if h.owed_entries else None
        valid = h.valid_until is None or h.valid_until >= day
        rows.append(
            RegisterRow(
                id=h.pk,
                kind=h.kind,
                kind_label=str(HonourKind(h.kind).label),
                title=h.title,
                issuer=h.issuer,
                granted_on=h.granted_on,
                valid_until=h.valid_until,
                status="active" if valid else "expired",
                has_evidence=bool(h.evidence),
                reward_amount=entry.amount if entry else None,
                reward_programme=entry.programme.name if entry else "",
                reward_on=entry.on if entry else None,
                honour=h,
            )
        )
    for a in Award.objects.filter(organisation=organisation).select_related("programme"):
        rows.append(
            RegisterRow(
                id=a.pk,
                kind=AWARD_KIND,
                kind_label=gettext("本系统质量奖"),
                title=f"{a.programme.name}（{a.year}年度）",
                issuer=a.programme.government_name,
                granted_on=a.announced_on,
                valid_until=a.valid_until,
                status=a.status,
                has_evidence=False,
                reward_amount=None,
                reward_programme="",
                reward_on=None,
            )
        )
    rows.sort(key=lambda r: (r.granted_on, r.id), reverse=True)
    return rows
