from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from common.forms import DateInput
from organisations.enums import OrganisationKind
from organisations.uscc import normalise, uscc_error

from .models import User


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

    def clean_username(self) -> str:
        # Whether the name is taken is decided by register_enterprise, which answers the same
        # either way (issue 8 item 13); UserCreationForm would say it here.
        return self.cleaned_data.get("username")

    def validate_unique(self) -> None:
        """No uniqueness errors on this form: they would tell a stranger who is registered."""

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


class ClaimSubmitForm(forms.Form):
    """The claimant's proof (issue 8 item 13)."""

    licence = forms.FileField(
        label=_("营业执照或登记证书"),
        help_text=_("扫描件或照片，PDF、JPEG 或 PNG，不超过20 MB"),
        error_messages={"required": _("请上传营业执照或登记证书。")},
    )
    authorisation = forms.FileField(
        label=_("授权委托书或单位证明"),
        required=False,
        help_text=_("可选：加盖单位公章的授权委托书，证明您代表该组织"),
    )
    statement = forms.CharField(
        label=_("申请说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("例如：本单位从未注册过账号，或原注册人已离职。"),
    )


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("核实结论"),
        choices=[
            ("approve", _("通过：将该组织转至申请人账号")),
            ("reject", _("不通过")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择核实结论。")},
    )
    reasons = forms.CharField(
        label=_("核实意见"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("申请人和原关联账号都会收到此意见，请勿写入对方的联系方式等个人信息。"),
        error_messages={"required": _("请填写核实意见（R4：每项决定都须说明理由）。")},
    )
    keep_other_users = forms.BooleanField(
        label=_("保留原账号与该组织的关联"),
        required=False,
        help_text=_("仅当原账号也确属该组织（如同一单位的同事）时勾选；否则原账号将失去该组织。"),
    )


class OneTimeCodeForm(forms.Form):
    otp = forms.CharField(
        label=_("动态验证码"),
        max_length=16,
        help_text=_(
            "打开手机上的验证器应用（如 Microsoft Authenticator、Google 身份验证器），"
            "输入显示的6位数字"
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": _("请输入验证器应用显示的6位动态验证码。")},
    )


class RemoveTwoFactorForm(forms.Form):
    password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("请输入当前密码以确认是您本人操作。")},
    )
