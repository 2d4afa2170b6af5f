from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from applications.models import Application
from common.dates import today
from common.downloads import private_download
from common.exceptions import ApplicationError
from common.forms import add_service_error, posted_id
from common.models import AuditEntry
from common.operations import OperationView
from common.spreadsheets import XLSX_CONTENT_TYPE
from common.throttling import client_address, give_back, rate_of, take
from organisations.models import Organisation
from programmes.models import Cycle, Programme
from review.models import SurveyToken
from review.services.onsite import answer_survey
from signing.keys import certificate_fingerprint, signer_name

from . import register
from .dossier import dossier_pdf, dossier_xlsx
from .downloads import certificate_response
from .enums import AwardStatus, CaseStatus
from .forms import (
    CaseDecisionForm,
    CaseForm,
    ClawbackForm,
    ImportAwardForm,
    ImportAwardsFileForm,
    ObjectionForm,
    OtherRewardForm,
    PaymentForm,
    PublicityForm,
    ReissueForm,
    ResolveObjectionForm,
    SurveyAnswerForm,
    VerifyPdfForm,
    VisitForm,
)
from .models import Award, Case, Objection
from .selectors import award_by_code, cycle_summaries, cycles_to_approve, in_publicity, registry
from .services.certificates import reissue_certificate
from .services.history import import_award, import_awards_xlsx
from .services.ledger import (
    award_balance,
    record_clawback_received,
    record_other_reward,
    record_payment,
)
from .services.publicity import (
    announce_cycle,
    file_objection,
    resolve_objection,
    start_publicity,
)
from .services.sanctions import approve_revocation, decide_case, mark_recovered, open_case
from .services.verification import read_upload, status_today, verify_certificate_pdf
from .services.visits import record_visit


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


class RegisterIntegratorsView(TemplateView):
    """Public: how other systems read, mirror and verify the register (issue 14 item 2)."""

    template_name = "awards/register_integrators.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            base=settings.SITE_URL,
            fingerprint=register.signer_fingerprint(),
            max_age=register.CACHE_SECONDS,
        )
        return ctx


@method_decorator(csrf_exempt, name="dispatch")
class VerifyView(View):
    """Public: the verdict for one award, reached from the certificate's QR code; the current
    certificate's SHA-256 and the signer; and a form to check an uploaded PDF (issue 14).

    The upload form carries no CSRF token, as the API's door to the same check does not: the
    check changes nothing and is rate-limited, and a page without a token is cached whole
    (awards.public_cache)."""

    template_name = "awards/verify.html"

    def _context(self, code: str, form: VerifyPdfForm, verdict=None) -> dict:
        award = award_by_code(code)
        if award is None:
            raise Http404
        return {
            "award": award,
            "status_today": status_today(award),
            "certificate": award.certificates.filter(superseded_at=None).exclude(pdf="").first(),
            "signer": signer_name(),
            "signer_fingerprint": certificate_fingerprint(),
            "form": form,
            "verdict": verdict,
            "verdict_status": status_today(verdict.award) if verdict and verdict.award else None,
        }

    def get(self, request, code: str):
        if award_by_code(code) is None:
            # A mistyped or forged code: say so plainly, and how to check by name or USCC.
            context = {"code": code[:64], "registry_url": reverse("awards:registry")}
            return render(request, self.template_name, context, status=404)
        return render(request, self.template_name, self._context(code, VerifyPdfForm()))

    def post(self, request, code: str):
        form = VerifyPdfForm(request.POST, request.FILES)
        if award_by_code(code) is None:
            raise Http404  # before counting an attempt
        # The same counter as the API's: one limit, two doors.
        scope, who = "public_verify_pdf", client_address(request)
        if not take(scope, who, rate=rate_of(scope)):
            form.add_error(None, gettext("提交过于频繁，请稍后再试。"))
            return render(request, self.template_name, self._context(code, form), status=429)
        verdict = None
        if form.is_valid():
            try:
                verdict = verify_certificate_pdf(read_upload(form.cleaned_data["file"]))
            except ApplicationError as exc:
                add_service_error(form, exc)
        status = 200 if verdict is not None else 400
        return render(
            request, self.template_name, self._context(code, form, verdict), status=status
        )


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
        # The same counter as the API's (5 an hour per address): one limit, two doors.
        scope, who = "public_objection", client_address(request)
        rate = rate_of(scope)
        if not take(scope, who, rate=rate):
            form.add_error(None, gettext("提交过于频繁，请一小时后再试。"))
            return render(request, self.template_name, {"app": app, "form": form}, status=429)
        if form.is_valid():
            try:
                file_objection(application_id=app.pk, **form.cleaned_data)
            except ApplicationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request, gettext("异议已提交，评审委员会办公室将调查核实。感谢您的监督。")
                )
                return redirect("awards:publicity")
        give_back(scope, who, rate=rate)  # a form to correct does not use up an attempt
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
                messages.success(request, gettext("异议处理结果已记录。"))
            except ApplicationError as exc:
                messages.error(request, exc.message)
        else:
            messages.error(request, gettext("请选择调查结论并写明处理意见。"))
        return redirect("review:cycle", pk=objection.application.cycle_id)


