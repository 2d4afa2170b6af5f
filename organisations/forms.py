from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput

from .enums import CreditGrade, IncidentKind, IncidentStatus
from .models import Organisation


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ("industry", "address", "legal_representative", "contact_name", "contact_phone")


class OfficeProfileForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = (
            "name",
            "kind",
            "region",
            "registered_on",
            "industry",
            "address",
            "legal_representative",
            "contact_name",
            "contact_phone",
        )
        widgets = {"registered_on": DateInput}


class CreditGradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("质量信用等级"), choices=CreditGrade.choices)
    source = forms.CharField(label=_("来源"), max_length=200, help_text=_("评定机关或文件"))
    rated_on = forms.DateField(label=_("评定日期"), widget=DateInput)


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=IncidentKind.choices)
    occurred_on = forms.DateField(label=_("发生日期"), widget=DateInput)
    description = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("核实状态"), choices=IncidentStatus.choices)
    source = forms.CharField(label=_("信息来源"), max_length=200, required=False)


class IncidentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("核实状态"), choices=IncidentStatus.choices)
    reason = forms.CharField(label=_("说明"), required=False, max_length=500)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV或XLSX文件"),
        help_text=_("列：uscc, kind, occurred_on, description, status, source"),
    )


class CreditImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV、XLSX或JSON文件"),
        help_text=_(
            "列：uscc, kind (grade|dishonest), grade, scheme, source, effective_on, removed_on"
        ),
    )
