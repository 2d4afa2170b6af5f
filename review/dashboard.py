"""What the review dashboard shows (reads only): the cycle the viewer looks at, the funnel of
the eight steps, who has not yet scored, and which deadline has passed with work left."""

from __future__ import annotations

import datetime as dt
from itertools import islice

from django.db.models import Count, OuterRef, Subquery
from django.http import Http404
from django.utils.translation import gettext

from applications.enums import STEP_OF_STATUS, ProcedureStep
from applications.enums import ApplicationStatus as S
from programmes.models import Cycle

from .enums import AssignmentStatus, Stage
from .models import Assignment


def funnel(cycle: Cycle) -> list[dict]:
    """How many applications stand at each of the eight steps, with a bar width (%)."""
    counts = dict(cycle.applications.values_list("status").annotate(n=Count("id")).order_by())
    by_step = {step: 0 for step in ProcedureStep}
    for status, n in counts.items():
        by_step[STEP_OF_STATUS[status]] += n
    top = max(by_step.values()) or 1
    return [
        {"label": ProcedureStep(step).label, "count": n, "width": round(100 * n / top)}
        for step, n in by_step.items()
    ]


# The selector lists this many current cycles; past them, a link to every cycle's page
# (/review/cycles/): at province scale it listed 150 programmes' cycles, each a full cycle and
# programme row, on every visit (issue 12).
SELECTOR_LIMIT = 20


def selector_cycles(user, day: dt.date) -> tuple[list[Cycle], bool]:
    """The current cycle (this year's, or the last one held) of each active programme the
    user reads, newest first, at most ``SELECTOR_LIMIT`` of them (their year and programme's
    name only), and whether there are more. One query."""
    latest_year = (
        Cycle.objects.filter(programme=OuterRef("programme"), year__lte=day.year + 1)
        .order_by("-year")
        .values("year")[:1]
    )
    current = (
        Cycle.objects.filter(programme__is_active=True, year=Subquery(latest_year))
        .select_related("programme")
        .only("year", "programme__name")
        .order_by("-year", "programme__name", "pk")
    )
    if user.all_programmes:  # reads every programme: the database stops at the limit
        rows = list(current[: SELECTOR_LIMIT + 1])
    else:
        # ``reads`` learns the programmes under the served ones only when there is a cycle to
        # ask about (a query); rows past the limit are never built.
        readable = (c for c in current.iterator(chunk_size=100) if user.reads(c.programme_id))
        rows = list(islice(readable, SELECTOR_LIMIT + 1))
    return rows[:SELECTOR_LIMIT], len(rows) > SELECTOR_LIMIT


def dashboard_cycles(
    user, day: dt.date, cycle_id: str | None
) -> tuple[list[Cycle], bool, Cycle | None]:
    """The current cycles the user reads for the selector (bounded, see
    :func:`selector_cycles`), whether there are more, and the one shown: the one asked for
    (404 when the user may not read it) or the first."""
    cycles, more = selector_cycles(user, day)
    if cycle_id and cycle_id.isdigit():
        chosen = Cycle.objects.select_related("programme").filter(pk=int(cycle_id)).first()
        if chosen is None or not user.reads(chosen.programme_id):
            raise Http404
        if more and all(c.pk != chosen.pk for c in cycles):
            cycles.append(chosen)  # the one shown stays selected in a capped selector
        return cycles, more, chosen
    if not cycles:
        return cycles, more, None
    return cycles, more, Cycle.objects.select_related("programme").get(pk=cycles[0].pk)


def late_work(cycle: Cycle, pending, day: dt.date) -> list[str]:
    """The deadlines of the cycle that have passed with work still open (R12.2, R12.4, R12.5)."""
    late = []
    stuck = cycle.applications.filter(status=S.SUBMITTED).count()
    if cycle.recommendation_deadline < day and stuck:
        late.append(gettext("推荐截止日期已过，仍有%(n)s份申报待推荐") % {"n": stuck})
    for deadline, stage, text in (
        (
            cycle.document_review_deadline,
            Stage.DOCUMENT,
            gettext("资料评审截止日期已过，仍有专家未提交评分"),
        ),
        (
            cycle.onsite_review_deadline,
            Stage.ONSITE,
            gettext("现场评审截止日期已过，仍有专家未提交评分"),
        ),
    ):
        if deadline and deadline < day and pending.filter(stage=stage).exists():
            late.append(text)
    return late


def cycle_dashboard(cycle: Cycle, day: dt.date) -> dict:
    pending = (
        Assignment.objects.filter(application__cycle=cycle, status=AssignmentStatus.ASSIGNED)
        .select_related("expert", "application__organisation")
        # Only what the table shows: not the expert's and organisation's records (issue 12).
        .only(
            "stage",
            "assigned_at",
            "expert__name",
            "expert__username",
            "application__organisation__name",
        )
        .order_by("expert__username")
    )
    return {
        "funnel": funnel(cycle),
        "pending": pending,
        "late": late_work(cycle, pending, day),
        "today": day,
    }
