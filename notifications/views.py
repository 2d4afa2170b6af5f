from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views import View
from django.views.generic import ListView

from .models import Notification
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
