"""The office's and the experts' review operations, one view each (issue 10 §3): posted from
the cycle page, an application's review page, a score sheet and the expert pool. Each asks its
named permission, validates its form and calls one service, where the rule lives."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from accounts.models import User
from common.exceptions import ApplicationError
from common.operations import OperationView, form_errors_text
from programmes.selectors import criteria_items

from .enums import Stage
from .expert_page import expert_url
from .forms import (
    AssignForm,
    ConflictForm,
    ConsensusForm,
    ExpertProfileForm,
    ExpertStatusForm,
    RevokeAssignmentForm,
    ScoreSubmitForm,
    SurveyEntryForm,
    TokensForm,
    VisitForm,
    add_expert_form,
)
from .models import Assignment
from .score_page import TEMPLATE, consensus_form, score_page, scoring_assignment, sheet_form
from .selectors import expert_pool, experts_visible_to
from .services.assignment import assign_expert, auto_assign, revoke_assignment
from .services.decisions import propose_candidates, shortlist
from .services.experts import add_expert, declare_conflict, set_expert_status, update_expert
from .services.onsite import issue_survey_tokens, record_survey, schedule_visit
from .services.scoring import record_consensus, save_scores, submit_scores
from .views import ApplicationReviewView, ExpertsView, _application, _cycle

# --- a cycle ------------------------------------------------------------------------------


class CycleOperation(OperationView):
    permission = "review.manage_review"

    def get_object(self, request, pk: int, **kwargs):
        return _cycle(request, pk, self.permission)

    def success_url(self, cycle) -> str:
        return reverse("review:cycle", args=[cycle.pk])


class AutoAssignView(CycleOperation):
    """Experts assigned by the pool's rules (R10.2, R23), document review or on-site group."""

    def get_object(self, request, pk: int, stage: str):
        if stage not in Stage.values:
            raise Http404
        self.stage = stage
        return super().get_object(request, pk)

    def perform(self, request, cycle, data):
        created = auto_assign(cycle=cycle, stage=self.stage, actor=request.user)
        return gettext("已自动指派%(len)s项评审任务。") % {"len": len(created)}


class ShortlistView(CycleOperation):
    """Who goes on to the on-site review (R12.4); the rest are not shortlisted."""

    def perform(self, request, cycle, data):
        ids = request.POST.getlist("applications")
        out = shortlist(cycle=cycle, application_ids=ids, actor=request.user)
        return gettext("现场评审%(len)s个，未进入%(len2)s个。") % {
            "len": len(out["onsite_review"]),
            "len2": len(out["not_shortlisted"]),
        }


class CandidatesView(CycleOperation):
    """The candidates sent to the committee (R12.6)."""

    def perform(self, request, cycle, data):
        ids = request.POST.getlist("applications")
        out = propose_candidates(cycle=cycle, application_ids=ids, actor=request.user)
        return gettext("候选%(len)s个。") % {"len": len(out["candidate"])}


# --- an application's review --------------------------------------------------------------


class ApplicationOperation(OperationView):
    permission = "review.manage_review"
    page_view = ApplicationReviewView

    def get_object(self, request, pk: int):
        return _application(request, pk, self.permission)

    def permission_object(self, app):
        return app.cycle

    def success_url(self, app) -> str:
        return reverse("review:application", args=[app.pk])


class AssignView(ApplicationOperation):
    """One expert assigned by hand (R10.2; a declared conflict refuses it, R23)."""

    form_class = AssignForm
    invalid_message = _("请选择专家和阶段。")
    success_message = _("已指派。")

    def form_kwargs(self, app) -> dict:
        return {"experts": expert_pool(app.cycle.programme_id)}

    def perform(self, request, app, data):
        expert = get_object_or_404(User, pk=data["expert"])
        assign_expert(
            application=app,
            expert=expert,
            stage=data["stage"],
            leader=data["leader"],
            actor=request.user,
        )


class RevokeAssignmentView(ApplicationOperation):
    """The office withdraws an expert's unfinished assignment (撤回分配), with a reason; a
    submitted sheet, or a second request, is refused by the service (409)."""

    form_class = RevokeAssignmentForm
    invalid_message = _("请写明撤回原因。")
    success_message = _("评审任务已撤回。")

    def get_object(self, request, pk: int):
        assignment = get_object_or_404(Assignment.objects.only("pk", "application_id"), pk=pk)
        self.assignment = assignment
        return super().get_object(request, assignment.application_id)

    def perform(self, request, app, data):
        revoke_assignment(assignment=self.assignment, reason=data["reason"], actor=request.user)


class DocumentConsensusView(ApplicationOperation):
    """The document-review consensus on items whose marks spread too far (SCORING.md)."""

    form_class = ConsensusForm
    invalid_message = _("请至少为一个条款选择一致意见百分比。")
    success_message = _("一致意见已记录。")

    def form_kwargs(self, app) -> dict:
        return {"items": criteria_items(app.cycle.criteria_set_id)}

    def perform(self, request, app, data):
        items = self.form.to_items()
        if not items:
            raise ApplicationError(str(self.invalid_message))
        record_consensus(application=app, stage=Stage.DOCUMENT, items=items, actor=request.user)


class VisitScheduleView(ApplicationOperation):
    """The on-site visit's date (on-site scores count only from it, R12.5)."""

    form_class = VisitForm
    invalid_message = _("请填写有效日期。")
    success_message = _("现场评审日期已安排。")

    def perform(self, request, app, data):
        schedule_visit(application=app, actor=request.user, **data)


