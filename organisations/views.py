from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from common.exceptions import ApplicationError
from common.forms import add_service_error
from common.operations import OperationView

from .forms import (
    CreditGradeForm,
    ImportForm,
    IncidentForm,
    IncidentStatusForm,
    OfficeProfileForm,
    ProfileForm,
)
from .importing import import_incidents
from .models import Incident, Organisation
from .selectors import organisations_with_incident_counts, visible_organisation
from .services import record_incident, set_credit_grade, set_incident_status, update_profile

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class MyOrganisationView(LoginRequiredMixin, View):
    def get(self, request):
        if not request.user.has_perm("organisations.view_own_organisation"):
            raise PermissionDenied
        return redirect("organisations:detail", pk=request.user.organisation_id)


class OrganisationListView(LoginRequiredMixin, TemplateView):
    template_name = "organisations/list.html"

    def get_context_data(self, **kwargs):
        if not self.request.user.has_perm("organisations.list_organisations"):
            raise PermissionDenied
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        qs = organisations_with_incident_counts(query)
        ctx.update(page=Paginator(qs, 30).get_page(self.request.GET.get("page")), query=query)
        return ctx


class OrganisationDetailView(LoginRequiredMixin, View):
    template_name = "organisations/detail.html"

    def _context(self, request, org, **forms):
        user = request.user
        is_office = user.has_perm("organisations.rate_credit")
        profile_cls = OfficeProfileForm if is_office else ProfileForm
        ctx = {
            "org": org,
            "can_edit": user.has_perm("organisations.edit_profile", org),
            "is_office": is_office,
            "profile_form": forms.get("profile_form") or profile_cls(instance=org),
            "credit_form": forms.get("credit_form") or CreditGradeForm(),
            "incident_form": forms.get("incident_form") or IncidentForm(),
            "ratings": org.credit_ratings.all(),
            "incidents": org.incidents.all(),
            "status_form": IncidentStatusForm(),
        }
        return ctx

    def get(self, request, pk: int):
        org = visible_organisation(request, pk)
        return render(request, self.template_name, self._context(request, org))


class OrganisationOperation(OperationView):
    """An operation posted from an organisation's page; bad input shows that page again."""

    page_view = OrganisationDetailView

    def get_object(self, request, pk: int):
        return visible_organisation(request, pk)

    def success_url(self, org) -> str:
        return reverse("organisations:detail", args=[org.pk])


class ProfileUpdateView(OrganisationOperation):
    """The organisation's details, by its members or the office (the office also corrects
    registration facts that eligibility reads, R3/R11)."""

    permission = "organisations.edit_profile"
    form_name = "profile_form"
    success_message = _("组织信息已保存。")
    refusals = (ApplicationError, ValidationError)

    def get_form_class(self, request):
        office = request.user.has_perm("organisations.rate_credit")
        return OfficeProfileForm if office else ProfileForm

    def form_kwargs(self, org) -> dict:
        return {"instance": Organisation.objects.get(pk=org.pk)}

    def perform(self, request, org, data):
        update_profile(organisation=org, data=data, actor=request.user)

    def refused(self, request, org, form, exc):
        add_service_error(form, exc)
        return self.render_page(request, org, form)


class CreditGradeView(OrganisationOperation):
    """The office records a quality-credit grade (R11.5)."""

    permission = "organisations.rate_credit"
    form_class = CreditGradeForm
    form_name = "credit_form"
    success_message = _("质量信用等级已记录。")

    def perform(self, request, org, data):
        set_credit_grade(organisation=org, actor=request.user, **data)


class IncidentCreateView(OrganisationOperation):
    """The office records an incident, complaint or violation (R11.6)."""

    permission = "organisations.record_incident"
    form_class = IncidentForm
    form_name = "incident_form"
    success_message = _("记录已添加。")

    def perform(self, request, org, data):
        record_incident(organisation=org, actor=request.user, **data)


class IncidentStatusView(OrganisationOperation):
    """The office's verification of an incident (R11.6)."""

    permission = "organisations.record_incident"
    form_class = IncidentStatusForm
    invalid_message = _("核实状态不正确。")
    success_message = _("核实状态已更新。")

    def get_object(self, request, pk: int, incident: int):
        org = visible_organisation(request, pk)
        self.incident = get_object_or_404(Incident, pk=incident, organisation=org)
        return org

    def perform(self, request, org, data):
        set_incident_status(incident=self.incident, actor=request.user, **data)


class IncidentImportView(LoginRequiredMixin, View):
    template_name = "organisations/import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(
            "organisations.record_incident"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": ImportForm()})

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        report = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_IMPORT_BYTES:
                form.add_error("file", gettext("文件不能超过5 MB。"))
            else:
                try:
                    report = import_incidents(data=upload.read(), actor=request.user)
                except ApplicationError as exc:
                    form.add_error("file", exc.message)
        if report is not None and report.ok:
            messages.success(
                request, gettext("已导入 %(created)s 条记录。") % {"created": report.created}
            )
            return redirect("organisations:import")
        return render(request, self.template_name, {"form": form, "report": report}, status=400)
