"""Browser pages of the review: experts score, the office runs the cycle, the committee and the
supervisor read the ranking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views import View

from applications.models import Application
from common.dates import today
from common.downloads import private_download
from common.exceptions import ApplicationError
from common.operations import form_errors_text
from common.spreadsheets import XLSX_CONTENT_TYPE
from notifications.selectors import jobs_needing_attention, recent_notifications
from programmes.models import Cycle, Programme
from programmes.selectors import criteria_categories

from .application_page import review_page
from .calibration import expert_calibration
from .cycle_page import cycle_page
from .dashboard import cycle_dashboard, dashboard_cycles
from .expert_page import back_to_pool_page, expert_page, expert_url
from .exports import ranking_xlsx
from .forms import ConflictDecisionForm, add_expert_form
from .panels import cycle_panels, waiting_shown
from .ranking import cycle_ranking, radar_points, radar_svg
from .reports import evaluation_report_pdf, feedback_report_pdf
from .rules import feedback_released
from .score_page import TEMPLATE, consensus_form, score_page, scoring_assignment, sheet_form
from .selectors import (
    assignment_list_of,
    conflicts_visible_to,
    cycles_visible_to,
    expert_visible_to,
    experts_visible_to,
    with_score_inputs,
)
from .services.experts import (
    accept_pledge,
    decide_conflict,
    profile_of,
)
from .services.scoring import save_scores


def _error(request, exc: ApplicationError) -> None:
    messages.error(request, exc.user_message)


def _cycle(request, pk: int, perm: str) -> Cycle:
    cycle = Cycle.objects.select_related("programme", "criteria_set").filter(pk=pk).first()
    if cycle is None or not request.user.reads(cycle.programme_id):
        raise Http404
    if not request.user.has_perm(perm, cycle):
        raise PermissionDenied
    return cycle


def _application(request, pk: int, perm: str) -> Application:
    app = with_score_inputs(Application.objects.filter(pk=pk)).first()
    if app is None or not request.user.reads(app.cycle.programme_id) or app.submitted_at is None:
        raise Http404
    if not request.user.has_perm(perm, app.cycle):
        raise PermissionDenied
    return app


# --- experts -------------------------------------------------------------------------------


class MyAssignmentsView(LoginRequiredMixin, View):
    template_name = "review/my_assignments.html"

    def get(self, request):
        if not request.user.has_perm("review.score"):
            raise PermissionDenied
        profile = profile_of(request.user)
        return render(
            request,
            self.template_name,
            {
                "profile": profile,
                "assignments": assignment_list_of(request.user, profile)
                if profile.pledge_accepted_at
                else [],
            },
        )

    def post(self, request):
        if not request.user.has_perm("review.score"):
            raise PermissionDenied
        if request.POST.get("pledge") != "yes":
            messages.error(request, gettext("请勾选并确认保密承诺。"))
        else:
            accept_pledge(expert=request.user)
            messages.success(request, gettext("已签署保密承诺。"))
        return redirect("review:my_assignments")


class ScoreView(LoginRequiredMixin, View):
    """The expert's scoring page: the evidence beside the GB/T 19580 items."""

    def get(self, request, pk: int):
        assignment = scoring_assignment(request.user, pk)
        page = score_page(assignment, sheet_form(assignment), consensus_form(assignment))
        return render(request, TEMPLATE, page)

    def post(self, request, pk: int):
        """Save the draft (the button, or the page's autosave); submitting is its own view."""
        assignment = scoring_assignment(request.user, pk)
        form = sheet_form(assignment, request.POST)
        autosave = bool(request.headers.get("X-Autosave"))
        if not form.is_valid():
            return render(request, TEMPLATE, score_page(assignment, form), status=400)
        try:
            save_scores(assignment=assignment, items=form.to_items(), expert=request.user)
        except ApplicationError as exc:
            if autosave:
                return HttpResponse(exc.message, status=400)
            _error(request, exc)
            return render(request, TEMPLATE, score_page(assignment, form), status=400)
        if autosave:
            return HttpResponse("saved")
        messages.success(request, gettext("草稿已保存。"))
        return redirect("review:score", pk=assignment.pk)


