"""The office's page for the credit-data import (issue 14 item 3): upload, see what would
change (a dry run), then confirm. The uploaded file waits between the two steps in the private
media storage, under the office user's own folder, and is deleted once confirmed."""

from __future__ import annotations

import re
import secrets

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views import View

from common.exceptions import ApplicationError
from organisations import credit_import
from organisations.forms import CreditImportForm

from .services.credit import import_credit_data

_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _pending_path(user, token: str) -> str:
    return f"credit_imports/{user.pk}/{token}.dat"


def _forget_previews(user) -> None:
    folder = f"credit_imports/{user.pk}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")


class CreditImportView(LoginRequiredMixin, View):
    template_name = "applications/credit_import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("organisations.rate_credit"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": CreditImportForm()})

    def post(self, request):
        """The preview (a dry run); confirming is its own view."""
        form = CreditImportForm(request.POST, request.FILES)
        report = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > credit_import.MAX_IMPORT_BYTES:
                form.add_error("file", gettext("文件不能超过5 MB。"))
            else:
                data = upload.read()
                try:
                    report = import_credit_data(data=data, dry_run=True, actor=request.user)
                except ApplicationError as exc:
                    form.add_error("file", exc.message)
                if report is not None and report.ok:
                    _forget_previews(request.user)  # one preview waits per user: the latest
                    token = secrets.token_hex(16)
                    default_storage.save(_pending_path(request.user, token), ContentFile(data))
                    return render(
                        request,
                        self.template_name,
                        {"form": CreditImportForm(), "report": report, "token": token},
                    )
        return render(request, self.template_name, {"form": form, "report": report}, status=400)


class CreditImportConfirmView(CreditImportView):
    """The office confirms the previewed file: imported whole, audited with its source."""

    http_method_names = ["post"]

    def post(self, request):
        token = request.POST.get("token", "")
        path = _pending_path(request.user, token) if _TOKEN.match(token) else None
        if path is None or not default_storage.exists(path):
            messages.error(request, gettext("预览已失效，请重新上传文件。"))
            return render(request, self.template_name, {"form": CreditImportForm()}, status=400)
        with default_storage.open(path, "rb") as handle:
            data = handle.read()
        try:
            report = import_credit_data(data=data, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return render(request, self.template_name, {"form": CreditImportForm()}, status=400)
        if not report.ok:  # the data changed since the preview (e.g. a date now in the past)
            return render(
                request,
                self.template_name,
                {"form": CreditImportForm(), "report": report},
                status=400,
            )
        default_storage.delete(path)
        messages.success(
            request,
            gettext(
                "已导入：新增%(created)s条，更正%(updated)s条，未变%(unchanged)s条，"
                "跳过%(skipped)s条；终止申报%(ended)s份。"
            )
            % {
                "created": report.count("created"),
                "updated": report.count("updated"),
                "unchanged": report.count("unchanged"),
                "skipped": report.count("skipped"),
                "ended": len(report.ended_applications),
            },
        )
        return redirect("applications:credit_import")
