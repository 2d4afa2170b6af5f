from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdmin, SafeAdminMixin
from common.audit import record

from .models import OrganisationClaim, ProgrammeMembership, User


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