class StartPublicityView(LoginRequiredMixin, View):
    """The office starts the publicity of the committee's proposed winners (R12.7)."""

    def post(self, request, pk: int):
        cycle = Cycle.objects.select_related("programme").filter(pk=pk).first()
        if cycle is None or not request.user.serves(cycle.programme_id):
            raise Http404
        if not request.user.has_perm("awards.run_publicity", cycle):
            raise PermissionDenied
        form = PublicityForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("请填写有效的公示开始日期和天数。"))
        else:
            try:
                start_publicity(
                    cycle=cycle,
                    actor=request.user,
                    starts_on=form.cleaned_data["starts_on"],
                    days=form.cleaned_data.get("days"),
                )
                messages.success(request, gettext("拟获奖名单已公示。"))
            except ApplicationError as exc:
                messages.error(request, exc.user_message)
        return redirect("review:cycle", pk=cycle.pk)


class ApprovalsView(LoginRequiredMixin, View):
    """The government's page: cycles whose publicity ended, to approve and announce (R12.8)."""

    template_name = "awards/approvals.html"

    def get(self, request):
        if not request.user.has_perm("awards.view_approvals"):
            raise PermissionDenied
        day = today()
        rows = cycles_to_approve(request.user, day)
        return render(request, self.template_name, {"rows": rows, "today": day})

    def post(self, request):
        cycle = Cycle.objects.filter(pk=posted_id(request, "cycle")).first()
        if cycle is None or not request.user.serves(cycle.programme_id):
            raise Http404
        if not request.user.has_perm("awards.announce", cycle):
            raise PermissionDenied
        try:
            awards = announce_cycle(cycle=cycle, actor=request.user)
            messages.success(
                request,
                gettext("已批准公告，%(len)s个组织获奖，证书正在生成。") % {"len": len(awards)},
            )
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


def _award(request, pk: int) -> Award:
    award = Award.objects.select_related("organisation", "programme", "cycle").filter(pk=pk).first()
    if award is None or not request.user.has_perm("awards.view_award_record", award):
        raise Http404
    return award


OFFICE_LIST_COLUMNS = (
    "id",
    "organisation_id",
    "programme_id",
    "year",
    "valid_until",
    "status",
    "imported",
    "organisation__name",
    "programme__name",
)


class AwardOfficeListView(LoginRequiredMixin, TemplateView):
    """Awards of the programmes the user serves, by cycle: certificates generated, money
    owed and paid, open cases."""

    template_name = "awards/office_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not user.has_perm("awards.list_awards"):
            raise PermissionDenied
        ctx = super().get_context_data(**kwargs)
        awards = (
            Award.objects.filter(user.read_programme_filter("programme"))
            .select_related("organisation", "programme")
            # A row's columns only: not the cycle, nor the organisation's or the programme's
            # other fields (issue 12).
            .only(*OFFICE_LIST_COLUMNS)
            .order_by("-year", "organisation__name", "pk")
        )
        cycles = (
            Cycle.objects.filter(
                user.read_programme_filter("programme"), announced_on__isnull=False
            )
            .select_related("programme")
            .order_by("-year", "pk")
        )
        # Both lists a page at a time: a province's ten years are 4,000 awards and 1,500
        # cycles (issue 12); the summaries are computed for the cycles shown only.
        page = Paginator(awards, 50).get_page(self.request.GET.get("page"))
        cycles_page = Paginator(cycles, 10).get_page(self.request.GET.get("cycles_page"))
        ctx.update(
            awards=page.object_list,
            page=page,
            cycles_page=cycles_page,
            cycles=cycle_summaries(list(cycles_page.object_list)),
            cases=Case.objects.filter(user.read_programme_filter("award__programme"))
            .exclude(status=CaseStatus.CLOSED)
            .select_related("award__organisation"),
            can_import=user.has_perm("awards.import_history"),
        )
        return ctx


