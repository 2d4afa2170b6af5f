from django.contrib import admin

from .models import Award, Ban, Case, LedgerEntry, Objection


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ("organisation", "programme", "year", "announced_on", "valid_until", "status")
    list_filter = ("programme", "status", "year", "imported")
    search_fields = ("organisation__name", "organisation__uscc")
    list_select_related = ("organisation", "programme")
    readonly_fields = [f.name for f in Award._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ("organisation", "programme", "rule", "starts_on", "ends_on", "lifted_at")
    list_filter = ("rule", "programme")
    search_fields = ("organisation__name", "organisation__uscc")
    readonly_fields = [f.name for f in Ban._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnly(admin.ModelAdmin):
    """Decisions on these are taken in the portal's pages, where they are audited."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(_ReadOnly):
    list_display = ("award", "trigger", "occurred_on", "status", "sanction", "decided_at")
    list_filter = ("trigger", "status", "sanction")
    search_fields = ("award__organisation__name",)
    list_select_related = ("award__organisation", "award__programme")


@admin.register(Objection)
class ObjectionAdmin(_ReadOnly):
    list_display = ("application", "status", "created_at", "resolved_at")
    list_filter = ("status",)
    list_select_related = ("application__organisation", "application__cycle__programme")
    # The objector's name and phone are confidential: not in the list, not searchable.
    exclude = ("name", "phone")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(_ReadOnly):
    list_display = ("award", "reward", "kind", "amount", "on", "reference")
    list_filter = ("kind", "reward")
    search_fields = ("award__organisation__name", "reference")
    list_select_related = ("award__organisation", "award__programme")
