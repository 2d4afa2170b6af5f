from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import DateInput

from .enums import HonourKind
from .services import validate_honour


class HonourForm(forms.Form):
    kind = forms.ChoiceField(label=_("荣誉类别"), choices=HonourKind.choices)
    title = forms.CharField(
        label=_("荣誉名称"), max_length=200, help_text=_("如：鄂尔多斯市市长质量奖")
    )
    issuer = forms.CharField(
        label=_("授予机关"), max_length=200, help_text=_("如：鄂尔多斯市人民政府")
    )
    granted_on = forms.DateField(label=_("授予日期"), widget=DateInput)
    valid_until = forms.DateField(label=_("有效期至"), widget=DateInput, required=False)
    evidence = forms.FileField(
        label=_("证明材料"), required=False, help_text=_("PDF、JPEG、PNG、DOCX、XLSX，20 MB以内")
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for field, message in validate_honour(
            kind=data.get("kind", ""),
            title=data.get("title", ""),
            issuer=data.get("issuer", ""),
            granted_on=data.get("granted_on"),
            valid_until=data.get("valid_until"),
        ).items():
            self.add_error(field, message)
        return data


class RewardForm(forms.Form):
    amount = forms.DecimalField(
        label=_("奖励金额（元）"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text=_("留空则按质量奖设定的金额（第十三条：5万元）"),
    )


class HonourImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV或XLSX文件"),
        help_text=_(
            "列：uscc（统一社会信用代码）、kind（荣誉类别）、title（荣誉名称）、issuer（授予机关）、"
            "granted_on（授予日期）、valid_until（有效期至，可空）；全部正确才导入。"
        ),
    )
