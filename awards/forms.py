from django import forms
from django.utils.translation import gettext_lazy as _

from review.enums import RespondentKind


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("异议内容"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请具体说明事实和依据。"),
    )
    name = forms.CharField(
        label=_("真实姓名"),
        max_length=64,
        help_text=_("不受理匿名异议。姓名和电话仅供调查核实，不会公开。"),
    )
    phone = forms.CharField(label=_("联系电话"), max_length=20)


class ResolveObjectionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("调查结论"),
        coerce=lambda v: v == "1",
        choices=[("1", _("异议成立（撤回该申报）")), ("0", _("异议不成立"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}))


class SurveyAnswerForm(forms.Form):
    score = forms.IntegerField(
        label=_("您对该组织产品或服务的总体满意度（0-100分）"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    respondent_kind = forms.ChoiceField(label=_("您的身份"), choices=RespondentKind.choices)
    comment = forms.CharField(
        label=_("意见建议（可选）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
