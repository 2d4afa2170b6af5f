from django.contrib import admin

from common.admin import PortalModelAdmin

from .models import Nomination


@admin.register(Nomination)
class NominationAdmin(PortalModelAdmin):
    """Read only: nominations are made on the nominations page or through the API, and
    withdrawn by a revocation (ladder.services)."""

    list_display = ("application", "nominated_from", "cycle", "status", "created_at")
    list_filter = ("status",)
    list_select_related = (
        "application__organisation",
        "application__cycle__programme",
        "nominated_from__organisation",
        "nominated_from__cycle__programme",
        "cycle__programme",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
