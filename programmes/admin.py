from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from common.admin import AuditedModelAdmin, ReadOnlyAdmin
from common.exceptions import ApplicationError

from .models import CriteriaCategory, CriteriaItem, CriteriaSet, Cycle, Programme
from .services import create_cycle


@admin.register(Programme)
class ProgrammeAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "region", "level", "quota", "validity_years", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "code", "region")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "code",
                    "name",
                    "region",
                    "level",
                    "government_name",
                    "office_name",
                    "criteria_set",
                    "is_active",
                )
            },
        ),
        (
            "评审规则（默认值见 RULES.md）",
            {
                "fields": (
                    "quota",
                    "validity_years",
                    "min_operating_years",
                    "lookback_years",
                    "required_credit_grade",
                    "watch_years",
                    "ban_years",
                    "fraud_ban_years",
                    "reward_amount",
                    "publicity_days",
                    "evidence_total_mb",
                    "correction_days",
                )
            },
        ),
        (
            "评分",
            {
                "fields": (
                    "document_experts",
                    "onsite_group_size",
                    "weight_document",
                    "weight_onsite",
                    "weight_satisfaction",
                    "min_composite_score",
                    "trimmed_mean",
                    "dispersion_threshold",
                )
            },
        ),
        ("安全", {"fields": ("require_two_factor",)}),
    )

    def has_delete_permission(self, request, obj=None):
        return False


class CycleDecisionAdminMixin:
    """A link from the admin's cycle list to the committee's decision page (review app)."""

    @admin.display(description="审定")
    def decision_link(self, cycle):
        url = reverse("review:decision", args=[cycle.pk])
        return format_html('<a href="{}">候选与审定</a>', url)


@admin.register(Cycle)
class CycleAdmin(CycleDecisionAdminMixin, AuditedModelAdmin):
    list_display = (
        "__str__",
        "year",
        "status",
        "submission_deadline",
        "recommendation_deadline",
        "announced_on",
        "decision_link",
    )
    list_filter = ("programme", "status", "year")
    search_fields = ("programme__name",)
    list_select_related = ("programme",)
    # A cycle opens through programmes.services.create_cycle (R5, its criteria set and its copy
    # of the rules); once open, only the two review deadlines the dashboard watches may change
    # here. The workflow dates and the status change only through the services.
    add_fields = (
        "programme",
        "year",
        "opens_on",
        "submission_deadline",
        "recommendation_deadline",
        "document_review_deadline",
        "onsite_review_deadline",
    )
    editable_after_opening = ("document_review_deadline", "onsite_review_deadline")

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return [f.name for f in Cycle._meta.fields if f.name not in self.editable_after_opening]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        try:
            cycle = create_cycle(actor=request.user, **{f: data.get(f) for f in self.add_fields})
        except ApplicationError as exc:
            raise ValidationError({exc.field or NON_FIELD_ERRORS: exc.user_message}) from exc
        obj.pk = cycle.pk

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as exc:  # the service refused (R5): say so on the form
            messages.error(request, "；".join(exc.messages))
            return redirect(request.get_full_path())

    def has_delete_permission(self, request, obj=None):
        return False


class CriteriaItemInline(admin.TabularInline):
    """Shown, not edited: see CriteriaSetAdmin."""

    model = CriteriaItem
    extra = 0
    can_delete = False
    fields = readonly_fields = ("code", "name", "points", "kind", "order")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CriteriaCategory)
class CriteriaCategoryAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "points", "criteria_set")
    list_filter = ("criteria_set",)
    inlines = (CriteriaItemInline,)


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnlyAdmin):
    """A scoring standard is shipped as data (a data migration per edition): every score sheet,
    band and composite of a cycle is computed against its points, so nobody edits it in the
    admin, not even a superuser. A new edition is a new set and a migration."""

    list_display = ("code", "name", "edition", "total_points")
