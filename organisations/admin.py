from django.contrib import admin

from common.admin import PortalModelAdmin, ReadOnlyAdmin

from .models import CreditRating, DishonestyListing, Incident, Organisation
from .services import update_profile


class CreditRatingInline(admin.TabularInline):
    """Shown, not edited here: a grade is recorded on the organisation's page in the portal,
    with its source, its author and the current grade kept in step (R11.5)."""

    model = CreditRating
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "scheme",
        "grade",
        "source",
        "rated_on",
        "recorded_by",
        "recorded_at",
    )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class IncidentInline(admin.TabularInline):
    """Shown, not edited here: incidents are recorded and verified on the organisation's page
    (R11.6), where every change of status is audited."""

    model = Incident
    extra = 0
    can_delete = False
    fields = readonly_fields = ("kind", "occurred_on", "status", "description", "source")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(PortalModelAdmin):
    """Profile changes go through organisations.services.update_profile, as on the portal's
    pages: the same checks, the same audit entry."""

    list_display = ("name", "uscc", "kind", "region", "registered_on", "credit_grade")
    list_filter = ("kind", "region", "credit_grade")
    search_fields = ("name", "uscc")
    readonly_fields = (
        "uscc",
        "division",
        "credit_grade",
        "credit_grade_scheme",
        "credit_grade_source",
        "credit_grade_on",
        "created_at",
    )
    inlines = (CreditRatingInline, IncidentInline)

    def has_add_permission(self, request):
        return False  # organisations register themselves (or the office imports them)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        update_profile(organisation=obj, data=data, actor=request.user)


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "kind", "occurred_on", "status")
    list_filter = ("kind", "status")
    search_fields = ("organisation__name", "organisation__uscc", "description")
    list_select_related = ("organisation",)


@admin.register(DishonestyListing)
class DishonestyListingAdmin(ReadOnlyAdmin):
    """Read here; recorded by the credit-data import (applications.services.credit), which
    also ends the live applications of a listed organisation (R11.5)."""

    list_display = ("uscc", "source", "listed_on", "removed_on", "recorded_by")
    search_fields = ("uscc", "source")
