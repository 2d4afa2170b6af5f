from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login

from common.downloads import private_download
from common.exceptions import ApplicationError
from common.forms import BlankForm, add_service_error
from common.operations import OperationView

from .enums import ClaimStatus
from .forms import (
    ClaimDecisionForm,
    ClaimSubmitForm,
    OneTimeCodeForm,
    RegisterForm,
    RemoveTwoFactorForm,
)
from .models import ClaimEvidence, User
from .selectors import claims, claims_of, open_claim_of, programme_regions, visible_claim
from .services.claims import decide_claim, refile_claim, submit_claim
from .services.two_factor import (
    confirm_enrolment,
    confirmed_device,
    forget_session_state,
    may_use_two_factor,
    provisioning,
    remove_two_factor,
    start_enrolment,
    two_factor_required,
    verify_code,
)
from .services.users import REGISTRATION_RECEIVED, register_enterprise

# The form's names for the organisation's fields, where they differ from the model's.
_ORG_FIELD_ON_FORM = {"name": "org_name"}


def landing_url(request, user, default: str) -> str:
    """Where a person goes after logging in: a claimant without an organisation is shown their
    open claim and what to do (issue 8 item 13); everyone else where they were going."""
    if user.organisation_id is not None or user.role_names():
        return default
    claim = open_claim_of(user)
    if claim is None:
        return default
    messages.warning(
        request,
        _(
            "您注册时填写的统一社会信用代码已由其他账号注册。请上传营业执照等证明材料申请认领，"
            "评审委员会办公室核实后会将该组织转至您的账号。"
        ),
    )
    return reverse("accounts:claim_detail", args=[claim.pk])


PENDING_KEY = "accounts_login_pending"
PENDING_TTL_SECONDS = 300


class LoginView(auth_views.LoginView):
    """The password step of logging in. A user with a two-factor device is not logged in yet:
    the session remembers who gave the right password, and the code step finishes the login."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["blank_form"] = BlankForm.of(ctx["form"])
        if self.request.GET.get("reason") == "idle":
            ctx["notice"] = _(
                "您已超过%(minutes)d分钟未操作，为保护评审数据安全，系统已自动退出登录。请重新登录。"
            ) % {"minutes": settings.STAFF_SESSION_IDLE_MINUTES}
        return ctx

    def form_valid(self, form):
        user = form.get_user()
        if confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": int(timezone.now().timestamp()),
        }
        query = urlencode({"next": self.get_redirect_url() or ""})
        return redirect(f"{reverse('accounts:login_code')}?{query}")

    def get_success_url(self):
        return landing_url(self.request, self.request.user, super().get_success_url())


def _pending_user(request) -> tuple[User | None, str]:
    """Who gave the right password in this session a moment ago, and their backend."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("at"), int):
        return None, ""
    if timezone.now().timestamp() - pending["at"] > PENDING_TTL_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, ""
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, str(pending.get("backend", ""))


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class LoginCodeView(View):
    """The second step: the six-digit code of the authenticator app. Serves a password just
    given (not logged in yet) and a session logged in by another path without a code."""

    template_name = "accounts/login_code.html"

    def _user(self, request):
        if request.user.is_authenticated:
            if request.user.is_verified() or confirmed_device(request.user) is None:
                return None, ""
            return request.user, ""
        return _pending_user(request)

    def get(self, request):
        user, _backend = self._user(request)
        if user is None:
            return redirect("accounts:login")
        return render(request, self.template_name, self._ctx(request, OneTimeCodeForm()))

    def post(self, request):
        user, backend = self._user(request)
        if user is None:
            messages.error(request, _("登录已超时，请重新输入用户名和密码。"))
            return redirect("accounts:login")
        form = OneTimeCodeForm(request.POST)
        if form.is_valid():
            try:
                device = verify_code(user=user, token=form.cleaned_data["otp"])
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                if not request.user.is_authenticated:
                    request.session.pop(PENDING_KEY, None)
                    login(request, user, backend=backend or None)
                otp_login(request, device)
                forget_session_state(request.session)
                return redirect(
                    landing_url(request, user, _safe_next(request, resolve_url("home")))
                )
        return render(request, self.template_name, self._ctx(request, form), status=400)

    def _ctx(self, request, form):
        return {"form": form, "next": _safe_next(request, "")}


def _require_two_factor_user(request):
    if not may_use_two_factor(request.user):
        raise PermissionDenied


