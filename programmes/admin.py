from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from applications.enums import ApplicationStatus as S
from common.admin import AuditedModelAdmin, PortalModelAdmin
from common.exceptions import ApplicationError
from review.ranking import cycle_ranking, tie_at_quota
from review.services.decisions import decide_winners

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
                messages.success(
                    request, gettext("已审定拟获奖组织%(len)s个。") % {"len": len(out["proposed"])}
                )
                return redirect("admin:programmes_cycle_decision", pk=cycle.pk)
            except ApplicationError as exc:
                messages.error(request, exc.user_message)
        rows = cycle_ranking(
            cycle, states=(S.CANDIDATE, S.PROPOSED, S.NOT_PROPOSED, S.PUBLICITY, S.AWARDED)
        )
        candidates = [r for r in rows if r["status"] == S.CANDIDATE]
        context = {
            **self.admin_site.each_context(request),
            "title": f"{cycle} 审定拟获奖名单",
            "cycle": cycle,
            "rows": rows,
            "tie": set(tie_at_quota(candidates, cycle.settings.quota)),
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
    model = CriteriaItem
    extra = 0


@admin.register(CriteriaCategory)
class CriteriaCategoryAdmin(PortalModelAdmin):
    list_display = ("code", "name", "points", "criteria_set")
    list_filter = ("criteria_set",)
    inlines = (CriteriaItemInline,)


@admin.register(CriteriaSet)
class CriteriaSetAdmin(PortalModelAdmin):
    list_display = ("code", "name", "edition", "total_points")
