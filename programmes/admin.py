from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from applications.enums import ApplicationStatus as S
from common.admin import AuditedModelAdmin
from common.exceptions import ApplicationError
from review.ranking import cycle_ranking
from review.services.decisions import decide_winners

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
        ("安全", {"fields": ("require_two_factor",)}),
    )

    def has_delete_permission(self, request, obj=None):
        return False


class CycleDecisionAdminMixin:
    """The committee's decision (审定, R12.7) in the admin: the candidates with the ranking,
    and the proposed winners with a rationale. More than the quota is refused (R7)."""

    def get_urls(self):
        urls = super().get_urls()
        extra = [
            path(
                "<int:pk>/decision/",
                self.admin_site.admin_view(self.decision_view),
                name="programmes_cycle_decision",
            )
        ]
        return extra + urls

    def decision_view(self, request, pk: int):
        cycle = Cycle.objects.select_related("programme").filter(pk=pk).first()
        if cycle is None or not request.user.serves(cycle.programme_id):
            raise Http404
        if not request.user.has_perm("review.view_ranking", cycle):
            raise PermissionDenied
        can_decide = request.user.has_perm("review.decide_winners", cycle)
        if request.method == "POST":
            if not can_decide:
                raise PermissionDenied
            try:
                out = decide_winners(
                    cycle=cycle,
                    winner_ids=request.POST.getlist("winners"),
                    rationale=request.POST.get("rationale", ""),
                    actor=request.user,
                )
                messages.success(request, f"已审定拟获奖组织{len(out['proposed'])}个。")
                return redirect("admin:programmes_cycle_decision", pk=cycle.pk)
            except ApplicationError as exc:
                messages.error(request, exc.user_message)
        rows = cycle_ranking(
            cycle, states=(S.CANDIDATE, S.PROPOSED, S.NOT_PROPOSED, S.PUBLICITY, S.AWARDED)
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"{cycle} 审定拟获奖名单",
            "cycle": cycle,
            "rows": rows,
            "can_decide": can_decide and any(r["status"] == S.CANDIDATE for r in rows),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/programmes/cycle/decision.html", context)

    @admin.display(description="审定")
    def decision_link(self, cycle):
        url = reverse("admin:programmes_cycle_decision", args=[cycle.pk])
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
