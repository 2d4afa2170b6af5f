from django.contrib import admin

from common.admin import PortalModelAdmin, ReadOnlyAdmin

from .models import Assignment, ConflictOfInterest, ExpertProfile
from .services.experts import update_expert


@admin.register(ExpertProfile)
class ExpertProfileAdmin(PortalModelAdmin):
    list_display = ("user", "employer", "industries", "status", "pledge_accepted_at")
    list_filter = ("status",)
    search_fields = ("user__username", "user__name", "employer", "industries")
    list_select_related = ("user",)
    # Status changes go through the expert pool page (they revoke assignments, R23).
    readonly_fields = ("user", "status", "status_reason", "pledge_accepted_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """The profile (industries and term decide who may be assigned) changes through the
        same service as on the expert pool page, with the same audit entry."""
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        update_expert(expert=obj.user, data=data, actor=request.user)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("application", "expert", "stage", "leader", "status", "submitted_at")
    list_filter = ("stage", "status", "application__cycle")
    search_fields = ("application__organisation__name", "expert__username", "expert__name")
    list_select_related = ("application__organisation", "application__cycle__programme", "expert")


@admin.register(ConflictOfInterest)
class ConflictAdmin(ReadOnlyAdmin):
    list_display = ("expert", "organisation", "reason", "declared_by", "declared_at")
    search_fields = ("expert__username", "organisation__name")
    list_select_related = ("expert", "organisation", "declared_by")