class AwardDetailView(LoginRequiredMixin, View):
    """One award: certificate, money, visits, cases, with each role's actions."""

    template_name = "awards/detail.html"

    def _context(self, request, award, **forms):
        user = request.user
        manage = user.has_perm("awards.manage_award", award)
        staff = user.has_perm("awards.view_award_internals")
        current = award.certificates.filter(superseded_at=None).first()
        return {
            "award": award,
            "manage": manage,
            "staff": staff,
            "certificate": current,
            "old_certificates": award.certificates.exclude(pk=getattr(current, "pk", None)),
            "balance": award_balance(award) if staff else None,
            "ledger": award.ledger.all() if staff else [],
            "visits": award.visits.all() if staff else [],
            "cases": award.cases.select_related("opened_by") if staff else [],
            "bans": award.bans.all(),
            "payment_form": PaymentForm(initial={"on": today()}) if manage else None,
            "other_reward_form": OtherRewardForm(initial={"on": today()}) if manage else None,
            "clawback_form": ClawbackForm(initial={"on": today()}) if manage else None,
            "visit_form": forms.get("visit_form") or (VisitForm() if manage else None),
            "case_form": forms.get("case_form") or (CaseForm() if manage else None),
            "reissue_form": ReissueForm(initial={"replaces": getattr(current, "pk", None)})
            if manage
            else None,
            "decision_form": CaseDecisionForm()
            if user.has_perm("awards.decide_case", award)
            else None,
            "can_approve": user.has_perm("awards.approve_revocation", award),
            "history": AuditEntry.objects.for_object(award).select_related("actor")
            if staff
            else [],
        }

    def get(self, request, pk: int):
        award = _award(request, pk)
        return render(request, self.template_name, self._context(request, award))


class AwardOperation(OperationView):
    """An operation posted from an award's page; its rule lives in the service it calls."""

    permission = "awards.manage_award"
    page_view = AwardDetailView

    def get_object(self, request, pk: int, **kwargs):
        return _award(request, pk)

    def success_url(self, award) -> str:
        return reverse("awards:detail", args=[award.pk])


class PaymentView(AwardOperation):
    """The reward paid (art. 13), recorded in the ledger (never more than owed)."""

    form_class = PaymentForm
    invalid_message = ""
    page_view = None
    success_message = _("支付已记录。")

    def perform(self, request, award, data):
        record_payment(award=award, actor=request.user, **data)


class OtherRewardView(PaymentView):
    form_class = OtherRewardForm
    success_message = _("奖励已登记。")

    def perform(self, request, award, data):
        record_other_reward(award=award, actor=request.user, **data)


class ClawbackView(PaymentView):
    """Money recovered after a revocation (R20/R21)."""

    form_class = ClawbackForm
    success_message = _("追回款项已记录。")

    def perform(self, request, award, data):
        record_clawback_received(award=award, actor=request.user, **data)


class VisitCreateView(AwardOperation):
    """A supervision visit to the holder (R19)."""

    form_class = VisitForm
    form_name = "visit_form"
    success_message = _("巡访记录已保存。")

    def perform(self, request, award, data):
        record_visit(award=award, actor=request.user, **data)


class CaseOpenView(AwardOperation):
    """A case against the award, for the committee to investigate (R20/R21)."""

    form_class = CaseForm
    form_name = "case_form"
    success_message = _("已立案，等待评审委员会调查决定。")

    def perform(self, request, award, data):
        open_case(award=award, actor=request.user, **data)


class ReissueView(PaymentView):
    """A new certificate replacing a lost one; the old one is kept (idempotent per request)."""

    form_class = ReissueForm
    success_message = _("已补发证书，原证书留档。")

    def perform(self, request, award, data):
        reissue_certificate(
            award=award, actor=request.user, reason=data["reason"], replaces_id=data.get("replaces")
        )


class RecoveredView(AwardOperation):
    """The certificate and medal of a revoked award handed back (R20)."""

    success_message = _("已登记收回证书和奖牌。")

    def perform(self, request, award, data):
        mark_recovered(award=award, actor=request.user)


class CaseOperation(PaymentView):
    """An operation on one case of the award (404 for a case of another award)."""

    def get_object(self, request, pk: int, case: int):
        award = _award(request, pk)
        self.case = get_object_or_404(Case, pk=case, award=award)
        return award


class CaseDecisionView(CaseOperation):
    """The committee's decision on a case (R20/R21: the sanction, with reasons)."""

    permission = "awards.decide_case"
    form_class = CaseDecisionForm
    success_message = _("处理决定已记录。")

    def perform(self, request, award, data):
        decide_case(case=self.case, actor=request.user, **data)


