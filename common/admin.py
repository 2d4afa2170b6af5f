from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db import DataError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from .audit import record
from .models import OutboxMessage


class SafeAdminMixin:
    """Every admin of the portal.

    - Confidential fields (a model's ``CONFIDENTIAL_FIELDS``, e.g. an objector's name and phone)
      are never shown, filtered, sorted or searched: a lookup on them in the query string is
      refused (400), so nobody can recover them one ``__startswith`` at a time.
    - A filter value the database cannot hold (an integer of 30 digits, a year past 9999)
      answers like any other wrong filter (Django's "?e=1"), never a 500.
    """

    def confidential_fields(self) -> frozenset[str]:
        return frozenset(getattr(self.model, "CONFIDENTIAL_FIELDS", ()))

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split("__", 1)[0] in self.confidential_fields():
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_exclude(self, request, obj=None):
        return (*(super().get_exclude(request, obj) or ()), *self.confidential_fields())

    def get_search_fields(self, request):
        hidden = self.confidential_fields()
        return [f for f in super().get_search_fields(request) if f.split("__")[0] not in hidden]

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, DataError) as exc:
            raise IncorrectLookupParameters(exc) from exc


def html_table(headers, rows) -> str:
    """A read-only table for the admin's change page, every cell escaped: JSON the workflow
    stores (an application's indicators, certificates, self-evaluation) shown as a reader
    expects, not as raw JSON."""
    rows = list(rows)
    if not rows:
        return gettext("（无）")
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows),
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)


class PortalModelAdmin(SafeAdminMixin, admin.ModelAdmin):
    pass


class AuditedModelAdmin(PortalModelAdmin):
    """Admin edits are decisions too: each save is written to the audit trail with the fields
    that changed (R4)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = {
            name: form.cleaned_data.get(name)
            for name in (form.changed_data if change else form.fields)
            if name in form.cleaned_data
        }
        record(
            action=f"{obj._meta.model_name}.{'changed' if change else 'created'}_in_admin",
            actor=request.user,
            obj=obj,
            data={k: str(v) for k, v in changed.items()},
        )

    def delete_model(self, request, obj):
        record(action=f"{obj._meta.model_name}.deleted_in_admin", actor=request.user, obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(PortalModelAdmin):
    """For records the workflow changes: the admin shows them, the portal's pages (and their
    audit trail) decide."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "label", "task", "status", "attempts", "done_at")
    list_filter = ("status", "task")
