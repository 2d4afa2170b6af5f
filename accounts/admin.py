from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from common.admin import PortalModelAdmin, ReadOnlyAdmin, SafeAdminMixin
from common.audit import record
from common.labels import action_label, state_label
from common.models import AuditEntry

from .models import OrganisationClaim, ProgrammeMembership, User
from .templatetags.people import role_label


class MembershipInline(admin.TabularInline):
    model = ProgrammeMembership
    extra = 0
    autocomplete_fields = ("programme",)


@admin.register(User)
class UserAdmin(SafeAdminMixin, BaseUserAdmin):
    list_display = ("username", "name", "organisation", "roles", "is_active", "last_login")
    list_filter = ("groups", "is_active", "is_staff", "all_programmes", "recommender_level")
    search_fields = ("username", "name", "email", "organisation__name", "organisation__uscc")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    inlines = (MembershipInline,)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("质量奖"),
            {
                "fields": (
                    "name",
                    "phone",
                    "organisation",
                    "all_programmes",
                    "recommender_level",
                    "industries",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def has_delete_permission(self, request, obj=None):
        return False  # people leave by being deactivated: their signatures and audit stay theirs

    def save_related(self, request, form, formsets, change):
        """Who holds which role and serves which programme decides what a person may read and
        sign: every save here is in the audit trail, with the roles before and after (never
        the password)."""
        user = form.instance
        roles_before = sorted(user.groups.values_list("name", flat=True)) if change else []
        super().save_related(request, form, formsets, change)
        roles_after = sorted(user.groups.values_list("name", flat=True))
        fields = sorted(
            n for n in form.changed_data if n not in {"password", "password1", "password2"}
        )
        record(
            action="user.changed_in_admin" if change else "user.created_in_admin",
            actor=request.user,
            obj=user,
            data={
                "fields": fields,
                "roles": {"from": roles_before, "to": roles_after},
                "programmes": sorted(user.memberships.values_list("programme__code", flat=True)),
            },
        )

    @admin.display(description=_("角色"))
    def roles(self, user: User) -> str:
        return "、".join(g.name for g in user.groups.all())


@admin.register(OrganisationClaim)
class OrganisationClaimAdmin(ReadOnlyAdmin):
    """Claims are decided on their page (/accounts/claims/), which audits the decision."""

    list_display = ("submitted_name", "uscc", "claimant", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("uscc", "submitted_name", "claimant__username")
    list_select_related = ("claimant",)


class _WordsFilter(admin.SimpleListFilter):
    """A filter on a code column whose choices are shown in words."""

    field = ""

    def words(self, code: str) -> str:
        raise NotImplementedError

    def lookups(self, request, model_admin):
        codes = model_admin.get_queryset(request).values_list(self.field, flat=True).distinct()
        return sorted(((c, self.words(c)) for c in codes.order_by() if c), key=lambda x: x[1])

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(**{self.field: value}) if value else queryset


class ActionFilter(_WordsFilter):
    title = _("操作")
    parameter_name = field = "action"

    def words(self, code: str) -> str:
        return action_label(code)


class RoleFilter(_WordsFilter):
    title = _("角色")
    parameter_name = field = "actor_role"

    def words(self, code: str) -> str:
        return role_label(code)


@admin.register(AuditEntry)
class AuditEntryAdmin(PortalModelAdmin):
    """Read-only: the committee and the supervisor can search the trail, nobody can edit it."""

    list_display = (
        "seq",
        "created_at",
        "actor_name",
        "role",
        "what",
        "object_repr",
        "from_label",
        "to_label",
    )
    list_filter = (RoleFilter, ActionFilter, "content_type")
    search_fields = ("object_repr", "reason", "actor_name", "action")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    list_select_related = ("content_type",)

    @admin.display(description=_("角色"), ordering="actor_role")
    def role(self, entry: AuditEntry) -> str:
        return role_label(entry.actor_role)

    @admin.display(description=_("操作"), ordering="action")
    def what(self, entry: AuditEntry) -> str:
        return action_label(entry.action)

    @admin.display(description=_("原状态"))
    def from_label(self, entry: AuditEntry) -> str:
        return state_label(
            entry.content_type.model_class() if entry.content_type else None, entry.from_state
        )

    @admin.display(description=_("新状态"))
    def to_label(self, entry: AuditEntry) -> str:
        return state_label(
            entry.content_type.model_class() if entry.content_type else None, entry.to_state
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff
