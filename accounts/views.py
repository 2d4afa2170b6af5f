from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from common.exceptions import ApplicationError
from common.forms import add_service_error
from programmes.selectors import programme_regions

from .enums import ClaimStatus
from .forms import ClaimDecisionForm, ClaimSubmitForm, RegisterForm
from .models import ClaimEvidence
from .selectors import claims, claims_of, has_open_claim, visible_claim
from .services.claims import decide_claim, refile_claim, submit_claim
from .services.users import REGISTRATION_RECEIVED, register_enterprise

# The form's names for the organisation's fields, where they differ from the model's.
_ORG_FIELD_ON_FORM = {"name": "org_name"}


def landing_url(request, user, default: str) -> str:
    """Where a person goes after logging in: a claimant without an organisation is shown their
    claim and what to do (issue 8 item 13); everyone else where they were going."""
    if user.organisation_id is None and not user.role_names() and has_open_claim(user):
        messages.warning(
            request,
            _(
                "您注册时填写的统一社会信用代码已由其他账号注册。请在下方上传营业执照等证明材料，"
                "评审委员会办公室核实后会将该组织转至您的账号。"
            ),
        )
        return reverse("accounts:my_claims")
    return default


class LoginView(auth_views.LoginView):
    """The password step of logging in."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        return landing_url(self.request, self.request.user, super().get_success_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.request.GET.get("reason") == "idle":
            ctx["notice"] = _(
                "您已超过%(minutes)d分钟未操作，为保护评审数据安全，系统已自动退出登录。请重新登录。"
            ) % {"minutes": settings.STAFF_SESSION_IDLE_MINUTES}
        return ctx


class RegisterView(FormView):
    template_name = "accounts/register.html"
    form_class = RegisterForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "regions": programme_regions()}

    def form_valid(self, form):
        try:
            register_enterprise(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                organisation=form.organisation_data(),
                email=form.cleaned_data.get("email", ""),
                name=form.cleaned_data["name"],
                phone=form.cleaned_data.get("phone", ""),
            )
        except ApplicationError as exc:
            exc.field = _ORG_FIELD_ON_FORM.get(exc.field, exc.field)
            add_service_error(form, exc)
            return self.form_invalid(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                exc = ValidationError(
                    {_ORG_FIELD_ON_FORM.get(k, k): v for k, v in exc.error_dict.items()}
                )
            add_service_error(form, exc)
            return self.form_invalid(form)
        # The same page whatever happened (issue 8 item 13); the person logs in next.
        return redirect("accounts:register_done")


class RegisterDoneView(TemplateView):
    template_name = "accounts/register_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "message": REGISTRATION_RECEIVED}


class ClaimListView(LoginRequiredMixin, TemplateView):
    """The office's (and the supervisor's) list of organisation claims."""

    template_name = "accounts/claims/list.html"

    def get_context_data(self, **kwargs):
        if not self.request.user.has_perm("accounts.list_claims"):
            raise PermissionDenied
        status = self.request.GET.get("status", "")
        qs = claims().order_by("-created_at", "-id")
        if status in ClaimStatus.values:
            qs = qs.filter(status=status)
        page = Paginator(qs, 30).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "page": page,
            "status": status,
            "statuses": ClaimStatus.choices,
        }


class MyClaimsView(LoginRequiredMixin, TemplateView):
    """A person's own claims: what happened, and what to do next."""

    template_name = "accounts/claims/mine.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "claims": list(claims_of(self.request.user))}


class ClaimDetailView(LoginRequiredMixin, View):
    template_name = "accounts/claims/detail.html"

    def _render(self, request, claim, *, status=200, **forms):
        user = request.user
        ctx = {
            "claim": claim,
            "is_office_view": user.has_perm("accounts.list_claims"),
            "can_submit": user.has_perm("accounts.submit_claim", claim)
            and claim.status == ClaimStatus.AWAITING_EVIDENCE,
            "can_decide": user.has_perm("accounts.decide_claim", claim)
            and claim.status == ClaimStatus.SUBMITTED,
            "can_refile": user.has_perm("accounts.submit_claim", claim)
            and claim.status == ClaimStatus.REJECTED,
            "submit_form": forms.get("submit_form") or ClaimSubmitForm(),
            "decision_form": forms.get("decision_form") or ClaimDecisionForm(),
        }
        return render(request, self.template_name, ctx, status=status)

    def get(self, request, pk: int):
        return self._render(request, visible_claim(request.user, pk))

    def post(self, request, pk: int):
        claim = visible_claim(request.user, pk)
        action = request.POST.get("action")
        if action == "submit":
            return self._submit(request, claim)
        if action == "decide":
            return self._decide(request, claim)
        if action == "refile":
            if not request.user.has_perm("accounts.submit_claim", claim):
                raise PermissionDenied
            try:
                new = refile_claim(claim=claim, actor=request.user)
            except ApplicationError as exc:
                messages.error(request, exc.user_message)
                return redirect("accounts:claim_detail", pk=claim.pk)
            messages.success(request, _("已重新提出认领申请，请上传证明材料。"))
            return redirect("accounts:claim_detail", pk=new.pk)
        messages.error(request, _("未知操作。"))
        return redirect("accounts:claim_detail", pk=claim.pk)

    def _submit(self, request, claim):
        if not request.user.has_perm("accounts.submit_claim", claim):
            raise PermissionDenied
        form = ClaimSubmitForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                submit_claim(
                    claim=claim,
                    licence=form.cleaned_data["licence"],
                    authorisation=form.cleaned_data.get("authorisation"),
                    statement=form.cleaned_data.get("statement", ""),
                    actor=request.user,
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("证明材料已提交，评审委员会办公室核实后会通知您结果。"))
                return redirect("accounts:claim_detail", pk=claim.pk)
        return self._render(request, claim, status=400, submit_form=form)

    def _decide(self, request, claim):
        if not request.user.has_perm("accounts.decide_claim", claim):
            raise PermissionDenied
        form = ClaimDecisionForm(request.POST)
        if form.is_valid():
            try:
                decide_claim(
                    claim=claim,
                    approve=form.cleaned_data["decision"] == "approve",
                    reasons=form.cleaned_data["reasons"],
                    keep_other_users=form.cleaned_data["keep_other_users"],
                    actor=request.user,
                )
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("核实结论已记录，并已通知相关账号。"))
                return redirect("accounts:claim_detail", pk=claim.pk)
        return self._render(request, claim, status=400, decision_form=form)


class ClaimEvidenceFileView(LoginRequiredMixin, View):
    """A proof file, as an attachment, to those who may see the claim."""

    def get(self, request, pk: int, evidence_id: int):
        claim = visible_claim(request.user, pk)
        evidence = get_object_or_404(ClaimEvidence, pk=evidence_id, claim=claim)
        return evidence_response(evidence)


def evidence_response(evidence: ClaimEvidence) -> FileResponse:
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
