"""Browser forms of the application form's sections. Each turns into the API's data structure
and is saved through the same drafting service as the API."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput
from programmes.selectors import criteria_items

from .models import Application, DocumentKind, RecommendationDecision
from .services.form import indicator_years

PERCENT_CHOICES = [("", "—")] + [(str(p), f"{p}%") for p in range(0, 101, 5)]
# The guiding bands of SCORING.md, shown beside the percentages.
BANDS = [
    ("0–5%", _("无系统方法或结果")),
    ("10–25%", _("开始有系统方法")),
    ("30–45%", _("有效的系统方法，基本展开")),
    ("50–65%", _("有效的系统方法，良好展开")),
    ("70–85%", _("系统方法充分展开，有学习和整合")),
    ("90–100%", _("卓越：全面展开并整合")),
]


class ProfileSectionForm(forms.Form):
    summary = forms.CharField(
        label=_("申报单位简介"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("至少50字：主营业务、规模、质量管理特色。"),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=64, required=False)
    contact_phone = forms.CharField(label=_("联系人手机"), max_length=20, required=False)

    def to_data(self) -> dict:
        return dict(self.cleaned_data)


class IndicatorsSectionForm(forms.Form):
    """One row per year of the two years before the cycle's year."""

    LABELS = (
        ("revenue", _("营业收入（元）")),
        ("profit", _("利润（元）")),
        ("tax", _("纳税（元）")),
        ("quality_pass_rate", _("产品质量合格率（%）")),
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            for name, label in self.LABELS:
                self.fields[f"{name}_{year}"] = forms.CharField(
                    label=f"{year}年 {label}",
                    required=False,
                    max_length=32,
                    widget=forms.TextInput(
                        attrs={"inputmode": "decimal", "aria-label": f"{year}年 {label}"}
                    ),
                )

    def rows(self):
        return [(year, [self[f"{name}_{year}"] for name, _ in self.LABELS]) for year in self.years]

    @classmethod
    def initial_for(cls, application: Application) -> dict:
        initial = {}
        for row in application.indicators or []:
            for name, _label in cls.LABELS:
                initial[f"{name}_{row['year']}"] = row.get(name, "")
        return initial

    def to_data(self) -> dict:
        d = self.cleaned_data
        return {
            "indicators": [
                {"year": y, **{name: d.get(f"{name}_{y}", "") for name, _ in self.LABELS}}
                for y in self.years
            ]
        }


class ManagementSystemForm(forms.Form):
    standard = forms.CharField(
        label=_("标准"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "GB/T 19001-2016"}),
    )
    certificate_no = forms.CharField(label=_("证书编号"), max_length=200, required=False)
    issuer = forms.CharField(label=_("发证机构"), max_length=200, required=False)
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=DateInput)


class BaseManagementSystemFormSet(forms.BaseFormSet):
    """The certified systems as a list; a service's refusal belongs to the whole list."""

    fields: dict = {}

    def add_error(self, field, error) -> None:
        messages = error if isinstance(error, list) else [error]
        self._non_form_errors = self.error_class([*self.non_form_errors(), *messages])

    def to_data(self) -> dict:
        rows = []
        for form in self.forms:
            if form.cleaned_data:
                until = form.cleaned_data.get("valid_until")
                rows.append(
                    {**form.cleaned_data, "valid_until": until.isoformat() if until else ""}
                )
        return {"management_systems": rows}


ManagementSystemFormSet = forms.formset_factory(
    ManagementSystemForm, formset=BaseManagementSystemFormSet, extra=2, max_num=10
)


class InnovationBrandSectionForm(forms.Form):
    innovation = forms.CharField(
        label=_("自主创新情况"),
        widget=forms.Textarea(attrs={"rows": 7}),
        required=False,
        help_text=_("研发投入、专利、标准制定、新产品等（R11.3）。"),
    )
    brand = forms.CharField(
        label=_("品牌建设情况"),
        widget=forms.Textarea(attrs={"rows": 7}),
        required=False,
        help_text=_("品牌荣誉、市场地位、顾客评价等（R11.4）。"),
    )

    def to_data(self) -> dict:
        return dict(self.cleaned_data)


class SelfEvaluationSectionForm(forms.Form):
    """A percentage in steps of 5 and a short text for every scored item."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"p_{item.code}"] = forms.ChoiceField(
                label=f"{item.code} {item.name}",
                choices=PERCENT_CHOICES,
                required=False,
                widget=forms.Select(attrs={"data-points": item.points, "class": "percent"}),
            )
            self.fields[f"c_{item.code}"] = forms.CharField(
                label=_("说明"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "aria-label": f"{item.code} 说明"}),
            )

    def rows(self):
        return [(item, self[f"p_{item.code}"], self[f"c_{item.code}"]) for item in self.items]

    @staticmethod
    def initial_for(application: Application) -> dict:
        initial = {}
        for row in application.self_evaluation or []:
            initial[f"p_{row['item']}"] = "" if row.get("percent") is None else str(row["percent"])
            initial[f"c_{row['item']}"] = row.get("comment", "")
        return initial

    def to_data(self) -> dict:
        d = self.cleaned_data
        return {
            "self_evaluation": [
                {
                    "item": i.code,
                    "percent": d.get(f"p_{i.code}") or None,
                    "comment": d.get(f"c_{i.code}", ""),
                }
                for i in self.items
                if d.get(f"p_{i.code}") or d.get(f"c_{i.code}")
            ]
        }


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类别"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("文件"),
        allow_empty_file=True,
        help_text=_("PDF、JPEG、PNG、DOCX、XLSX，单个不超过20 MB。"),
    )


class RecommendationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("意见"), choices=RecommendationDecision.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(label=_("推荐意见"), widget=forms.Textarea(attrs={"rows": 4}))


class EndApplicationForm(forms.Form):
    """The office ends an accepted application that no longer meets the conditions (R11)."""

    reasons = forms.CharField(
        label=_("终止理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明不再符合的条件（规则编号、相关记录和日期），申报单位可以看到。"),
    )


class EligibilityDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审查决定"),
        widget=forms.RadioSelect,
        choices=[
            ("accept", _("通过，正式受理")),
            ("return", _("退回修改")),
            ("reject", _("不予受理")),
        ],
    )
    reasons = forms.CharField(
        label=_("审查意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("退回或不予受理时必填，申报单位可以看到。"),
    )
    correction_due = forms.DateField(
        label=_("修改期限"),
        required=False,
        widget=DateInput,
        help_text=_("退回修改时适用；留空则按质量奖设置的天数。"),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def section_form(app: Application, section: str, data=None, files=None):
    """The form of one section of the application, filled with what the draft holds."""
    if section == "profile":
        initial = {k: getattr(app, k) for k in ("summary", "contact_name", "contact_phone")}
        return ProfileSectionForm(data, initial=initial)
    if section == "indicators":
        initial = IndicatorsSectionForm.initial_for(app)
        return IndicatorsSectionForm(data, years=indicator_years(app), initial=initial)
    if section == "management_systems":
        return ManagementSystemFormSet(data, initial=app.management_systems or None, prefix="ms")
    if section == "innovation_brand":
        initial = {"innovation": app.innovation, "brand": app.brand}
        return InnovationBrandSectionForm(data, initial=initial)
    if section == "self_evaluation":
        items = criteria_items(app.cycle.criteria_set_id)
        initial = SelfEvaluationSectionForm.initial_for(app)
        return SelfEvaluationSectionForm(data, items=items, initial=initial)
    return DocumentUploadForm(data, files)
