from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from organisations.enums import OrganisationKind
from organisations.uscc import normalise, uscc_error

from .models import User


class DateInput(forms.DateInput):
    input_type = "date"


class RegisterForm(UserCreationForm):
    """An enterprise registers itself and its first user (no JavaScript needed)."""

    name = forms.CharField(label=_("您的姓名"), max_length=64)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    phone = forms.RegexField(
        label=_("手机号"),
        regex=r"^1\d{10}$",
        required=False,
        error_messages={"invalid": _("请输入11位手机号码（以1开头）。")},
    )
    org_name = forms.CharField(label=_("组织名称"), max_length=200)
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=32,
        help_text=_("18位，见营业执照或登记证书"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(label=_("组织类型"), choices=OrganisationKind.choices)
    region = forms.CharField(label=_("注册地"), max_length=64)
    registered_on = forms.DateField(label=_("注册登记日期"), widget=DateInput)
    industry = forms.CharField(label=_("所属行业"), max_length=100, required=False)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)

    def __init__(self, *args, regions: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions:
            self.fields["region"] = forms.ChoiceField(
                label=_("注册地"), choices=[(r, r) for r in regions]
            )

    def clean_uscc(self) -> str:
        value = self.cleaned_data["uscc"]
        error = uscc_error(value)
        if error:
            raise forms.ValidationError(error)
        return normalise(value)

    def organisation_data(self) -> dict:
        d = self.cleaned_data
        return {
            "name": d["org_name"],
            "uscc": d["uscc"],
            "kind": d["kind"],
            "region": d["region"],
            "registered_on": d["registered_on"],
            "industry": d.get("industry", ""),
            "contact_name": d["name"],
            "contact_phone": d.get("phone", ""),
        }
