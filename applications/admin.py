from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import Application, Recommendation


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    can_delete = False
    readonly_fields = ("level", "decision", "opinion", "signed_by", "signed_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Read-only in the admin: statuses change only through the workflow (and its audit)."""

    list_display = ("organisation", "cycle", "status", "submitted_at", "last_submitted_at")
    list_filter = ("cycle__programme", "cycle__year", "status")
    search_fields = ("organisation__name", "organisation__uscc")
    list_select_related = ("organisation", "cycle__programme")
    inlines = (RecommendationInline,)
