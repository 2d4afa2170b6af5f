from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from common.exceptions import ApplicationError
from common.forms import add_service_error, posted_id

from .api import visible_organisation
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
        qs = Organisation.objects.annotate(incident_count=Count("incidents")).order_by("name")
        if query:
            qs = qs.filter(Q(name__icontains=query) | Q(uscc=query.upper()))
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

    def post(self, request, pk: int):
        org = visible_organisation(request, pk)
        action = request.POST.get("action")
        user = request.user
        if action == "profile":
            if not user.has_perm("organisations.edit_profile", org):
                raise PermissionDenied
            form_cls = (
                OfficeProfileForm if user.has_perm("organisations.rate_credit") else ProfileForm
            )
            form = form_cls(request.POST, instance=Organisation.objects.get(pk=org.pk))
            if form.is_valid():
                try:
                    update_profile(organisation=org, data=form.cleaned_data, actor=user)
                    messages.success(request, gettext("组织信息已保存。"))
                    return redirect("organisations:detail", pk=org.pk)
                except (ApplicationError, ValidationError) as exc:
                    add_service_error(form, exc)
            return render(
                request,
                self.template_name,
                self._context(request, org, profile_form=form),
                status=400,
            )
        if not user.has_perm("organisations.rate_credit"):
            raise PermissionDenied
        if action == "credit":
            form = CreditGradeForm(request.POST)
            if form.is_valid():
                set_credit_grade(organisation=org, actor=user, **form.cleaned_data)
                messages.success(request, gettext("质量信用等级已记录。"))
                return redirect("organisations:detail", pk=org.pk)
            return render(
                request,
                self.template_name,
                self._context(request, org, credit_form=form),
                status=400,
            )
        if action == "incident":
            form = IncidentForm(request.POST)
            if form.is_valid():
                record_incident(organisation=org, actor=user, **form.cleaned_data)
                messages.success(request, gettext("记录已添加。"))
                return redirect("organisations:detail", pk=org.pk)
            return render(
                request,
                self.template_name,
                self._context(request, org, incident_form=form),
                status=400,
            )
        if action == "incident_status":
            incident = get_object_or_404(
                Incident, pk=posted_id(request, "incident"), organisation=org
            )
            form = IncidentStatusForm(request.POST)
            if form.is_valid():
                set_incident_status(incident=incident, actor=user, **form.cleaned_data)
                messages.success(request, gettext("核实状态已更新。"))
            else:
                messages.error(request, gettext("核实状态不正确。"))
            return redirect("organisations:detail", pk=org.pk)
        messages.error(request, gettext("未知操作。"))
        return redirect("organisations:detail", pk=org.pk)


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