# --- the office's cycle work ---------------------------------------------------------------


class DashboardView(LoginRequiredMixin, View):
    """The cycle dashboard: the funnel of the eight steps, deadlines, what is late, who has
    not yet scored, and what waits for the viewer."""

    template_name = "review/dashboard.html"

    def get(self, request):
        user = request.user
        if not user.has_perm("review.open_dashboard"):
            raise PermissionDenied
        day = today()
        cycles, more_cycles, chosen = dashboard_cycles(user, day, request.GET.get("cycle"))
        ctx = {
            "cycles": cycles,
            "more_cycles": more_cycles,
            "cycle": chosen,
            "failing_jobs": jobs_needing_attention(user).count()
            if user.has_perm("notifications.view_jobs")
            else 0,
            "can_rank": chosen is not None and user.has_perm("review.view_ranking", chosen),
            # Issue 11: what waits for this user, in every programme they serve, and what
            # they were told of lately (the supervisor watches through these).
            "recent": recent_notifications(user),
        }
        ctx["waiting"], ctx["more_waiting"] = waiting_shown(user)
        if chosen is not None:
            ctx.update(cycle_dashboard(chosen, day))
            ctx["panels"] = cycle_panels("dashboard", request, chosen)
        return render(request, self.template_name, ctx)


class CyclesView(LoginRequiredMixin, View):
    """Every year's cycles of the programmes the caller reads, past ones too (issue 11), with
    their status, counts and links to their review page, ranking and records."""

    template_name = "review/cycles.html"
    per_page = 30

    def get(self, request):
        user = request.user
        if not user.has_perm("review.list_cycles"):
            raise PermissionDenied
        programmes = {p.pk: p for p in Programme.objects.filter(user.read_programme_filter("pk"))}
        chosen = request.GET.get("programme", "").strip()
        programme_id = None
        if chosen and not chosen.isdigit():
            messages.error(request, gettext("质量奖筛选条件无效，已显示全部质量奖。"))
        elif chosen:
            programme_id = int(chosen)
            if programme_id not in programmes:
                raise Http404  # not a programme the caller reads
        page = Paginator(cycles_visible_to(user, programme_id), self.per_page).get_page(
            request.GET.get("page")
        )
        rows = [
            {
                "cycle": c,
                "can_rank": user.has_perm("review.view_ranking", c),
                "can_decide": user.has_perm("review.decide_winners", c),
            }
            for c in page.object_list
        ]
        return render(
            request,
            self.template_name,
            {
                "page": page,
                "rows": rows,
                "programmes": sorted(programmes.values(), key=lambda p: p.name),
                "programme_id": programme_id,
                "can_list_records": user.has_perm("applications.view_intake_list"),
            },
        )


class CycleReviewView(LoginRequiredMixin, View):
    """The office's work on a cycle: assignments, shortlist, candidates, publicity."""

    template_name = "review/cycle.html"

    def get(self, request, pk: int):
        cycle = _cycle(request, pk, "review.view_dashboard")
        context = cycle_page(request.user, cycle)
        context["panels"] = cycle_panels("cycle", request, cycle)
        return render(request, self.template_name, context)


class ApplicationReviewView(LoginRequiredMixin, View):
    """One application's review for the office: sheets, dispersion and consensus, on-site
    arrangements, the survey and the reports."""

    template_name = "review/application.html"

    def _context(self, request, app, **forms):
        context = review_page(request.user, app, forms)
        context["survey_base"] = request.build_absolute_uri("/survey/")
        return context

    def get(self, request, pk: int):
        app = _application(request, pk, "review.view_dashboard")
        return render(request, self.template_name, self._context(request, app))


