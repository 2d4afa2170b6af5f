"""Reading the review: assignments, the pool, and applications with their score inputs."""

from __future__ import annotations

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from accounts.enums import Role
from accounts.models import ProgrammeMembership, User
from applications.enums import ApplicationStatus
from applications.enums import ApplicationStatus as S
from applications.models import Application
from programmes.enums import CycleStatus
from programmes.models import Cycle

from .enums import LIVE_ASSIGNMENT_STATES, AssignmentStatus, ExpertStatus, Stage
from .models import (
    Assignment,
    ConflictOfInterest,
    ConsensusScore,
    ExpertProfile,
    ItemScore,
    SurveyResponse,
)


def with_score_inputs(qs: QuerySet[Application]) -> QuerySet[Application]:
    """Applications with everything ``review.scores`` reads, in a fixed number of queries."""
    return qs.select_related("organisation", "cycle__programme").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.exclude(status=AssignmentStatus.REVOKED)
            .select_related("expert")
            .prefetch_related(Prefetch("scores", queryset=ItemScore.objects.all())),
        ),
        Prefetch(
            "consensus_scores",
            queryset=ConsensusScore.objects.filter(voided_at=None).select_related("item"),
        ),
        "survey_responses",
    )


def with_score_totals(qs: QuerySet[Application]) -> QuerySet[Application]:
    """Applications with what the composite needs, reading each submitted sheet's stored
    totals (review.services.totals): item scores are fetched only for a sheet without them, so
    a ranking reads one row per sheet instead of one per item (issue 12). Not for dispersion,
    which needs every item score (``with_score_inputs``)."""
    return qs.select_related("organisation", "cycle__programme").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.exclude(status=AssignmentStatus.REVOKED)
            .select_related("expert")
            .prefetch_related(
                Prefetch(
                    "scores",
                    queryset=ItemScore.objects.filter(
                        Q(assignment__total=None) | Q(assignment__by_category=None)
                    ),
                )
            ),
        ),
        Prefetch(
            "consensus_scores",
            queryset=ConsensusScore.objects.filter(voided_at=None).select_related("item"),
        ),
        "survey_responses",
    )


# What the composite of a ranked row reads, and no more (issue 12): ``with_score_totals`` loads
# the whole application (its form's JSON), organisation, cycle and programme, and each expert's
# account, for a row that shows a name, a status and numbers.
_SHEET_COLUMNS = (
    "id",
    "application_id",
    "expert_id",
    "stage",
    "leader",
    "status",
    "own_total",
    "total",
    "own_by_category",
    "by_category",
    "expert__name",
    "expert__username",
)


def ranking_inputs(qs: QuerySet[Application]) -> QuerySet[Application]:
    """Applications with what ``review.scores.composite`` reads (the same numbers as
    :func:`with_score_totals`, in as many queries), only the columns it reads: the ranking
    page, its API and its XLSX."""
    return (
        qs.select_related("organisation")
        .only("id", "status", "cycle_id", "organisation_id", "organisation__name")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(status=AssignmentStatus.REVOKED)
                .select_related("expert")
                .only(*_SHEET_COLUMNS)
                .prefetch_related(
                    Prefetch(
                        "scores",
                        queryset=ItemScore.objects.filter(
                            Q(assignment__total=None) | Q(assignment__by_category=None)
                        ).only("id", "assignment_id", "item_id", "percent"),
                    )
                ),
            ),
            Prefetch(
                "consensus_scores",
                queryset=ConsensusScore.objects.filter(voided_at=None)
                .select_related("item")
                .only("id", "application_id", "stage", "item_id", "percent", "item__code"),
            ),
            Prefetch(
                "survey_responses",
                queryset=SurveyResponse.objects.only("id", "application_id", "score"),
            ),
        )
    )


def dispersion_flags(applications, threshold: int) -> dict[int, int]:
    """Per application, the document items whose submitted sheets spread by more than
    ``threshold`` points and have no consensus yet: ``review.scores.dispersion``'s open flags,
    counted in one grouped query instead of over every item score in Python."""
    rows = (
        ItemScore.objects.filter(
            assignment__application__in=applications,
            assignment__stage=Stage.DOCUMENT,
            assignment__status=AssignmentStatus.SUBMITTED,
        )
        .values("assignment__application_id", "item_id")
        .annotate(sheets=Count("id"), spread=Max("percent") - Min("percent"))
        .filter(sheets__gt=1, spread__gt=threshold)
        .exclude(
            Exists(
                ConsensusScore.objects.filter(
                    application_id=OuterRef("assignment__application_id"),
                    item_id=OuterRef("item_id"),
                    stage=Stage.DOCUMENT,
                    voided_at=None,
                )
            )
        )
        .values_list("assignment__application_id", flat=True)
    )
    out: dict[int, int] = {}
    for app_id in rows:
        out[app_id] = out.get(app_id, 0) + 1
    return out


def expert_pool(programme_id: int | None = None) -> QuerySet[User]:
    """Users holding the expert role, with their profile and live workload."""
    # The live workload is a subquery per expert shown, not a join of every assignment of the
    # deployment's history grouped per expert (107,400 rows joined, grouped and de-duplicated
    # to show 25 experts at province scale), and the programme is an EXISTS, so no row is
    # repeated and no DISTINCT makes PostgreSQL count every expert's load (issue 12).
    live = (
        Assignment.objects.filter(expert=OuterRef("pk"), status__in=LIVE_ASSIGNMENT_STATES)
        .order_by()
        .values("expert")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        User.objects.filter(groups__name=Role.EXPERT)
        .select_related("expert_profile")
        .annotate(load=Coalesce(Subquery(live, output_field=IntegerField()), 0))
        .order_by("username")
    )
    if programme_id is not None:
        qs = qs.filter(Q(all_programmes=True) | _serves([programme_id]))
    return qs