class TwoFactorView(LoginRequiredMixin, View):
    """Enrol an authenticator app: the QR code and the secret, confirmed with a code."""

    template_name = "accounts/two_factor.html"

    def _render(self, request, form, status=200):
        user = request.user
        device = confirmed_device(user)
        ctx = {
            "enabled": device is not None,
            "required": two_factor_required(user),
            "form": form,
            "next": _safe_next(request, ""),
        }
        if device is None:
            ctx["setup"] = provisioning(start_enrolment(user=user))
        return render(request, self.template_name, ctx, status=status)

    def get(self, request):
        _require_two_factor_user(request)
        return self._render(request, OneTimeCodeForm())

    def post(self, request):
        _require_two_factor_user(request)
        form = OneTimeCodeForm(request.POST)
        if form.is_valid():
            try:
                device = confirm_enrolment(user=request.user, token=form.cleaned_data["otp"])
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                otp_login(request, device)
                forget_session_state(request.session)
                messages.success(request, _("两步验证已启用，今后登录时须输入动态验证码。"))
                return redirect(_safe_next(request, reverse("accounts:two_factor")))
        return self._render(request, form, status=400)


class TwoFactorRemoveView(LoginRequiredMixin, View):
    template_name = "accounts/two_factor_remove.html"

    def get(self, request):
        _require_two_factor_user(request)
        if confirmed_device(request.user) is None:
            return redirect("accounts:two_factor")
        return render(request, self.template_name, self._ctx(request, RemoveTwoFactorForm()))

    def post(self, request):
        _require_two_factor_user(request)
        form = RemoveTwoFactorForm(request.POST)
        if form.is_valid():
            try:
                remove_two_factor(user=request.user, password=form.cleaned_data["password"])
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                forget_session_state(request.session)
                messages.success(request, _("两步验证已停用。"))
                return redirect("accounts:two_factor")
        return render(request, self.template_name, self._ctx(request, form), status=400)

    def _ctx(self, request, form):
        return {"form": form, "required": two_factor_required(request.user)}


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

    def _context(self, request, claim, **forms) -> dict:
        user = request.user
        return {
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

    def get(self, request, pk: int):
        claim = visible_claim(request.user, pk)
        return render(request, self.template_name, self._context(request, claim))


class ClaimOperation(OperationView):
    """An operation posted from a claim's page; a refusal is shown on the form."""

    page_view = ClaimDetailView

    def get_object(self, request, pk: int):
        return visible_claim(request.user, pk)

    def success_url(self, claim) -> str:
        return reverse("accounts:claim_detail", args=[claim.pk])

    def refused(self, request, claim, form, exc):
        if form is None:
            return super().refused(request, claim, form, exc)
        add_service_error(form, exc)
        return self.render_page(request, claim, form)


class ClaimSubmitView(ClaimOperation):
    """The claimant sends the licence and authorisation (issue 8 item 13)."""

    permission = "accounts.submit_claim"
    form_class = ClaimSubmitForm
    form_name = "submit_form"
    success_message = _("证明材料已提交，评审委员会办公室核实后会通知您结果。")

    def perform(self, request, claim, data):
        submit_claim(
            claim=claim,
            licence=data["licence"],
            authorisation=data.get("authorisation"),
            statement=data.get("statement", ""),
            actor=request.user,
        )


class ClaimDecideView(ClaimOperation):
    """The office decides a claim and says why."""

    permission = "accounts.decide_claim"
    form_class = ClaimDecisionForm
    form_name = "decision_form"
    success_message = _("核实结论已记录，并已通知相关账号。")

    def perform(self, request, claim, data):
        decide_claim(
            claim=claim,
            approve=data["decision"] == "approve",
            reasons=data["reasons"],
            keep_other_users=data["keep_other_users"],
            actor=request.user,
        )


class ClaimRefileView(ClaimOperation):
    """A rejected claimant files again, on a new claim."""

    permission = "accounts.submit_claim"
    success_message = _("已重新提出认领申请，请上传证明材料。")

    def perform(self, request, claim, data):
        self.new = refile_claim(claim=claim, actor=request.user)

    def success_url(self, claim) -> str:
        return reverse("accounts:claim_detail", args=[getattr(self, "new", claim).pk])


class ClaimEvidenceFileView(LoginRequiredMixin, View):
    """A proof file, as an attachment, to those who may see the claim."""

    def get(self, request, pk: int, evidence_id: int):
        claim = visible_claim(request.user, pk)
        evidence = get_object_or_404(ClaimEvidence, pk=evidence_id, claim=claim)
        return evidence_response(evidence)


def evidence_response(evidence: ClaimEvidence) -> FileResponse:
    return private_download(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )
