from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import TemplateView

from applications.enums import ProcedureStep
from applications.selectors import application_counts_of, cycle_phase
from common.dates import today
from ladder.selectors import source_ids
from programmes.enums import CyclePhase
from programmes.selectors import current_cycles

# Which of the eight R12 steps a cycle phase belongs to, for the landing page's timeline.
_STEP_OF_PHASE = {
    CyclePhase.SUBMISSION: ProcedureStep.SUBMISSION,
    CyclePhase.RECOMMENDATION: ProcedureStep.RECOMMENDATION,
    CyclePhase.ELIGIBILITY: ProcedureStep.ELIGIBILITY,
    CyclePhase.DOCUMENT_REVIEW: ProcedureStep.DOCUMENT_REVIEW,
    CyclePhase.ONSITE_REVIEW: ProcedureStep.ONSITE_REVIEW,
    CyclePhase.COMPOSITE: ProcedureStep.COMPOSITE,
    CyclePhase.DECISION: ProcedureStep.PUBLICITY,
    CyclePhase.PUBLICITY: ProcedureStep.PUBLICITY,
    CyclePhase.ANNOUNCEMENT: ProcedureStep.ANNOUNCEMENT,
}


def step_timeline(current_step: str | None, reached_end: bool = False) -> list[dict]:
    """The eight steps of R12, each marked done, current or to come."""
    steps = list(ProcedureStep)
    index = (
        steps.index(current_step) if current_step in steps else (len(steps) if reached_end else -1)
    )
    return [
        {
            "key": step.value,
            "label": step.label,
            "number": i + 1,
            "state": "done" if i < index else ("current" if i == index else "todo"),
        }
        for i, step in enumerate(steps)
    ]


class HomeView(TemplateView):
    """The landing page: what the award is, where this year's cycle stands, its deadlines."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        day = today()
        cycles = []
        current = list(current_cycles(day))
        # Every cycle's counts in one query: one query per programme before (issue 12).
        counts = application_counts_of(current)
        for cycle in current:
            phase = cycle_phase(cycle, day, counts.get(cycle.pk, {}))
            finished = phase in (CyclePhase.CLOSED, CyclePhase.ANNOUNCEMENT)
            cycles.append(
                {
                    "cycle": cycle,
                    "phase": CyclePhase(phase),
                    "accepting": cycle.accepts_submissions(day),
                    "days_left": (cycle.submission_deadline - day).days,
                    "timeline": step_timeline(_STEP_OF_PHASE.get(phase), reached_end=finished),
                    "nominations_url": _nominations_url(self.request.user, cycle),
                }
            )
        # A deployment hosting one award names it; several share the generic title.
        names = {c["cycle"].programme.name for c in cycles}
        ctx.update(cycles=cycles, today=day, award_name=names.pop() if len(names) == 1 else "")
        return ctx


def _nominations_url(user, cycle) -> str:
    """The cycle's nominations page, for the staff who follow them (issue 13 §2)."""
    if not user.has_perm("ladder.follow_nominations") or not source_ids(cycle.programme_id):
        return ""
    if not user.has_perm("ladder.view_nominations", cycle):
        return ""
    return reverse("ladder:nominations", args=[cycle.pk])


def healthz(request):
    """For load balancers and docker healthchecks: the process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a Chinese page in the portal's layout instead of Django's English one;
    the reason stays in the log, not on the page."""
    return render(request, "403_csrf.html", status=403)
