from django.contrib import admin

from .audit import record
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the committee and the supervisor can search the trail, nobody can edit it."""

    list_display = (
        "seq",
        "created_at",
        "actor_name",
        "actor_role",
        "action",
        "object_repr",
        "from_state",
        "to_state",
    )
    list_filter = ("actor_role", "action", "content_type")
    search_fields = ("object_repr", "reason", "actor_name", "action")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    list_select_related = ("content_type",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


class AuditedModelAdmin(admin.ModelAdmin):
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


class ReadOnlyAdmin(admin.ModelAdmin):
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
