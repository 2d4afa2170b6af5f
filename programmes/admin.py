from django.contrib import admin

from common.admin import AuditedModelAdmin

from .models import CriteriaCategory, CriteriaItem, CriteriaSet, Cycle, Programme


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
    )

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Cycle)
class CycleAdmin(AuditedModelAdmin):
    list_display = (
        "__str__",
        "year",
        "status",
        "submission_deadline",
        "recommendation_deadline",
        "announced_on",
    )
    list_filter = ("programme", "status", "year")
    search_fields = ("programme__name",)
    list_select_related = ("programme",)
    # The workflow dates and status change only through the services (and their audit trail).
    readonly_fields = (
        "status",
        "criteria_set",
        "decided_at",
        "decision_rationale",
        "publicity_starts_on",
        "publicity_ends_on",
        "announced_on",
    )

    def has_delete_permission(self, request, obj=None):
        return False


class CriteriaItemInline(admin.TabularInline):
    model = CriteriaItem
    extra = 0


@admin.register(CriteriaCategory)
class CriteriaCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "points", "criteria_set")
    list_filter = ("criteria_set",)
    inlines = (CriteriaItemInline,)


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "edition", "total_points")