class ReportView(LoginRequiredMixin, View):
    """The feedback report (owner after the document stage; staff) and the evaluation report
    (staff), as PDF attachments."""

    def get(self, request, pk: int, kind: str):
        app = with_score_inputs(Application.objects.filter(pk=pk)).first()
        if app is None or not request.user.has_perm("applications.view_application", app):
            raise Http404
        user = request.user
        if kind == "feedback":
            if not user.has_perm("review.view_feedback", app):
                if user.has_perm("applications.follow_application", app) or not feedback_released(
                    user, app
                ):
                    raise Http404  # no report before the document stage ends (R12.4)
                raise PermissionDenied
            content = feedback_report_pdf(app)
        elif kind == "evaluation":
            if not user.has_perm("review.view_dashboard", app.cycle):
                raise PermissionDenied
            content = evaluation_report_pdf(app)
        else:
            raise Http404
        return private_download(
            content, filename=f"{kind}-{app.pk}.pdf", content_type="application/pdf"
        )


class RankingView(LoginRequiredMixin, View):
    template_name = "review/ranking.html"

    def get(self, request, pk: int):
        cycle = _cycle(request, pk, "review.view_ranking")
        rows = cycle_ranking(cycle)
        categories = criteria_categories(cycle.criteria_set_id)
        for row in rows:
            row["radar"] = radar_points(
                row["onsite"]["by_category"] or row["document"]["by_category"], categories
            )
            row["radar_svg"] = radar_svg(row["radar"])
        return render(request, self.template_name, {"cycle": cycle, "rows": rows})


class RankingXlsxView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        cycle = _cycle(request, pk, "review.view_ranking")
        return private_download(
            ranking_xlsx(cycle),
            filename=f"ranking-{cycle.year}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )


class ConflictDecisionView(LoginRequiredMixin, View):
    """The office decides on sheets submitted before an expert declared a conflict (R23)."""

    def post(self, request, pk: int):
        if not request.user.has_perm("review.view_experts"):
            raise Http404
        conflict = get_object_or_404(conflicts_visible_to(request.user), pk=pk)
        if not request.user.has_perm("review.manage_experts"):
            raise PermissionDenied
        form = ConflictDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("决定未记录：") + form_errors_text(form))
        else:
            try:
                decide_conflict(
                    conflict=conflict,
                    actor=request.user,
                    reason=form.cleaned_data["reasons"],
                    withdraw_scores=form.cleaned_data["withdraw_scores"],
                )
                messages.success(request, gettext("已记录对已提交评分的决定。"))
            except ApplicationError as exc:
                _error(request, exc)
        return redirect(expert_url(conflict.expert_id, request.POST.get("page")))


class ExpertsView(LoginRequiredMixin, View):
    """The expert pool for the office (the supervisor reads it)."""

    template_name = "review/experts.html"

    per_page = 25

    def _context(self, request, obj=None, add_form=None) -> dict:
        pool = experts_visible_to(request.user).prefetch_related("conflicts__organisation")
        # One page of experts at a time: the pool of a province is a thousand people.
        page = Paginator(pool, self.per_page).get_page(request.GET.get("page"))
        can_manage = request.user.has_perm("review.manage_experts")
        return {
            "page": page,
            "pool": page.object_list,
            "can_manage": can_manage,
            "add_form": add_form
            if add_form is not None
            else (add_expert_form(request.user) if can_manage else None),
            # The experts of this page only: the pool of a province is a thousand people.
            "calibration": expert_calibration(
                request.user, experts=[u.pk for u in page.object_list]
            )
            if request.user.has_perm("review.view_calibration")
            else None,
        }

    def get(self, request):
        if not request.user.has_perm("review.view_experts"):
            raise PermissionDenied
        return render(request, self.template_name, self._context(request))


class ExpertDetailView(LoginRequiredMixin, View):
    """One expert of the pool: the office manages them here, the supervisor reads (404 for an
    expert outside the caller's pool)."""

    template_name = "review/expert.html"

    def get(self, request, pk: int):
        if not request.user.has_perm("review.view_experts"):
            raise PermissionDenied
        expert = expert_visible_to(request.user, pk)
        if expert is None:
            raise Http404
        can_manage = request.user.has_perm("review.manage_experts")
        page = back_to_pool_page(request.GET.get("page"))
        return render(request, self.template_name, expert_page(expert, can_manage, page))