class SurveyEntryView(ApplicationOperation):
    """Satisfaction survey answers typed in bulk; every bad line is listed, the text kept."""

    form_class = SurveyEntryForm
    form_name = "survey_form"

    def perform(self, request, app, data):
        created = record_survey(application=app, responses=data["lines"], actor=request.user)
        return gettext("已录入%(len)s份测评结果。") % {"len": len(created)}

    def refused(self, request, app, form, exc):
        if exc.code != "invalid":
            return super().refused(request, app, form, exc)
        form.add_error("lines", exc.user_message)  # the typed lines stay in the box
        return self.render_page(request, app, form)


class SurveyTokensView(ApplicationOperation):
    """Single-use survey links for phones."""

    form_class = TokensForm
    invalid_message = _("链接数应为1到500。")
    success_message = _("测评链接已生成。")

    def perform(self, request, app, data):
        issue_survey_tokens(application=app, count=data["count"], actor=request.user)


# --- an expert's score sheet --------------------------------------------------------------


class ScoreSubmitView(LoginRequiredMixin, View):
    """The expert submits the sheet (saved first) after confirming it; submitted marks are
    final (R23)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        assignment = scoring_assignment(request.user, pk)
        form = sheet_form(assignment, request.POST, form_class=ScoreSubmitForm)
        if form.is_valid():
            try:
                save_scores(assignment=assignment, items=form.to_items(), expert=request.user)
                submit_scores(assignment=assignment, expert=request.user)
            except ApplicationError as exc:
                messages.error(request, exc.user_message)
            else:
                messages.success(request, gettext("评分已提交。"))
                return redirect("review:score", pk=assignment.pk)
        return render(request, TEMPLATE, score_page(assignment, form), status=400)


class OnsiteConsensusView(LoginRequiredMixin, View):
    """The on-site group's leader records the group's consensus (SCORING.md)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        assignment = scoring_assignment(request.user, pk)
        form = consensus_form(assignment, request.POST)
        if form is None:
            raise PermissionDenied  # only the leader, once every member has submitted
        if form.is_valid():
            try:
                record_consensus(
                    application=assignment.application,
                    stage=Stage.ONSITE,
                    items=form.to_items(),
                    actor=request.user,
                )
                messages.success(request, gettext("评审组一致意见已记录。"))
            except ApplicationError as exc:
                messages.error(request, exc.user_message)
        return redirect("review:score", pk=assignment.pk)


# --- the expert pool ----------------------------------------------------------------------


class ExpertOperation(OperationView):
    """An operation on one expert of the pool the office manages (404 for another's), posted
    from the expert's page and back there, success or not: bad input is said in a message that
    names each field and its error, after ``invalid_message``."""

    permission = "review.manage_experts"

    def get_object(self, request, pk: int):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return get_object_or_404(experts_visible_to(request.user), pk=pk)

    def permission_object(self, expert):
        return None

    def success_url(self, expert) -> str:
        return expert_url(expert.pk, self.request.POST.get("page"))

    def form_invalid(self, request, expert, form):
        messages.error(request, str(self.invalid_message) + form_errors_text(form))
        return redirect(self.success_url(expert))


class AddExpertView(OperationView):
    """The office adds a member to the expert pool (issue 11): the same account service as
    the operators' ``create_user --role expert``, and the expert's profile. Bad input, a
    username already taken (a second submission too) and a programme the office does not
    serve show the page again with the form's errors (400)."""

    permission = "review.manage_experts"
    page_view = ExpertsView
    form_name = "add_form"
    # The service's field names, on the form.
    FIELDS = {"password": "password1", "role": None, "level": None, "industry": None}

    def get_object(self, request, **kwargs):
        return None

    def get_form_class(self, request):
        return lambda data, files: add_expert_form(request.user, data)

    def perform(self, request, obj, data):
        user = add_expert(
            actor=request.user,
            username=data["username"],
            password=data["password1"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            programmes=data["programmes"],
            qualifications=data["qualifications"],
            industries=data["industries"],
            employer=data["employer"],
            term_starts_on=data["term_starts_on"],
            term_ends_on=data["term_ends_on"],
        )
        self.created = user
        return gettext("已添加专家%(name)s（%(username)s）。") % {
            "name": user.display_name,
            "username": user.username,
        }

    def refused(self, request, obj, form, exc):
        field = self.FIELDS.get(exc.field, exc.field)
        form.add_error(field if field in form.fields else None, exc.user_message)
        return self.render_page(request, obj, form)

    def success_url(self, obj) -> str:
        created = getattr(self, "created", None)
        return reverse("review:experts") + (f"#expert-{created.pk}" if created else "")


class ExpertStatusView(ExpertOperation):
    form_class = ExpertStatusForm
    invalid_message = _("专家状态未更新：")
    success_message = _("专家状态已更新。")

    def perform(self, request, expert, data):
        set_expert_status(expert=expert, actor=request.user, **data)


class ExpertProfileView(ExpertOperation):
    form_class = ExpertProfileForm
    invalid_message = _("专家信息未保存：")
    success_message = _("专家信息已保存。")

    def perform(self, request, expert, data):
        update_expert(expert=expert, data=data, actor=request.user)


class ExpertConflictView(ExpertOperation):
    """A conflict of interest the office records for an expert (R23: access ends at once)."""

    form_class = ConflictForm
    invalid_message = _("请填写组织的统一社会信用代码并写明回避理由：")
    success_message = _("回避关系已登记，相关评审任务已撤销。")

    def perform(self, request, expert, data):
        declare_conflict(
            expert=expert,
            actor=request.user,
            organisation=data["organisation"],
            reason=data["reason"],
        )
