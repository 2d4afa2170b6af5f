from django.contrib import admin

from common.admin import AuditedModelAdmin

from .models import CreditRating, Incident, Organisation


class CreditRatingInline(admin.TabularInline):
    model = CreditRating
    extra = 0
    readonly_fields = ("recorded_by", "recorded_at")
    can_delete = False


class IncidentInline(admin.TabularInline):
    model = Incident
    extra = 0
    fields = ("kind", "occurred_on", "status", "description", "source")
    can_delete = False


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ("name", "uscc", "kind", "region", "registered_on", "credit_grade")
    list_filter = ("kind", "region", "credit_grade")
    search_fields = ("name", "uscc")
    readonly_fields = ("credit_grade", "credit_grade_source", "credit_grade_on", "created_at")
    inlines = (CreditRatingInline, IncidentInline)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(AuditedModelAdmin):
    list_display = ("organisation", "kind", "occurred_on", "status")
    list_filter = ("kind", "status")
    search_fields = ("organisation__name", "organisation__uscc", "description")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)

    def has_delete_permission(self, request, obj=None):
        return False
