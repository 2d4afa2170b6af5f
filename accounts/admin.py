from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdmin, SafeAdminMixin

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
