from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from common import outbox
from common.exceptions import ApplicationError
from common.models import OutboxStatus

from .models import Notification
from .selectors import NEEDS_ATTENTION, jobs_visible_to
from .services import mark_read


class InboxView(LoginRequiredMixin, ListView):
    template_name = "notifications/inbox.html"
    paginate_by = 30
    context_object_name = "notes"

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user)


class MarkReadView(LoginRequiredMixin, View):
    def post(self, request):
        mark_read(user=request.user)
        return redirect("notifications:inbox")


class JobListView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """The background jobs (e-mails, PDFs, certificates) that failed or keep failing, and the
    latest ones, for the office to see and retry (issue 8 item 4)."""

    permission_required = "notifications.view_jobs"
    template_name = "notifications/jobs.html"
    paginate_by = 50
    context_object_name = "jobs"

    def get_queryset(self):
        jobs = jobs_visible_to(self.request.user)
        if self.request.GET.get("all") == "1":
            return jobs
        return jobs.filter(NEEDS_ATTENTION)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "showing_all": self.request.GET.get("all") == "1",
            "can_retry": self.request.user.has_perm("notifications.retry_jobs"),
            "done": OutboxStatus.DONE,
        }


class JobRetryView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        if not request.user.has_perm("notifications.view_jobs"):
            raise PermissionDenied
        job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
        if not request.user.has_perm("notifications.retry_jobs"):
            raise PermissionDenied
        try:
            status = outbox.retry(message=job, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.user_message)
        else:
            if status == OutboxStatus.DONE:
                messages.success(request, _("任务已重新执行并完成。"))
            elif status == OutboxStatus.QUEUED:
                messages.success(request, _("任务已重新排队。"))
            else:
                messages.error(request, _("任务再次失败，请查看错误信息。"))
        return redirect("notifications:jobs")
