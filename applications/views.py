"""Browser pages of intake: the applicant's form, the recommenders' and the office's work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from common.dates import today
from common.downloads import private_download
from common.exceptions import ApplicationError, names_rule
from common.forms import add_service_error
from programmes.enums import CycleStatus
from programmes.models import Cycle

from .detail import actions_for, application_page, next_section, section_page, submit_page
from .downloads import document_response
from .eligibility_advice import ORGANISATION_PAGE_RULES
from .enums import AWAITING_RECOMMENDATION
from .enums import ApplicationStatus as S
from .forms import (
    BANDS,
    EligibilityDecisionForm,
    EndApplicationForm,
    RecommendationForm,
    WithdrawForm,
    section_form,
)
from .models import Application, ApplicationVersion, Document
from .pdf import render_preview_pdf
from .selectors import application_rows, applications_for, recommendations_signed_by
from .selectors import visible_application as visible
from .services.documents import remove_document, upload_document
from .services.drafting import create_application, save_form
from .services.form import SECTION_KEYS
from .services.intake import decide_eligibility
from .services.recommendation import recommend_application
from .services.submission import submit_application, withdraw_application


class MyApplicationsView(LoginRequiredMixin, TemplateView):
    """The enterprise's applications and the cycles it can apply to now."""

    template_name = "applications/mine.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(
            "applications.list_own_applications"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        apps = list(applications_for(self.request.user).order_by("-cycle__year", "-id"))
        applied = {a.cycle_id for a in apps if a.status not in (S.WITHDRAWN,)}
        day = today()
        open_cycles = [
            c
            for c in Cycle.objects.filter(status=CycleStatus.OPEN, programme__is_active=True)
            .select_related("programme")
            .order_by("submission_deadline")
            if c.accepts_submissions(day) and c.pk not in applied
        ]
        ctx.update(applications=apps, open_cycles=open_cycles)
        return ctx


class CreateApplicationView(LoginRequiredMixin, View):
    def post(self, request, cycle_id: int):
        if not request.user.has_perm("applications.create_application"):
            raise PermissionDenied
        cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=cycle_id)
        try:
            app = create_application(
                organisation=request.user.organisation, cycle=cycle, actor=request.user
            )
        except ApplicationError as exc:
            messages.error(request, exc.user_message)
            return redirect("applications:mine")
        messages.success(request, gettext("已创建申报草稿，请逐项填写。"))
        return redirect("applications:edit", pk=app.pk, section=SECTION_KEYS[0])


class ApplicationDetailView(LoginRequiredMixin, TemplateView):
    """One application for everyone who may see it, with the actions of the viewer's role."""

    template_name = "applications/detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        app = visible(self.request, kwargs["pk"])
        may = actions_for(app, self.request.user)
        ctx.update(application_page(app, self.request.user, may))
        ctx.update(
            recommend_form=RecommendationForm() if may.recommend else None,
            decision_form=EligibilityDecisionForm() if may.decide else None,
            end_form=EndApplicationForm() if may.end else None,
            withdraw_form=WithdrawForm() if may.withdraw else None,
        )
        return ctx


class SectionEditView(LoginRequiredMixin, View):
    """One section of the form: saved as a draft on every POST, then the next section."""

    template_name = "applications/edit.html"

    def _render(self, request, app, section, form, status=200):
        context = {**section_page(app, section), "form": form, "bands": BANDS}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk: int, section: str):
        app = _section_app(request, pk, section)
        if not app.is_editable:
            messages.info(request, gettext("申报已提交，内容已冻结。"))
            return redirect("applications:detail", pk=app.pk)
        return self._render(request, app, section, section_form(app, section))

    def post(self, request, pk: int, section: str):
        app = _section_app(request, pk, section)
        form = section_form(app, section, request.POST, request.FILES)
        if form.is_valid():
            try:
                return self._save(request, app, section, form)
            except (ApplicationError, ValidationError) as exc:
                add_service_error(form, exc)
                app.refresh_from_db()
        return self._render(request, app, section, form, status=400)

    def _save(self, request, app, section, form):
        if section == "evidence":
            upload = form.cleaned_data["file"]
            kind = form.cleaned_data["kind"]
            upload_document(application=app, upload=upload, kind=kind, actor=request.user)
            messages.success(request, gettext("已上传“%(name)s”。") % {"name": upload.name})
            return redirect("applications:edit", pk=app.pk, section=section)
        save_form(application=app, data=form.to_data(), actor=request.user)
        messages.success(request, gettext("已保存。"))
        then = next_section(section) if request.POST.get("then") == "next" else None
        return redirect("applications:edit", pk=app.pk, section=then or section)


def _section_app(request, pk: int, section: str) -> Application:
    app = visible(request, pk, "applications.change_application")
    if section not in SECTION_KEYS:
        raise Http404
    return app


class RemoveDocumentView(LoginRequiredMixin, View):
    def post(self, request, pk: int, document_id: int):
        app = visible(request, pk, "applications.change_application")
        document = get_object_or_404(Document, pk=document_id, application=app, removed_at=None)
        try:
            remove_document(document=document, actor=request.user)
            messages.success(
                request,
                gettext("已移除“%(original_name)s”。") % {"original_name": document.original_name},
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("applications:edit", pk=app.pk, section="evidence")


class DocumentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int, document_id: int):
        app = visible(request, pk)
        document = get_object_or_404(Document, pk=document_id, application=app)
        return document_response(document)