def _serves(programme_ids) -> Exists:
    return Exists(
        ProgrammeMembership.objects.filter(user=OuterRef("pk"), programme_id__in=programme_ids)
    )


def experts_visible_to(user: User) -> QuerySet[User]:
    """The experts a staff member works with: those serving a programme the user serves, and
    those serving every programme."""
    qs = expert_pool()
    if not user.all_programmes:
        qs = qs.filter(Q(all_programmes=True) | _serves(list(user._programme_ids)))
    return qs


def expert_visible_to(user: User, pk: int) -> User | None:
    """One expert of the pool the user works with (None for another's), with what the expert's
    page shows: the programmes served and every conflict, latest first."""
    return (
        experts_visible_to(user)
        .filter(pk=pk)
        .prefetch_related(
            Prefetch(
                "memberships", queryset=ProgrammeMembership.objects.select_related("programme")
            ),
            Prefetch(
                "conflicts",
                queryset=ConflictOfInterest.objects.select_related(
                    "organisation", "declared_by", "decided_by"
                ).order_by("-declared_at", "-pk"),
            ),
        )
        .first()
    )


def conflicts_visible_to(user: User) -> QuerySet[ConflictOfInterest]:
    """Conflicts of interest of the experts a staff member works with (office, supervisor)."""
    return ConflictOfInterest.objects.filter(
        expert__in=experts_visible_to(user).values("pk")
    ).select_related("expert", "organisation")


def assignments_of(expert: User, profile: ExpertProfile | None = None) -> QuerySet[Assignment]:
    """An expert's own live assignments, while they may work: active in the pool, the
    assignment not revoked, and no conflict declared with the applicant (access ends with the
    declaration, whatever the office decides about sheets already submitted). ``profile``: the
    expert's profile, when the caller has just read it."""
    if profile is None:
        profile = getattr(expert, "expert_profile", None)
    if profile is None or profile.status != ExpertStatus.ACTIVE:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(
            expert=expert,
            status__in=LIVE_ASSIGNMENT_STATES,
            # R23: an expert's access to an application's material ends with its cycle.
            application__cycle__status=CycleStatus.OPEN,
        )
        .exclude(
            application__organisation__in=ConflictOfInterest.objects.filter(expert=expert).values(
                "organisation"
            )
        )
        .select_related("application__organisation", "application__cycle__programme")
        .order_by("status", "-assigned_at")
    )


# What the expert's list of assignments shows (page and API): the assignment and the names of
# its organisation and programme, not the application's form, the cycle's and the programme's
# settings (issue 12: those columns were two thirds of the list's Python calls).
ASSIGNMENT_LIST_FIELDS = (
    "application_id",
    "expert_id",
    "stage",
    "leader",
    "status",
    "assigned_at",
    "submitted_at",
    "revoked_at",
    "revoked_reason",
    "application__organisation__name",
    "application__cycle__year",
    "application__cycle__programme__name",
)


def assignment_list_of(expert: User, profile: ExpertProfile | None = None) -> QuerySet[Assignment]:
    """:func:`assignments_of`, with only the columns its list shows."""
    return assignments_of(expert, profile).only(*ASSIGNMENT_LIST_FIELDS)


def assignments_on(application: Application) -> QuerySet[Assignment]:
    """Every assignment of an application, revoked ones too (the office's record of who was
    assigned, by stage), with the expert, in one query."""
    return (
        Assignment.objects.filter(application=application)
        .select_related("expert", "assigned_by", "application__organisation")
        .order_by("stage", "-leader", "assigned_at", "pk")
    )


def live_assignment(expert: User, application: Application) -> Assignment | None:
    return (
        assignments_of(expert)
        .filter(application=application)
        .order_by("-stage")  # onsite before document when both
        .first()
    )


def cycles_awaiting_decision(user, limit: int | None = None) -> list[Cycle]:
    """The open cycles, of the programmes this committee member serves, with candidates that
    await the committee's decision (R12.7); each with ``awaiting``, their number. One query
    (none for other roles)."""
    if not user.has_role(Role.COMMITTEE):
        return []
    return list(
        Cycle.objects.filter(status=CycleStatus.OPEN)
        .filter(user.served_programme_filter("programme"))
        .annotate(awaiting=Count("applications", filter=Q(applications__status=S.CANDIDATE)))
        .filter(awaiting__gt=0)
        .select_related("programme")
        .only("year", "programme__name")
        .order_by("-year", "pk")[:limit]
    )


def cycles_visible_to(user: User, programme_id: int | None = None) -> QuerySet[Cycle]:
    """Every cycle (all years, any status) of the programmes ``user`` reads, newest first,
    with its number of submitted applications and of winners, in one query."""
    qs = Cycle.objects.filter(user.read_programme_filter("programme"))
    if programme_id is not None:
        qs = qs.filter(programme_id=programme_id)
    return (
        qs.select_related("programme")
        .annotate(
            submitted_count=Count(
                "applications", filter=Q(applications__submitted_at__isnull=False)
            ),
            awarded_count=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.AWARDED)
            ),
        )
        .order_by("programme__name", "programme_id", "-year")
    )
