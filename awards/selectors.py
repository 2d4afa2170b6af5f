"""Reading awards: the public registry and verification."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from accounts.enums import Role
from applications.enums import ApplicationStatus as S
from applications.models import Application
from programmes.enums import CycleStatus
from programmes.models import Cycle

from .enums import CaseStatus, ObjectionStatus
from .models import Award, Case, Certificate, LedgerEntry, Objection


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


# --- what waits for each role (issue 11): one query each, none for the other roles --------


def cases_awaiting(user, limit: int | None = None) -> list[Case]:
    """Cases waiting for this user's step: the committee decides the open ones (R20, R21),
    the government approves the revocations (R20); the supervisor watches both (R22)."""
    if user.has_role(Role.SUPERVISOR):
        states = (CaseStatus.OPEN, CaseStatus.AWAITING_GOVERNMENT)
    else:
        states = tuple(
            state
            for role, state in (
                (Role.COMMITTEE, CaseStatus.OPEN),
                (Role.GOVERNMENT, CaseStatus.AWAITING_GOVERNMENT),
            )
            if user.has_role(role)
        )
    if not states:
        return []
    return list(
        Case.objects.filter(status__in=states)
        .filter(user.served_programme_filter("award__programme"))
        .select_related("award__organisation", "award__programme")
        .only(
            "status",
            "award",
            "award__year",
            "award__organisation__name",
            "award__programme__name",
        )
        .order_by("created_at", "pk")[:limit]
    )


# What the dashboard's waiting list shows of a cycle: its name (programme and year) and its
# link; not the cycle's and programme's twenty other columns (issue 12).
WAITING_CYCLE_FIELDS = ("year", "programme__name")


def cycles_in_publicity(
    user,
    *,
    roles=(Role.GOVERNMENT, Role.OFFICE, Role.SUPERVISOR),
    with_objections: bool = False,
    limit: int | None = None,
):
    """The cycles published and not yet announced, of the programmes the user serves, each
    with ``winners`` (in publicity) and ``open_objections`` (``with_objections``: only those
    with one). One query."""
    if not user.has_role(*roles):
        return []
    cycles = (
        Cycle.objects.filter(
            status=CycleStatus.OPEN, publicity_starts_on__isnull=False, announced_on=None
        )
        .filter(user.served_programme_filter("programme"))
        .annotate(
            winners=Count(
                "applications", filter=Q(applications__status=S.PUBLICITY), distinct=True
            ),
            open_objections=Count(
                "applications__objections",
                filter=Q(applications__objections__status=ObjectionStatus.OPEN),
                distinct=True,
            ),
        )
    )
    if with_objections:
        cycles = cycles.filter(open_objections__gt=0)
    return list(
        cycles.select_related("programme")
        .only(*WAITING_CYCLE_FIELDS, "publicity_ends_on")
        .order_by("-year", "pk")[:limit]
    )


def cycles_awaiting_publicity(user, limit: int | None = None) -> list[Cycle]:
    """The office's: cycles whose proposed winners the committee decided and that are not yet
    published (R12.7), each with ``proposed``. One query."""
    if not user.has_role(Role.OFFICE):
        return []
    return list(
        Cycle.objects.filter(status=CycleStatus.OPEN, decided_at__isnull=False)
        .filter(user.served_programme_filter("programme"))
        .annotate(proposed=Count("applications", filter=Q(applications__status=S.PROPOSED)))
        .filter(proposed__gt=0)
        .select_related("programme")
        .only(*WAITING_CYCLE_FIELDS)
        .order_by("-year", "pk")[:limit]
    )


def awards_to_recover(user, limit: int | None = None) -> list[Award]:
    """The office's: revoked awards whose certificate and plaque are not back yet (R20)."""
    if not user.has_role(Role.OFFICE):
        return []
    outstanding = Certificate.objects.filter(
        award=OuterRef("pk"), to_recover=True, recovered_at=None
    )
    return list(
        Award.objects.filter(Exists(outstanding))
        .filter(user.served_programme_filter("programme"))
        .select_related("organisation")
        .only("organisation__name")
        .order_by("revoked_on", "pk")[:limit]
    )


APPROVAL_CYCLE_FIELDS = (
    "programme__name",
    "year",
    "publicity_starts_on",
    "publicity_ends_on",
    "decision_rationale",
)


def cycles_to_approve(user, day) -> list[dict]:
    """The government's approvals (R12.8): every published, unannounced cycle of the
    programmes ``user`` serves, with its winners, its open objections and whether the
    publicity has ended on ``day``. Three queries, whatever the number of cycles; only the
    columns the approvals page shows (issue 12: the cycles' and programmes' other columns, the
    winners' application forms and their organisations' records were two thirds of its calls)."""
    cycles = list(
        Cycle.objects.filter(publicity_starts_on__isnull=False, announced_on=None)
        .filter(user.served_programme_filter("programme"))
        .select_related("programme")
        .only(*APPROVAL_CYCLE_FIELDS)
        .prefetch_related(
            Prefetch(
                "applications",
                queryset=Application.objects.filter(status=S.PUBLICITY)
                .select_related("organisation")
                .only("cycle_id", "organisation__name"),
                to_attr="winners",
            )
        )
        .order_by("-year")
    )
    open_objections = dict(
        Objection.objects.filter(
            application__cycle__in=[c.pk for c in cycles], status=ObjectionStatus.OPEN
        )
        .values("application__cycle")
        .annotate(n=Count("id"))
        .values_list("application__cycle", "n")
        .order_by()
    )
    return [
        {
            "cycle": cycle,
            "winners": cycle.winners,
            "open_objections": open_objections.get(cycle.pk, 0),
            "ended": cycle.publicity_ends_on < day,
        }
        for cycle in cycles
    ]
