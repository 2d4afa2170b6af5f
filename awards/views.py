from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from accounts.enums import Role
from applications.enums import ApplicationStatus as S
from applications.models import Application
from common.dates import today
from common.exceptions import ApplicationError
from common.forms import add_service_error
from programmes.models import Cycle
from review.models import SurveyToken
from review.services.onsite import answer_survey

from .api import in_publicity
from .enums import AwardStatus, ObjectionStatus
from .forms import ObjectionForm, ResolveObjectionForm, SurveyAnswerForm
from .models import Objection
from .selectors import award_by_code, registry
from .services.publicity import announce_cycle, file_objection, resolve_objection


class RegistryView(TemplateView):
    """Public: every award with its status, searchable (R15-R18: others check validity here)."""

    template_name = "awards/registry.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        status = self.request.GET.get("status", "")
        if status not in AwardStatus.values:
            status = ""
        page = Paginator(registry(query=query, status=status), 25).get_page(
            self.request.GET.get("page")
        )
        ctx.update(page=page, query=query, status=status, statuses=AwardStatus.choices)
        return ctx


class VerifyView(TemplateView):
    """Public: the verdict for one award, reached from the certificate's QR code."""

    template_name = "awards/verify.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        award = award_by_code(kwargs["code"])
        if award is None:
            raise Http404
        ctx["award"] = award
        return ctx


class PublicityView(TemplateView):
    """Public: the proposed winners under publicity (R12.7), and how to object."""

    template_name = "awards/publicity.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["applications"] = in_publicity()
        ctx["today"] = today()
        return ctx


class ObjectionView(View):
    """Public: an objection under the objector's real name. Rate-limited per address."""

    template_name = "awards/objection.html"
    limit = 5  # per hour and address

    def _app(self, pk: int) -> Application:
        app = in_publicity().filter(pk=pk).first()
        if app is None:
            raise Http404
        return app

    def get(self, request, pk: int):
        return render(request, self.template_name, {"app": self._app(pk), "form": ObjectionForm()})

    def post(self, request, pk: int):
        app = self._app(pk)
        form = ObjectionForm(request.POST)
        key = f"objection-rate:{request.META.get('REMOTE_ADDR', '')}"
        count = cache.get(key, 0)
        if count >= self.limit:
            form.add_error(None, "提交过于频繁，请一小时后再试。")
            return render(request, self.template_name, {"app": app, "form": form}, status=429)
        if form.is_valid():
            try:
                file_objection(application_id=app.pk, **form.cleaned_data)
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                cache.set(key, count + 1, 3600)
                messages.success(request, "异议已提交，评审委员会办公室将调查核实。感谢您的监督。")
                return redirect("awards:publicity")
        return render(request, self.template_name, {"app": app, "form": form}, status=400)


class ResolveObjectionView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        objection = Objection.objects.select_related("application__cycle").filter(pk=pk).first()
        if objection is None or not request.user.serves(objection.application.cycle.programme_id):
            raise Http404
        if not request.user.has_perm("awards.resolve_objection", objection.application.cycle):
            raise PermissionDenied
        form = ResolveObjectionForm(request.POST)
        if form.is_valid():
            try:
                resolve_objection(objection=objection, actor=request.user, **form.cleaned_data)
                messages.success(request, "异议处理结果已记录。")
            except ApplicationError as exc:
                messages.error(request, exc.message)
        else:
            messages.error(request, "请选择调查结论并写明处理意见。")
        return redirect("review:cycle", pk=objection.application.cycle_id)


class ApprovalsView(LoginRequiredMixin, View):
    """The government's page: cycles whose publicity ended, to approve and announce (R12.8)."""

    template_name = "awards/approvals.html"

    def get(self, request):
        if not request.user.has_role(Role.GOVERNMENT):
            raise PermissionDenied
        cycles = (
            Cycle.objects.filter(publicity_starts_on__isnull=False, announced_on=None)
            .filter(request.user.served_programme_filter("programme"))
            .select_related("programme")
            .order_by("-year")
        )
        rows = []
        for cycle in cycles:
            rows.append(
                {
                    "cycle": cycle,
                    "winners": cycle.applications.filter(status=S.PUBLICITY).select_related(
                        "organisation"
                    ),
                    "open_objections": Objection.objects.filter(
                        application__cycle=cycle, status=ObjectionStatus.OPEN
                    ).count(),
                    "ended": cycle.publicity_ends_on < today(),
                }
            )
        return render(request, self.template_name, {"rows": rows, "today": today()})

    def post(self, request):
        cycle = Cycle.objects.filter(pk=request.POST.get("cycle") or 0).first()
        if cycle is None or not request.user.serves(cycle.programme_id):
            raise Http404
        if not request.user.has_perm("awards.announce", cycle):
            raise PermissionDenied
        try:
            awards = announce_cycle(cycle=cycle, actor=request.user)
            messages.success(request, f"已批准公告，{len(awards)}个组织获奖，证书正在生成。")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("awards:approvals")


class SurveyAnswerView(View):
    """Public: one customer's answer through a single-use link (满意度测评)."""

    template_name = "awards/survey.html"

    def _token(self, token: str) -> SurveyToken:
        found = (
            SurveyToken.objects.select_related("application__organisation")
            .filter(token=token)
            .first()
        )
        if found is None:
            raise Http404
        return found

    def get(self, request, token: str):
        found = self._token(token)
        return render(
            request,
            self.template_name,
            {"token": found, "form": SurveyAnswerForm(), "used": found.used_at is not None},
        )

    def post(self, request, token: str):
        found = self._token(token)
        form = SurveyAnswerForm(request.POST)
        if form.is_valid():
            try:
                answer_survey(token=token, **form.cleaned_data)
                return render(request, self.template_name, {"token": found, "thanks": True})
            except ApplicationError as exc:
                add_service_error(form, exc)
        return render(
            request,
            self.template_name,
            {"token": found, "form": form, "used": found.used_at is not None},
            status=400,
        )
