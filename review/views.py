"""Browser pages of the review: experts score, the office runs the cycle, the committee and the
supervisor read the ranking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View

from applications.enums import STEP_OF_STATUS, ProcedureStep
from applications.enums import ApplicationStatus as S
from applications.forms import BANDS
from applications.models import Application
from applications.selectors import live_documents
from common.dates import today
from common.exceptions import ApplicationError
from common.spreadsheets import XLSX_CONTENT_TYPE
from notifications.selectors import jobs_needing_attention
from programmes.models import Cycle
from programmes.selectors import criteria_categories, criteria_items, current_cycles

from .calibration import expert_calibration
from .enums import AssignmentStatus, Stage
from .exports import ranking_xlsx
from .forms import (
    AssignForm,
    ConflictDecisionForm,
    ConflictForm,
    ConsensusForm,
    ExpertProfileForm,
    ExpertStatusForm,
    IdsForm,
    ScoreSheetForm,
    SurveyEntryForm,
    TokensForm,
    VisitForm,
)
from .models import Assignment, SurveyToken
from .panels import cycle_panels
from .ranking import cycle_ranking, radar_points
from .reports import evaluation_report_pdf, feedback_report_pdf
from .rules import feedback_released
from .scores import composite, dispersion, stage_score
from .selectors import (
    assignments_of,
    conflicts_visible_to,
    dispersion_flags,
    expert_pool,
    experts_visible_to,
    with_score_inputs,
    with_score_totals,
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
                "assignments": assignments_of(request.user) if profile.pledge_accepted_at else [],
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

    template_name = "review/score.html"

    def _assignment(self, request, pk: int) -> Assignment:
        assignment = assignments_of(request.user).filter(pk=pk).first()
        if assignment is None:
            raise Http404
        if not request.user.has_perm("applications.view_application", assignment.application):
            raise Http404  # no pledge yet, or no longer allowed
        return assignment

    def _context(self, assignment, form, consensus_form=None):
        app = assignment.application
        return {
            "assignment": assignment,
            "app": app,
            "form": form,
            "documents": live_documents(app),
            "total": form.running_total(),
            "consensus_form": consensus_form,
            "group_marks": self._group_marks(assignment) if consensus_form else {},
            "bands": BANDS,
            "locked": assignment.status == AssignmentStatus.SUBMITTED,
        }

    @staticmethod
    def _group_marks(assignment) -> dict[str, list[tuple[str, int]]]:
        """The on-site group's own marks per item, for the leader's consensus (R12.5)."""
        marks: dict[str, list[tuple[str, int]]] = {}
        sheets = (
            Assignment.objects.filter(
                application=assignment.application,
                stage=Stage.ONSITE,
                status=AssignmentStatus.SUBMITTED,
            )
            .select_related("expert")
            .prefetch_related("scores__item")
            .order_by("-leader", "expert__username")
        )
        for sheet in sheets:
            for score in sheet.scores.all():
                marks.setdefault(score.item.code, []).append(
                    (sheet.expert.display_name, score.percent)
                )
        return marks

    def _consensus_form(self, assignment, items, data=None):
        if not (
            assignment.leader
            and assignment.stage == Stage.ONSITE
            and assignment.status == AssignmentStatus.SUBMITTED
            and assignment.application.status == S.ONSITE_REVIEW
        ):
            return None
        existing = {
            c.item.code: c
            for c in assignment.application.consensus_scores.filter(
                voided_at=None, stage=Stage.ONSITE
            ).select_related("item")
        }
        initial = {}
        for code, c in existing.items():
            initial[f"p_{code}"], initial[f"c_{code}"] = str(c.percent), c.comment
        return ConsensusForm(data, items=items, initial=initial)

    def get(self, request, pk: int):
        assignment = self._assignment(request, pk)
        items = criteria_items(assignment.application.cycle.criteria_set_id)
        form = ScoreSheetForm(
            items=items,
            initial=ScoreSheetForm.initial_for(assignment.scores.select_related("item")),
        )
        return render(
            request,
            self.template_name,
            self._context(assignment, form, self._consensus_form(assignment, items)),
        )

    def post(self, request, pk: int):
        """Save the draft (the button, or the page's autosave); submitting is its own view."""
        assignment = self._assignment(request, pk)
        items = criteria_items(assignment.application.cycle.criteria_set_id)
        form = ScoreSheetForm(request.POST, items=items)
        if not form.is_valid():
            return render(request, self.template_name, self._context(assignment, form), status=400)
        try:
            save_scores(assignment=assignment, items=form.to_items(), expert=request.user)
            messages.success(request, gettext("草稿已保存。"))
        except ApplicationError as exc:
            if request.headers.get("X-Autosave"):
                return HttpResponse(exc.message, status=400)
            _error(request, exc)
            return render(request, self.template_name, self._context(assignment, form), status=400)
        if request.headers.get("X-Autosave"):
            return HttpResponse("saved")
        return redirect("review:score", pk=assignment.pk)


# --- the office's cycle work ---------------------------------------------------------------


def funnel(cycle: Cycle) -> list[dict]:
    counts = dict(cycle.applications.values_list("status").annotate(n=Count("id")).order_by())
    by_step = {step: 0 for step in ProcedureStep}
    for status, n in counts.items():
        by_step[STEP_OF_STATUS[status]] += n
    top = max(by_step.values()) or 1
    return [
        {"label": ProcedureStep(step).label, "count": n, "width": round(100 * n / top)}
        for step, n in by_step.items()
    ]


class DashboardView(LoginRequiredMixin, View):
    """The cycle dashboard: the funnel of the eight steps, deadlines, what is late, who has
    not yet scored."""

    template_name = "review/dashboard.html"

    def get(self, request):
        user = request.user
        if not user.has_perm("review.open_dashboard"):
            raise PermissionDenied
        day = today()
        cycles = [c for c in current_cycles(day) if user.reads(c.programme_id)]
        cycle_id = request.GET.get("cycle")
        chosen = None
        if cycle_id and cycle_id.isdigit():
            chosen = next(
                (
                    c
                    for c in Cycle.objects.select_related("programme").filter(pk=int(cycle_id))
                    if user.reads(c.programme_id)
                ),
                None,
            )
            if chosen is None:
                raise Http404
        chosen = chosen or (cycles[0] if cycles else None)
        ctx = {
            "cycles": cycles,
            "cycle": chosen,
            "failing_jobs": jobs_needing_attention(user).count()
            if user.has_perm("notifications.view_jobs")
            else 0,
            "can_rank": chosen is not None and user.has_perm("review.view_ranking", chosen),
            "awaiting_decision": chosen.applications.filter(status=S.CANDIDATE).count()
            if chosen is not None and user.has_perm("review.decide_winners", chosen)
            else None,
        }
        if chosen is not None:
            pending = (
                Assignment.objects.filter(
                    application__cycle=chosen, status=AssignmentStatus.ASSIGNED
                )
                .select_related("expert", "application__organisation")
                .order_by("expert__username")
            )
            late = []
            stuck = chosen.applications.filter(status=S.SUBMITTED).count()
            if chosen.recommendation_deadline < day and stuck:
                late.append(f"推荐截止日期已过，仍有{stuck}份申报待推荐")
            if (
                chosen.document_review_deadline
                and chosen.document_review_deadline < day
                and pending.filter(stage=Stage.DOCUMENT).exists()
            ):
                late.append("资料评审截止日期已过，仍有专家未提交评分")
            if (
                chosen.onsite_review_deadline
                and chosen.onsite_review_deadline < day
                and pending.filter(stage=Stage.ONSITE).exists()
            ):
                late.append("现场评审截止日期已过，仍有专家未提交评分")
            ctx.update(
                funnel=funnel(chosen),
                pending=pending,
                late=late,
                today=day,
                panels=cycle_panels("dashboard", request, chosen),
            )
        return render(request, self.template_name, ctx)


def _pool_calibration(user, cycle) -> list | None:
    """The calibration of the experts who may sit on this programme's panels (issue 14 item
    4), for the office and the supervisor."""
    if not user.has_perm("review.view_calibration"):
        return None
    pool = set(expert_pool(cycle.programme_id).values_list("pk", flat=True))
    return [c for c in expert_calibration(user) if c.expert_id in pool]


class CycleReviewView(LoginRequiredMixin, View):
    """The office's work on a cycle: assignments, shortlist, candidates, publicity."""

    template_name = "review/cycle.html"

    def get(self, request, pk: int):
        cycle = _cycle(request, pk, "review.view_dashboard")
        items = criteria_items(cycle.criteria_set_id)
        apps = list(
            with_score_totals(
                cycle.applications.filter(
                    status__in=(
                        S.ACCEPTED,
                        S.DOCUMENT_REVIEW,
                        S.ONSITE_REVIEW,
                        S.CANDIDATE,
                        S.PROPOSED,
                        S.PUBLICITY,
                        S.NOT_SHORTLISTED,
                        S.NOT_CANDIDATE,
                        S.NOT_PROPOSED,
                        S.AWARDED,
                        S.WITHDRAWN,
                    )
                )
                .filter(submitted_at__isnull=False)
                .order_by("organisation__name")
            )
        )
        # Stored sheet totals and a grouped query: no item score is read here (issue 12).
        flags = dispersion_flags(apps, cycle.settings.dispersion_threshold)
        rows = []
        for app in apps:
            result = composite(app, items, cycle.settings)
            rows.append(
                {
                    "app": app,
                    "result": result,
                    "document_experts": [
                        a for a in app.assignments.all() if a.stage == Stage.DOCUMENT
                    ],
                    "onsite_experts": [a for a in app.assignments.all() if a.stage == Stage.ONSITE],
                    "flags": flags.get(app.pk, 0),
                }
            )
        in_document = [
            (str(r["app"].pk), r["app"].organisation.name)
            for r in rows
            if r["app"].status == S.DOCUMENT_REVIEW
        ]
        in_onsite = [
            (str(r["app"].pk), r["app"].organisation.name)
            for r in rows
            if r["app"].status == S.ONSITE_REVIEW
        ]
        can_manage = request.user.has_perm("review.manage_review", cycle)
        return render(
            request,
            self.template_name,
            {
                "cycle": cycle,
                "rows": rows,
                "can_manage": can_manage,
                "shortlist_form": IdsForm(choices=in_document)
                if in_document and can_manage
                else None,
                "candidates_form": IdsForm(choices=in_onsite) if in_onsite and can_manage else None,
                "panels": cycle_panels("cycle", request, cycle),
                "calibration": _pool_calibration(request.user, cycle),
            },
        )


class ApplicationReviewView(LoginRequiredMixin, View):
    """One application's review for the office: sheets, dispersion and consensus, on-site
    arrangements, the survey and the reports."""

    template_name = "review/application.html"

    def _context(self, request, app, **forms):
        cycle = app.cycle
        items = criteria_items(cycle.criteria_set_id)
        flags = dispersion(app, items, cycle.settings)
        flagged = [d.item for d in flags if d.flagged]
        can_manage = request.user.has_perm("review.manage_review", cycle)
        return {
            "app": app,
            "cycle": cycle,
            "can_manage": can_manage,
            # R12.4: the feedback report exists once the document stage has ended.
            "can_feedback": request.user.has_perm("review.view_feedback", app),
            "document": stage_score(app, Stage.DOCUMENT, items, cycle.settings),
            "onsite": stage_score(app, Stage.ONSITE, items, cycle.settings),
            "result": composite(app, items, cycle.settings),
            "flags": flags,
            "consensus_form": forms.get("consensus_form")
            or (
                ConsensusForm(items=flagged)
                if flagged and can_manage and app.status == S.DOCUMENT_REVIEW
                else None
            ),
            "assign_form": forms.get("assign_form")
            or (
                AssignForm(experts=expert_pool(cycle.programme_id))
                if can_manage and app.status in (S.ACCEPTED, S.DOCUMENT_REVIEW, S.ONSITE_REVIEW)
                else None
            ),
            "visit_form": VisitForm(
                initial={
                    "scheduled_on": getattr(getattr(app, "site_visit", None), "scheduled_on", None)
                }
            )
            if can_manage and app.status == S.ONSITE_REVIEW
            else None,
            "survey_form": forms.get("survey_form")
            or (SurveyEntryForm() if can_manage and app.status == S.ONSITE_REVIEW else None),
            "tokens_form": TokensForm() if can_manage and app.status == S.ONSITE_REVIEW else None,
            "tokens": SurveyToken.objects.filter(application=app, used_at=None)
            if can_manage
            else [],
            "site_visit": getattr(app, "site_visit", None),
            "survey_base": request.build_absolute_uri("/survey/"),
        }

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
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{kind}-{app.pk}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


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
        return render(request, self.template_name, {"cycle": cycle, "rows": rows})


class RankingXlsxView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        cycle = _cycle(request, pk, "review.view_ranking")
        response = HttpResponse(ranking_xlsx(cycle), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="ranking-{cycle.year}.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response


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
            messages.error(request, _form_errors(form))
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
        return redirect(reverse("review:experts") + f"#expert-{conflict.expert_id}")


def _form_errors(form) -> str:
    return "；".join(" ".join(errors) for errors in form.errors.values())


class ExpertsView(LoginRequiredMixin, View):
    """The expert pool for the office (the supervisor reads it)."""

    template_name = "review/experts.html"

    per_page = 25

    @staticmethod
    def _forms(user) -> dict:
        """Each expert's forms, with ids of their own (one page holds many experts)."""
        profile = getattr(user, "expert_profile", None)
        auto_id = f"id_e{user.pk}_%s"
        initial = (
            {
                f: getattr(profile, f)
                for f in (
                    "qualifications",
                    "industries",
                    "employer",
                    "term_starts_on",
                    "term_ends_on",
                )
            }
            if profile
            else {}
        )
        return {
            "status": ExpertStatusForm(
                auto_id=auto_id, initial={"status": getattr(profile, "status", "active")}
            ),
            "profile": ExpertProfileForm(auto_id=auto_id, initial=initial),
            "conflict": ConflictForm(auto_id=auto_id),
            "conflict_decision": ConflictDecisionForm(auto_id=auto_id),
        }

    def get(self, request):
        if not request.user.has_perm("review.view_experts"):
            raise PermissionDenied
        pool = experts_visible_to(request.user).prefetch_related("conflicts__organisation")
        # One page of experts at a time: the pool of a province is a thousand people.
        page = Paginator(pool, self.per_page).get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {
                "page": page,
                "pool": [(u, self._forms(u)) for u in page.object_list],
                "can_manage": request.user.has_perm("review.manage_experts"),
                "calibration": expert_calibration(request.user)
                if request.user.has_perm("review.view_calibration")
                else None,
            },
        )
