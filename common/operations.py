"""One view per operation (issue 10 §3): the shape every HTML form post follows.

A subclass names the object (``get_object``: 404 when the caller may not see it), the named
permission asked of it (403), the form (bad input: a message, or the page again with the form's
errors and status 400), and the one service call (``perform``). A business rule's refusal
(``ApplicationError``) becomes a message on the page the person came from; nothing is
dispatched on a hidden ``action`` field.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views import View

from .exceptions import ApplicationError


def form_errors_text(form) -> str:
    """Every error of a form, for a message: "field: error；…" in the form's own words."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}：{text}" if label else text)
    return "；".join(parts)


class OperationView(LoginRequiredMixin, View):
    http_method_names = ["post"]
    permission: str = ""
    form_class = None
    success_message = ""
    invalid_message = ""  # when set, said instead of the form's own errors
    # The page the form lives on (a view with ``template_name`` and ``_context(request, obj,
    # **forms)``): when set, bad input shows that page again with the form's errors (400).
    page_view = None
    form_name = "form"
    refusals: tuple[type[Exception], ...] = (ApplicationError,)

    def get_object(self, request, **kwargs):
        raise NotImplementedError

    def permission_object(self, obj):
        return obj

    def get_form_class(self, request):
        return self.form_class

    def form_kwargs(self, obj) -> dict:
        return {}

    def perform(self, request, obj, data: dict) -> str | None:
        """Call the service; return the success message when it depends on the outcome."""
        raise NotImplementedError

    def success_url(self, obj) -> str:
        raise NotImplementedError

    def render_page(self, request, obj, form, status: int = 400):
        page = self.page_view()
        page.request = request
        context = page._context(request, obj, **{self.form_name: form})
        return render(request, page.template_name, context, status=status)

    def form_invalid(self, request, obj, form):
        if self.page_view is not None and not self.invalid_message:
            return self.render_page(request, obj, form)
        messages.error(request, str(self.invalid_message) or form_errors_text(form))
        return redirect(self.success_url(obj))

    def refused(self, request, obj, form, exc):
        """A rule refused the operation: say why, on the page the person came from."""
        messages.error(request, getattr(exc, "user_message", None) or str(exc))
        return redirect(self.success_url(obj))

    def post(self, request, **kwargs):
        obj = self.get_object(request, **kwargs)
        if not request.user.has_perm(self.permission, self.permission_object(obj)):
            raise PermissionDenied
        form = None
        form_class = self.get_form_class(request)
        if form_class is not None:
            form = form_class(request.POST, request.FILES, **self.form_kwargs(obj))
            if not form.is_valid():
                return self.form_invalid(request, obj, form)
        self.form = form
        try:
            message = self.perform(request, obj, form.cleaned_data if form is not None else {})
        except self.refusals as exc:
            return self.refused(request, obj, form, exc)
        messages.success(request, message or str(self.success_message))
        return redirect(self.success_url(obj))
