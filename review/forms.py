from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.forms import PERCENT_CHOICES
from common.exceptions import ApplicationError
from common.forms import DateInput
from organisations.models import Organisation
from programmes.models import Programme

from .enums import ExpertStatus, Stage
from .services.onsite import clean_response


class ScoreSheetForm(forms.Form):
    """The expert's sheet: a percentage, strengths and improvements for every item."""

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
            self.fields[f"s_{item.code}"] = forms.CharField(
                label=_("优势"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2, "aria-label": f"{item.code} 优势"}),
            )
            self.fields[f"i_{item.code}"] = forms.CharField(
                label=_("改进机会"),
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2, "aria-label": f"{item.code} 改进机会"}),
            )

    def rows(self):
        return [
            (i, self[f"p_{i.code}"], self[f"s_{i.code}"], self[f"i_{i.code}"]) for i in self.items
        ]

    def running_total(self):
        """Points of the percentages chosen so far; a value that is not one of the choices
        (typed into a forged request) counts for nothing and is reported by validation."""
        allowed = {value for value, _label in PERCENT_CHOICES if value != ""}
        total = 0
        for item in self.items:
            value = self[f"p_{item.code}"].value()
            if value in allowed:
                total += item.points_for(int(value))
        return total

    def missing_items(self) -> list:
        """The items with no percentage chosen yet (all of them must be scored to submit)."""
        return [i for i in self.items if not self[f"p_{i.code}"].value()]

    @staticmethod
    def initial_for(scores) -> dict:
        initial = {}
        for s in scores:
            initial[f"p_{s.item.code}"] = str(s.percent)
            initial[f"s_{s.item.code}"] = s.strengths
            initial[f"i_{s.item.code}"] = s.improvements
        return initial

    def to_items(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {
                "item": i.code,
                "percent": d[f"p_{i.code}"],
                "strengths": d.get(f"s_{i.code}", ""),
                "improvements": d.get(f"i_{i.code}", ""),
            }
            for i in self.items
            if d.get(f"p_{i.code}")
        ]


class ScoreSubmitForm(ScoreSheetForm):
    """Submitting is final: the expert ticks that they know it (works without JavaScript)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"] = forms.BooleanField(
            label=_("我已核对全部条款，确认提交；提交后不能修改。"),
            error_messages={"required": _("请先勾选确认：评分提交后不能修改。")},
        )


class ConsensusForm(forms.Form):
    """Consensus values for some items (document) or all of them (on-site)."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"p_{item.code}"] = forms.ChoiceField(
                label=f"{item.code} {item.name}", choices=PERCENT_CHOICES, required=False
            )
            self.fields[f"c_{item.code}"] = forms.CharField(
                label=_("说明"),
                required=False,
                max_length=2000,
                widget=forms.TextInput(attrs={"aria-label": f"{item.code} 说明"}),
            )

    def rows(self):
        return [(i, self[f"p_{i.code}"], self[f"c_{i.code}"]) for i in self.items]

    def to_items(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"item": i.code, "percent": d[f"p_{i.code}"], "comment": d.get(f"c_{i.code}", "")}
            for i in self.items
            if d.get(f"p_{i.code}")
        ]


class AssignForm(forms.Form):
    expert = forms.ChoiceField(label=_("专家"))
    stage = forms.ChoiceField(label=_("阶段"), choices=Stage.choices)
    leader = forms.BooleanField(label=_("担任现场评审组组长"), required=False)

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [
            (str(u.pk), f"{u.display_name}（{u.username}，任务{u.load}）") for u in experts
        ]