class RevocationApprovalView(CaseOperation):
    """The government approves a revocation the committee decided (R20)."""

    permission = "awards.approve_revocation"
    form_class = None
    success_message = _("已批准撤销奖项。")

    def perform(self, request, award, data):
        approve_revocation(case=self.case, actor=request.user)


class CertificateDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int, certificate_id: int):
        award = _award(request, pk)
        certificate = award.certificates.filter(pk=certificate_id).first()
        if certificate is None or not certificate.pdf:
            raise Http404
        return certificate_response(certificate)


class DossierView(LoginRequiredMixin, View):
    def get(self, request, pk: int, fmt: str):
        award = _award(request, pk)
        if not request.user.has_perm("awards.view_award_internals"):
            raise PermissionDenied
        if fmt == "pdf":
            content, content_type = dossier_pdf(award), "application/pdf"
        elif fmt == "xlsx":
            content, content_type = dossier_xlsx(award), XLSX_CONTENT_TYPE
        else:
            raise Http404
        return private_download(
            content, filename=f"dossier-{award.pk}.{fmt}", content_type=content_type
        )


class ExposureView(TemplateView):
    """Public: awards revoked for fraud (R20: 予以曝光) and circulars of criticism (R21)."""

    template_name = "awards/exposures.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cases"] = (
            Case.objects.filter(exposed=True)
            .select_related("award__organisation", "award__programme")
            .order_by("-decided_at")
        )
        return ctx


def _import_programmes(user) -> list[Programme]:
    return [p for p in Programme.objects.order_by("name") if user.serves(p.pk)]


class ImportView(LoginRequiredMixin, View):
    """The office records winners from before the portal, one by one or from XLSX (each form
    posts to its own operation below)."""

    template_name = "awards/import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("awards.import_history"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _context(self, request, obj=None, **forms):
        programmes = _import_programmes(request.user)
        organisations = Organisation.objects.order_by("name")
        return {
            "form": ImportAwardForm(organisations=organisations, programmes=programmes),
            "file_form": ImportAwardsFileForm(programmes=programmes),
            **forms,
        }

    def get(self, request):
        return render(request, self.template_name, self._context(request))


class _ImportOperation(OperationView):
    permission = "awards.import_history"
    page_view = ImportView
    refusals = (ApplicationError, ValidationError)

    def get_object(self, request, **kwargs):
        return None

    def form_kwargs(self, obj) -> dict:
        return {"programmes": _import_programmes(self.request.user)}

    def programme(self, request, data) -> Programme:
        programme = Programme.objects.get(pk=data["programme"])
        if not request.user.has_perm("awards.manage_award", programme):
            raise PermissionDenied
        return programme

    def refused(self, request, obj, form, exc):
        add_service_error(form, exc)
        return self.render_page(request, obj, form)

    def success_url(self, obj) -> str:
        return reverse("awards:import")


class ImportOneView(_ImportOperation):
    form_class = ImportAwardForm

    def form_kwargs(self, obj) -> dict:
        return {**super().form_kwargs(obj), "organisations": Organisation.objects.all()}

    def perform(self, request, obj, data):
        award = import_award(
            organisation=Organisation.objects.get(pk=data["organisation"]),
            programme=self.programme(request, data),
            year=data["year"],
            announced_on=data["announced_on"],
            actor=request.user,
        )
        return gettext("已登记：%(award)s") % {"award": award}


class ImportFileView(_ImportOperation):
    form_class = ImportAwardsFileForm
    form_name = "file_form"

    def perform(self, request, obj, data):
        programme = self.programme(request, data)
        count, errors = import_awards_xlsx(
            data=data["file"].read(), programme=programme, actor=request.user
        )
        if errors:
            raise ValidationError(errors)  # all rows or none: nothing was recorded
        return gettext("已导入%(count)s条历史获奖记录。") % {"count": count}


class AnnouncementsView(TemplateView):
    """Public: the announced winners of each cycle (公告, R12.8)."""

    template_name = "awards/announcements.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        cycles = (
            Cycle.objects.filter(announced_on__isnull=False)
            .select_related("programme")
            .order_by("-announced_on", "-pk")
            .prefetch_related(
                Prefetch(
                    "awards",
                    queryset=Award.objects.filter(imported=False)
                    .select_related("organisation")
                    .order_by("organisation__name"),
                )
            )
        )
        # Ten announcements a page, newest first: a province's history is a thousand cycles
        # (issue 12: 1.97 s at province scale when every one was on the page).
        page = Paginator(cycles, 10).get_page(self.request.GET.get("page"))
        ctx.update(cycles=page.object_list, page=page)
        return ctx
