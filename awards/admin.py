from django.contrib import admin

from .models import Award, Ban


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