class VersionPdfView(LoginRequiredMixin, View):
    def get(self, request, pk: int, number: int):
        app = visible(request, pk)
        version = get_object_or_404(ApplicationVersion, application=app, number=number)
        if not version.pdf:
            raise Http404(gettext("PDF正在生成，请稍后刷新。"))
        return private_download(
            version.pdf, filename=f"{app.reference}-v{number}.pdf", content_type="application/pdf"
        )


class PreviewPdfView(LoginRequiredMixin, View):
    """The draft as its submission PDF would be now, watermarked "预览 · 未提交"; nothing is
    stored. Only the applicant, and only while it may still submit (draft or returned)."""

    def get(self, request, pk: int):
        app = visible(request, pk, "applications.submit_application")
        if not app.is_editable:
            raise Http404
        return private_download(
            render_preview_pdf(app),
            filename=f"{app.reference}-preview.pdf",
            content_type="application/pdf",
        )


class SubmitView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        app = visible(request, pk, "applications.submit_application")
        if not app.is_editable:
            # Already submitted (or ended): its state and the way back, no second submit.
            return render(
                request,
                "applications/submit.html",
                {"app": app, "submitted": True, "versions": app.versions.all()},
            )
        return render(request, "applications/submit.html", submit_page(app))

    def post(self, request, pk: int):
        app = visible(request, pk, "applications.submit_application")
        try:
            submit_application(application=app, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.user_message)
            return redirect("applications:submit", pk=app.pk)
        messages.success(request, gettext("申报已提交。提交内容已冻结，申报表PDF正在生成。"))
        return redirect("applications:detail", pk=app.pk)


class _ActionView(LoginRequiredMixin, View):
    """A POST from the detail page that calls one service."""

    perm = ""
    form_class = None
    success = ""

    def call(self, app, form, user):  # pragma: no cover - overridden
        raise NotImplementedError

    def error_message(self, app, exc: ApplicationError):
        return exc.user_message

    def post(self, request, pk: int):
        app = visible(request, pk, self.perm)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.call(app, form.cleaned_data, request.user)
                messages.success(request, self.success)
            except ApplicationError as exc:
                messages.error(request, self.error_message(app, exc))
        else:
            messages.error(
                request,
                "；".join(
                    f"{form.fields[f].label}：{' '.join(e)}" if f in form.fields else " ".join(e)
                    for f, e in form.errors.items()
                ),
            )
        return redirect(reverse("applications:detail", args=[app.pk]))


class WithdrawView(_ActionView):
    perm = "applications.withdraw_application"
    form_class = WithdrawForm
    success = "申报已撤回。"

    def call(self, app, data, user):
        withdraw_application(application=app, actor=user, reason=data["reason"])


class RecommendView(_ActionView):
    perm = "applications.recommend_application"
    form_class = RecommendationForm
    success = "推荐意见已签署。"

    def call(self, app, data, user):
        recommend_application(
            application=app,
            level=user.recommender_level or "",
            decision=data["decision"],
            opinion=data["opinion"],
            actor=user,
        )


class DecideView(_ActionView):
    perm = "applications.decide_eligibility"
    form_class = EligibilityDecisionForm
    success = "资格审查决定已记录。"

    def call(self, app, data, user):
        decide_eligibility(
            application=app,
            actor=user,
            decision=data["decision"],
            reasons=data["reasons"],
            correction_due=data.get("correction_due"),
        )

    def error_message(self, app, exc: ApplicationError):
        """A refusal the office fixes on the organisation's page links there."""
        message = exc.user_message
        if any(names_rule(message, rule) for rule in ORGANISATION_PAGE_RULES):
            return format_html(
                '{} <a href="{}">{}</a>',
                message,
                reverse("organisations:detail", args=[app.organisation_id]),
                gettext("前往组织页面"),
            )
        return message


class SignedRecommendationsView(LoginRequiredMixin, TemplateView):
    """The recommendation opinions this recommender has signed (issue 11), every cycle."""

    template_name = "applications/signed_recommendations.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if not user.has_perm("applications.list_own_recommendations"):
            raise PermissionDenied
        page = Paginator(recommendations_signed_by(user), 30).get_page(self.request.GET.get("page"))
        ctx.update(page=page)
        return ctx


class StaffListView(LoginRequiredMixin, TemplateView):
    """The office's (and supervisor's) intake list, and the recommenders' queue."""

    template_name = "applications/staff_list.html"
    queue = False

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        perm = "view_recommendation_queue" if self.queue else "view_intake_list"
        if not user.has_perm(f"applications.{perm}"):
            raise PermissionDenied
        qs = application_rows(applications_for(user)).order_by("-cycle__year", "organisation__name")
        status = self.request.GET.get("status", "")
        if self.queue:
            qs = qs.filter(status__in=AWAITING_RECOMMENDATION)
        elif status in S.values:
            qs = qs.filter(status=status)
        query = self.request.GET.get("q", "").strip()[:100]
        if query:
            qs = qs.filter(organisation__name__icontains=query)
        # One cycle's records, from the list of every year's cycles (issue 11).
        cycle = self.request.GET.get("cycle", "")
        cycle_id = int(cycle) if cycle.isdigit() and len(cycle) < 10 else None
        if cycle_id is not None:
            qs = qs.filter(cycle_id=cycle_id)
        page = Paginator(qs, 30).get_page(self.request.GET.get("page"))
        ctx.update(
            page=page,
            status=status,
            query=query,
            statuses=S.choices,
            queue=self.queue,
            cycle_id=cycle_id,
        )
        return ctx
