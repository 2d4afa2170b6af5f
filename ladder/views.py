"""The nominations page: the upper office follows every nominee in its cycle, a lower office
its own, and nominates its winners (a plain form; the service decides)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views import View

from applications.models import Application
from common.exceptions import ApplicationError
from programmes.models import Cycle

from .selectors import ladder_settings, nominable, nominations_for, posted_lower_application
from .services import nominate


def _cycle(request, pk: int) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
    user = request.user
    if not user.has_perm("ladder.follow_nominations"):
        raise PermissionDenied
    if not user.has_perm("ladder.view_nominations", cycle):
        raise Http404
    return cycle


class NominationsView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        cycle = _cycle(request, pk)
        page = Paginator(nominations_for(request.user, cycle), 30).get_page(request.GET.get("page"))
        may_nominate = request.user.has_perm("ladder.nominate", cycle)
        ladder = ladder_settings(cycle.programme_id)
        choices = (
            nominable(request.user, cycle, bool(ladder and ladder.accepts_candidates))
            if may_nominate
            else Application.objects.none()
        )
        return render(
            request,
            "ladder/nominations.html",
            {
                "cycle": cycle,
                "page": page,
                "may_nominate": may_nominate,
                "choices": choices,
                "ladder": ladder,
            },
        )

    def post(self, request, pk: int):
        cycle = _cycle(request, pk)
        if not request.user.has_perm("ladder.nominate", cycle):
            raise PermissionDenied
        lower = posted_lower_application(request.user, request.POST.get("application", ""))
        if lower is None:
            messages.error(request, gettext("请选择要推荐的申报。"))
            return redirect("ladder:nominations", pk=cycle.pk)
        try:
            nominate(cycle=cycle, application=lower, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.user_message)
        else:
            messages.success(
                request,
                gettext("已推荐%(org)s，申报表已预填，等待申报单位核对提交。")
                % {"org": lower.organisation.name},
            )
        return redirect("ladder:nominations", pk=cycle.pk)