class RevokeAssignmentForm(forms.Form):
    """Why the office withdraws an expert's assignment (kept in the audit trail)."""

    reason = forms.CharField(
        label=_("撤回原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("请写明撤回原因。"))
        return reason


class VisitForm(forms.Form):
    scheduled_on = forms.DateField(label=_("现场评审日期"), widget=DateInput)
    notes = forms.CharField(
        label=_("安排说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SurveyEntryForm(forms.Form):
    lines = forms.CharField(
        label=_("测评结果"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "每行一份：分数（0-100）,对象（顾客、用户、群众、合作方或其他）,意见（可选）。"
            "例如：95,顾客,服务周到"
        ),
    )

    def clean_lines(self) -> list[dict]:
        """Every line checked by the service's own rule; every bad line listed with its number
        (the typed text stays in the box)."""
        rows, errors = [], []
        for n, line in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",", 2)]
            if len(parts) < 2:
                errors.append(
                    gettext("第%(n)s行：应为“分数,对象,意见”，例如“95,顾客,服务周到”。") % {"n": n}
                )
                continue
            row = {
                "score": parts[0],
                "respondent_kind": parts[1],
                "comment": parts[2] if len(parts) > 2 else "",
            }
            try:
                score, kind, comment = clean_response(row)
            except ApplicationError as exc:
                errors.append(gettext("第%(n)s行：%(error)s") % {"n": n, "error": exc.message})
                continue
            rows.append({"score": score, "respondent_kind": kind, "comment": comment})
        if errors:
            raise forms.ValidationError(errors)
        if not rows:
            raise forms.ValidationError(_("请至少录入一份测评结果。"))
        return rows


class TokensForm(forms.Form):
    count = forms.IntegerField(label=_("生成链接数"), min_value=1, max_value=500, initial=20)


class IdsForm(forms.Form):
    applications = forms.MultipleChoiceField(
        label=_("申报"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = choices


class ExpertProfileForm(forms.Form):
    qualifications = forms.CharField(
        label=_("资质"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    industries = forms.CharField(label=_("擅长行业"), required=False, max_length=255)
    employer = forms.CharField(label=_("工作单位"), required=False, max_length=200)
    term_starts_on = forms.DateField(label=_("聘期开始"), required=False, widget=DateInput)
    term_ends_on = forms.DateField(label=_("聘期结束"), required=False, widget=DateInput)


class AddExpertForm(forms.Form):
    """A new member of the expert pool, added by the office (issue 11): the account, how to
    reach them, the programmes they serve and their profile. Whether the username is free is
    the service's answer (``create_staff_user``)."""

    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("登录用；字母、数字和 @ . + - _"),
        error_messages={"invalid": _("用户名只能包含字母、数字和 @ . + - _，不超过150个字符。")},
    )
    name = forms.CharField(label=_("姓名"), max_length=64)
    email = forms.EmailField(
        label=_("电子邮箱"), required=False, error_messages={"invalid": _("请输入有效的电子邮箱。")}
    )
    phone = forms.RegexField(
        label=_("手机号"),
        regex=r"^1\d{10}$",
        required=False,
        error_messages={"invalid": _("请输入11位手机号码（以1开头）。")},
    )
    password1 = forms.CharField(
        label=_("初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("请当面或电话告知专家，并提醒其登录后修改密码。"),
    )
    password2 = forms.CharField(
        label=_("再次输入初始密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    programmes = forms.MultipleChoiceField(
        label=_("服务的质量奖"), required=False, widget=forms.CheckboxSelectMultiple
    )
    qualifications = forms.CharField(
        label=_("资质"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    industries = forms.CharField(
        label=_("擅长行业"), required=False, max_length=255, help_text=_("多个行业用逗号分隔")
    )
    employer = forms.CharField(label=_("工作单位"), required=False, max_length=200)
    term_starts_on = forms.DateField(label=_("聘期开始"), required=False, widget=DateInput)
    term_ends_on = forms.DateField(label=_("聘期结束"), required=False, widget=DateInput)

    def __init__(self, *args, programmes, all_programmes: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["programmes"]
        field.choices = [(p.code, p.name) for p in programmes]
        # An office serving every programme may leave it empty: the expert serves all too.
        field.required = not all_programmes
        field.error_messages["required"] = _("请选择该专家服务的质量奖。")
        if all_programmes:
            field.help_text = _("不选则服务全部质量奖。")

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        starts, ends = data.get("term_starts_on"), data.get("term_ends_on")
        if starts and ends and ends < starts:
            self.add_error("term_ends_on", _("聘期结束不能早于聘期开始。"))
        return data


class ExpertStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=ExpertStatus.choices)
    reason = forms.CharField(label=_("理由"), required=False, max_length=2000)


class ConflictDecisionForm(forms.Form):
    withdraw_scores = forms.TypedChoiceField(
        label=_("已提交的评分"),
        choices=(("1", _("不再计入（另派专家）")), ("0", _("继续计入"))),
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("决定理由"), max_length=2000, widget=forms.Textarea)


class ConflictForm(forms.Form):
    """The organisation is named by its USCC: a list of every organisation in each expert's
    form grew with the deployment (issue 12: the expert pool rendered experts × organisations
    options, 23.6 s at province scale)."""

    organisation = forms.CharField(
        label=_("组织统一社会信用代码"),
        min_length=18,
        max_length=18,
        help_text=_("回避的组织的18位统一社会信用代码"),
    )
    reason = forms.CharField(label=_("回避理由"), max_length=2000)

    def clean_organisation(self) -> Organisation:
        code = self.cleaned_data["organisation"].strip().upper()
        found = Organisation.objects.filter(uscc=code).first()
        if found is None:
            raise forms.ValidationError(
                _("没有统一社会信用代码为“%(code)s”的组织。"), params={"code": code}
            )
        return found


def expert_forms(expert) -> dict:
    """The office's forms on one expert's page: the profile, the status, a new conflict."""
    profile = getattr(expert, "expert_profile", None)
    fields = ("qualifications", "industries", "employer", "term_starts_on", "term_ends_on")
    initial = {f: getattr(profile, f) for f in fields} if profile else {}
    return {
        "status_form": ExpertStatusForm(
            auto_id="id_status_%s", initial={"status": getattr(profile, "status", "active")}
        ),
        "profile_form": ExpertProfileForm(auto_id="id_profile_%s", initial=initial),
        "conflict_form": ConflictForm(auto_id="id_conflict_%s"),
    }


def conflict_decision_form(conflict) -> ConflictDecisionForm:
    """The decision on one pending conflict, with ids of its own (an expert may have several)."""
    return ConflictDecisionForm(auto_id=f"id_c{conflict.pk}_%s")


def add_expert_form(user, data=None) -> AddExpertForm:
    """The office's form for a new expert, offering the programmes the office serves."""
    programmes = Programme.objects.filter(user.served_programme_filter("pk")).order_by("name")
    return AddExpertForm(
        data, programmes=programmes, all_programmes=user.all_programmes, prefix="new"
    )
