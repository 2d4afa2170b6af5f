from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import Award, Ban, Case, LedgerEntry, Objection


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "programme", "year", "announced_on", "valid_until", "status")
    list_filter = ("programme", "status", "year", "imported")
    search_fields = ("organisation__name", "organisation__uscc")
    list_select_related = ("organisation", "programme")


@admin.register(Ban)
class BanAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "programme", "rule", "starts_on", "ends_on", "lifted_at")
    list_filter = ("rule", "programme")
    search_fields = ("organisation__name", "organisation__uscc")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("award", "trigger", "occurred_on", "status", "sanction", "decided_at")
    list_filter = ("trigger", "status", "sanction")
    search_fields = ("award__organisation__name",)
    list_select_related = ("award__organisation", "award__programme")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("application", "status", "created_at", "resolved_at")
    list_filter = ("status",)
    list_select_related = ("application__organisation", "application__cycle__programme")

    # The objector's name and phone (Objection.CONFIDENTIAL_FIELDS) are not shown, filtered,
    # sorted or searched: SafeAdminMixin.
    def get_readonly_fields(self, request, obj=None):
        hidden = self.confidential_fields()
        return [f.name for f in self.model._meta.fields if f.name not in hidden]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("award", "honour", "programme", "reward", "kind", "amount", "on", "reference")
    list_filter = ("kind", "reward")
    search_fields = ("award__organisation__name", "honour__organisation__name", "reference")
    list_select_related = (
        "award__organisation",
        "award__programme",
        "honour__organisation",
        "programme",
    )
