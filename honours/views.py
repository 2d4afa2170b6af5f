"""Pages: an organisation's honours (with the office's form to add one and to record the art.
13 reward), the import, and the jurisdiction's overview. No script needed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View

from common.dates import today
from common.exceptions import ApplicationError
from common.forms import add_service_error
from organisations.selectors import visible_organisation
from programmes.models import Programme

from .downloads import xlsx_response
from .forms import HonourForm, HonourImportForm, RewardForm
from .importing import MAX_IMPORT_BYTES, import_honours
from .models import Honour
from .overview import chart, is_jurisdiction, overview
from .selectors import register
from .services import record_honour, reward_honour

_STATUS = {"invalid": 400, "conflict": 409, "forbidden": 403, "not_found": 404}


def honours_context(user, org, *, form=None, reward_error: str = "") -> dict:
    return {
        "org": org,
        "rows": register(org, day=today()),
        "can_record": user.has_perm("honours.record_honour"),
        "honour_form": form or HonourForm(),
        "reward_form": RewardForm(),
        "reward_error": reward_error,
    }


class OrganisationHonoursView(LoginRequiredMixin, View):
    """The register on its own page; the organisation's page shows the same section. The
    office's forms post here and come back to the organisation's page."""

    template_name = "honours/organisation.html"

    def get(self, request, pk: int):
        org = visible_organisation(request, pk)
        return render(request, self.template_name, honours_context(request.user, org))

    def post(self, request, pk: int):
        org = visible_organisation(request, pk)
        if not request.user.has_perm("honours.record_honour"):
            raise PermissionDenied
        back = reverse("organisations:detail", args=[org.pk]) + "#honours"
        form = HonourForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                record_honour(organisation=org, actor=request.user, **form.cleaned_data)
                messages.success(request, gettext("荣誉已登记。"))
                return redirect(back)
            except ApplicationError as exc:
                add_service_error(form, exc)
        return render(
            request,
            self.template_name,
            honours_context(request.user, org, form=form),
            status=400,
        )

    def _refused(self, request, org, message: str, status: int):
        if status == 403:
            raise PermissionDenied
        return render(
            request,
            self.template_name,
            honours_context(request.user, org, reward_error=message),
            status=status,
        )


class HonourRewardView(OrganisationHonoursView):
    """The art. 13 reward for one honour, recorded once in the ledger (R13; a second is 409)."""

    http_method_names = ["post"]

    def post(self, request, pk: int, honour: int):
        org = visible_organisation(request, pk)
        if not request.user.has_perm("honours.record_honour"):
            raise PermissionDenied
        honour = get_object_or_404(Honour, pk=honour, organisation=org)
        form = RewardForm(request.POST)
        if not form.is_valid():
            error = "；".join(e for errs in form.errors.values() for e in errs)
            return self._refused(request, org, error, 400)
        try:
            reward_honour(honour=honour, actor=request.user, amount=form.cleaned_data.get("amount"))
        except ApplicationError as exc:
            return self._refused(request, org, exc.user_message, _STATUS.get(exc.code, 400))
        messages.success(request, gettext("奖励已登记入奖金台账。"))
        return redirect(reverse("organisations:detail", args=[org.pk]) + "#honours")


class HonourImportView(LoginRequiredMixin, View):
    template_name = "honours/import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("honours.record_honour"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": HonourImportForm()})

    def post(self, request):
        form = HonourImportForm(request.POST, request.FILES)
        report = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_IMPORT_BYTES:
                form.add_error("file", gettext("文件不能超过5 MB。"))
            else:
                report = import_honours(data=upload.read(), actor=request.user)
                if report.ok:
                    messages.success(
                        request,
                        gettext("已导入%(n)s条荣誉。") % {"n": report.created},
                    )
                    return redirect("honours:import")
        return render(request, self.template_name, {"form": form, "report": report}, status=400)


def viewable_jurisdictions(user) -> list[Programme]:
    return [
        p
        for p in Programme.objects.filter(user.served_programme_filter("pk")).order_by("name")
        if is_jurisdiction(p) and user.has_perm("honours.view_overview", p)
    ]


class OverviewIndexView(LoginRequiredMixin, View):
    """The jurisdiction programmes (city, league, province) the user may see the overview of;
    with exactly one, that overview."""

    def get(self, request):
        if not request.user.has_perm("honours.open_overview"):
            raise PermissionDenied
        programmes = viewable_jurisdictions(request.user)
        if len(programmes) == 1:
            return redirect("honours:overview", pk=programmes[0].pk)
        return render(request, "honours/overview_index.html", {"programmes": programmes})


class OverviewView(LoginRequiredMixin, View):
    template_name = "honours/overview.html"

    def get(self, request, pk: int):
        programme = Programme.objects.filter(pk=pk).first()
        if programme is None or not is_jurisdiction(programme):
            raise Http404
        if not request.user.has_perm("honours.view_overview", programme):
            raise Http404
        if request.GET.get("export") == "xlsx":
            return xlsx_response(programme)
        day = today()
        rows = overview(programme, day=day)
        bars, height = chart(rows)
        return render(
            request,
            self.template_name,
            {
                "programme": programme,
                "rows": rows,
                "bars": bars,
                "chart_height": height,
                "day": day,
            },
        )
