from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput
from review.enums import RespondentKind

from .enums import CaseTrigger, RewardKind, Sanction
from .services.history import MAX_IMPORT_BYTES, MAX_ROWS


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("异议内容"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8, "data-counter": "1"}),
        help_text=_("请具体说明事实和依据，10至5000字。"),
        error_messages={
            "min_length": _(
                "异议内容至少%(limit_value)s字（现为%(show_value)s字），请写明事实和依据。"
            ),
            "max_length": _(
                "异议内容不能超过%(limit_value)s字（现为%(show_value)s字），请精简后再提交。"
            ),
        },
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


class PaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("金额（元）"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    on = forms.DateField(label=_("支付日期"), widget=DateInput)
    reference = forms.CharField(label=_("凭证号"), max_length=100)


class OtherRewardForm(forms.Form):
    reward = forms.ChoiceField(
        label=_("奖励类型"),
        choices=[
            (k, v)
            for k, v in RewardKind.choices
            if k not in (RewardKind.QUALITY_AWARD, RewardKind.OTHER_HONOUR)
        ],
    )
    on = forms.DateField(label=_("日期"), widget=DateInput)


class ClawbackForm(forms.Form):
    amount = forms.DecimalField(
        label=_("追回金额（元）"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    on = forms.DateField(label=_("日期"), widget=DateInput)
    reference = forms.CharField(label=_("凭证号"), max_length=100)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("巡访日期"), widget=DateInput)
    visitors = forms.CharField(label=_("巡访人员"), max_length=200)
    findings = forms.CharField(label=_("发现的情况"), widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(
        label=_("整改要求"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachment = forms.FileField(
        label=_("附件"), required=False, help_text=_("PDF、JPEG、PNG、DOCX、XLSX，不超过20 MB。")
    )


class CaseForm(forms.Form):
    trigger = forms.ChoiceField(label=_("情形"), choices=CaseTrigger.choices)
    occurred_on = forms.DateField(label=_("发生日期"), widget=DateInput)
    description = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("证据材料"), required=False)


class CaseDecisionForm(forms.Form):
    sanction = forms.ChoiceField(
        label=_("处理决定"), choices=Sanction.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(label=_("决定理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ReissueForm(forms.Form):
    reason = forms.CharField(label=_("补发理由"), max_length=500)
    # The certificate the person saw: a second click re-issues nothing more.
    replaces = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class ImportAwardForm(forms.Form):
    organisation = forms.ChoiceField(label=_("获奖组织"))
    programme = forms.ChoiceField(label=_("质量奖"))
    # "1e400", "inf", 10**30 or -5 are a message on the field, never a server error.
    year = forms.IntegerField(
        label=_("年度"),
        min_value=1990,
        max_value=2100,
        error_messages={
            "invalid": _("年度应为四位数字的年份，如2020。"),
            "min_value": _("年度不能早于%(limit_value)s年。"),
            "max_value": _("年度不能晚于%(limit_value)s年。"),
        },
    )
    announced_on = forms.DateField(label=_("公告日期"), widget=DateInput)

    def __init__(self, *args, organisations, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (str(o.pk), f"{o.name}（{o.uscc}）") for o in organisations
        ]
        self.fields["programme"].choices = [(str(p.pk), p.name) for p in programmes]


class ImportAwardsFileForm(forms.Form):
    programme = forms.ChoiceField(label=_("质量奖"))
    file = forms.FileField(label=_("XLSX文件"))

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(str(p.pk), p.name) for p in programmes]
        self.fields["file"].help_text = _(
            "列：uscc, year, announced_on；首行为表头，不超过%(mb)s MB、%(rows)s行。"
        ) % {"mb": MAX_IMPORT_BYTES // 1024 // 1024, "rows": MAX_ROWS}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:  # refused before a byte of it is read
            raise forms.ValidationError(
                _("文件不能超过%(mb)s MB。"), params={"mb": MAX_IMPORT_BYTES // 1024 // 1024}
            )
        return upload


class PublicityForm(forms.Form):
    starts_on = forms.DateField(label=_("公示开始日期"), widget=DateInput)
    days = forms.IntegerField(label=_("公示天数"), min_value=1, max_value=60, required=False)


class VerifyPdfForm(forms.Form):
    file = forms.FileField(
        label=_("证书 PDF 文件"),
        help_text=_("上传您收到的证书 PDF，核验其电子签名是否完整、由颁奖政府签发。不超过20 MB。"),
    )
