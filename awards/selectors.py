"""Reading awards: the public registry and verification."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from applications.enums import ApplicationStatus as S
from applications.models import Application

from .models import Award, Certificate, LedgerEntry


def registry(*, query: str = "", status: str = "", uscc: str = "") -> QuerySet[Award]:
    """Awards as the public may see them, newest first; searchable by name or USCC."""
    qs = Award.objects.select_related("organisation", "programme").order_by(
        "-announced_on", "organisation__name"
    )
    if query:
        qs = qs.filter(Q(organisation__name__icontains=query) | Q(organisation__uscc=query.upper()))
    if status:
        qs = qs.filter(status=status)
    if uscc:
        qs = qs.filter(organisation__uscc=uscc.strip().upper())
    return qs


def award_by_code(code: str) -> Award | None:
    return Award.objects.select_related("organisation", "programme").filter(code=code).first()


def cycle_summaries(cycles: list) -> list[dict]:
    """For each announced cycle: certificates generated of the current ones, and the money,
    in three queries whatever the number of cycles."""
    from .services.ledger import Balance  # noqa: PLC0415 - services import selectors

    ids = [c.pk for c in cycles]
    certs = {
        row["award__cycle"]: (row["done"], row["total"])
        for row in Certificate.objects.filter(award__cycle__in=ids, superseded_at=None)
        .values("award__cycle")
        .annotate(total=Count("id"), done=Count("id", filter=~Q(pdf="")))
        .order_by()
    }
    money: dict[int, dict[str, Decimal]] = {}
    for row in (
        LedgerEntry.objects.filter(award__cycle__in=ids)
        .values("award__cycle", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        money.setdefault(row["award__cycle"], {})[row["kind"]] = row["total"]
    out = []
    for cycle in cycles:
        sums = money.get(cycle.pk, {})
        out.append(
            {
                "cycle": cycle,
                "certificates": certs.get(cycle.pk, (0, 0)),
                "money": Balance(
                    *(
                        q2(sums.get(k))
                        for k in ("owed", "paid", "clawback_due", "clawback_received")
                    )
                ),
            }
        )
    return out


def q2(value) -> Decimal:
    return (value or Decimal(0)).quantize(Decimal("0.01"))


def in_publicity():
    return (
        Application.objects.filter(status=S.PUBLICITY)
        .select_related("organisation", "cycle__programme")
        .order_by("-cycle__publicity_starts_on", "organisation__name")
    )
