from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdmin, html_table
from common.labels import format_money
from programmes.selectors import criteria_items

from .models import Application, Recommendation
from .services.form import self_evaluation_total


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    can_delete = False
    readonly_fields = ("level", "decision", "opinion", "signed_by", "signed_at")

    def has_add_permission(self, request, obj=None):
        return False


def _rows(value) -> list[dict]:
    """The rows of a JSON list field; anything else stored there shows as no rows."""
    return [row for row in value or [] if isinstance(row, dict)] if isinstance(value, list) else []


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Read-only in the admin: statuses change only through the workflow (and its audit)."""

    list_display = ("organisation", "cycle", "status", "submitted_at", "last_submitted_at")
    list_filter = ("cycle__programme", "cycle__year", "status")
    search_fields = ("organisation__name", "organisation__uscc")
    list_select_related = ("organisation", "cycle__programme")
    inlines = (RecommendationInline,)
    # The form's JSON fields, each shown as a table in its place.
    TABLES = {
        "indicators": "indicators_table",
        "management_systems": "management_systems_table",
        "self_evaluation": "self_evaluation_table",
    }

    def get_readonly_fields(self, request, obj=None):
        return [self.TABLES.get(name, name) for name in super().get_readonly_fields(request, obj)]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    @admin.display(description=_("近两年主要经济技术质量指标"))
    def indicators_table(self, obj):
        return html_table(
            (
                gettext("年度"),
                gettext("营业收入（元）"),
                gettext("利润（元）"),
                gettext("纳税（元）"),
                gettext("产品质量合格率（%）"),
            ),
            (
                (
                    r.get("year", ""),
                    format_money(r.get("revenue")),
                    format_money(r.get("profit")),
                    format_money(r.get("tax")),
                    r.get("quality_pass_rate", ""),
                )
                for r in _rows(obj.indicators)
            ),
        )

    @admin.display(description=_("管理体系认证"))
    def management_systems_table(self, obj):
        return html_table(
            (gettext("标准"), gettext("证书编号"), gettext("发证机构"), gettext("有效期至")),
            (
                (
                    s.get("standard", ""),
                    s.get("certificate_no", ""),
                    s.get("issuer", ""),
                    s.get("valid_until", ""),
                )
                for s in _rows(obj.management_systems)
            ),
        )

    @admin.display(description=_("自我评价"))
    def self_evaluation_table(self, obj):
        marks = _rows(obj.self_evaluation)
        if not marks:
            return html_table((), ())
        items = criteria_items(obj.cycle.criteria_set_id)
        by_code = {i.code: i for i in items}
        rows = []
        for mark in marks:
            item = by_code.get(mark.get("item"))
            percent = mark.get("percent")
            points = item.points_for(percent) if item and isinstance(percent, int | float) else None
            rows.append(
                (
                    mark.get("item", ""),
                    item.name if item else "",
                    item.points if item else "",
                    f"{percent}%" if percent is not None else "",
                    f"{points:.1f}" if points is not None else "",
                    mark.get("comment", ""),
                )
            )
        rows.append((gettext("合计"), "", "", "", self_evaluation_total(marks, items), ""))
        return html_table(
            (
                gettext("条款"),
                gettext("名称"),
                gettext("分值"),
                gettext("百分比"),
                gettext("得分"),
                gettext("说明"),
            ),
            rows,
        )
