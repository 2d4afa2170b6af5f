from django.contrib import admin

from .models import Application, Recommendation


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    can_delete = False
    readonly_fields = ("level", "decision", "opinion", "signed_by", "signed_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only in the admin: statuses change only through the workflow (and its audit)."""

    list_display = ("organisation", "cycle", "status", "submitted_at", "last_submitted_at")
    list_filter = ("cycle__programme", "cycle__year", "status")
    search_fields = ("organisation__name", "organisation__uscc")
    list_select_related = ("organisation", "cycle__programme")
    inlines = (RecommendationInline,)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Application._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
