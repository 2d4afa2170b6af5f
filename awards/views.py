from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import TemplateView

from .enums import AwardStatus
from .selectors import award_by_code, registry


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


class VerifyView(TemplateView):
    """Public: the verdict for one award, reached from the certificate's QR code."""

    template_name = "awards/verify.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        award = award_by_code(kwargs["code"])
        if award is None:
            raise Http404
        ctx["award"] = award
        return ctx
