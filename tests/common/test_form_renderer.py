"""The form renderer writes the common widgets in Python: the very HTML of Django's templates,
widget by widget (values to escape, safe values, numbers, dates, lazy labels, optgroups,
boolean attributes), and the templates themselves where it does not know a widget."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from common.form_renderer import FormRenderer
from common.forms import DateInput

pytestmark = pytest.mark.unit

CHOICES = [
    ("", "---------"),
    ("a", _("申报单位")),
    (3, 'x <"&">'),
    (_("分组"), [("g1", "一"), ("g2", mark_safe("<b>二</b>"))]),
]


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="x")
    optional = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": "<p>"}))
    number = forms.DecimalField(decimal_places=2, widget=forms.NumberInput(attrs={"step": "0.01"}))
    integer = forms.IntegerField(min_value=0)
    email = forms.EmailField()
    day = forms.DateField(widget=DateInput())
    moment = forms.DateTimeField()
    flag = forms.BooleanField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput())
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "disabled": True}))
    choice = forms.ChoiceField(choices=CHOICES)
    several = forms.MultipleChoiceField(choices=CHOICES, required=False)
    maybe = forms.NullBooleanField()
    radio = forms.ChoiceField(choices=CHOICES[1:3], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        choices=CHOICES[1:3], widget=forms.CheckboxSelectMultiple, required=False
    )
    upload = forms.FileField(required=False)


VALUES = {
    "text": 'a "quoted" <tag> & more',
    "optional": mark_safe("<i>safe</i>"),
    "number": Decimal("1234.50"),
    "integer": 7,
    "email": "a@b.cn",
    "day": dt.date(2026, 12, 3),
    "moment": dt.datetime(2026, 12, 3, 9, 30),
    "flag": True,
    "hidden": "h&",
    "secret": "p<",
    "body": "line 1\n<line 2>",
    "choice": "g2",
    "several": ["a", "3"],
    "maybe": "true",
    "radio": "a",
    "boxes": ["3"],
}


def both(form_class, **kwargs) -> tuple[str, str]:
    """The form rendered by Django's renderer and by ours."""
    return tuple(
        str(form_class(renderer=renderer, **kwargs))
        for renderer in (DjangoTemplates(), FormRenderer())
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"initial": VALUES},
        {"data": VALUES},
        {"data": {}},
        {"data": {f"p-{k}": v for k, v in VALUES.items()}, "prefix": "p", "auto_id": "f_%s"},
    ],
    ids=["empty", "initial", "bound", "invalid", "prefixed"],
)
def test_every_widget_renders_as_django_renders_it(language, kwargs):
    with override(language):
        django, ours = both(Everything, **kwargs)
    assert ours == django
    assert "<select" in ours and "<textarea" in ours and "<option" in ours
    if kwargs.get("data") or kwargs.get("initial"):
        assert 'value="a &quot;quoted&quot; &lt;tag&gt; &amp; more"' in ours


def test_the_portal_renders_forms_with_it():
    assert isinstance(get_default_renderer(), FormRenderer)
    assert FormRenderer()._writers(), "Django's widget templates changed: update the transcription"


def test_a_widget_template_it_does_not_know_renders_through_its_template(monkeypatch):
    renderer = FormRenderer()
    monkeypatch.setattr(FormRenderer, "_source", lambda self, name: "changed")
    renderer._writers.cache_clear()
    try:
        assert renderer._writers() == {}
        assert str(Everything(renderer=renderer)) == str(Everything(renderer=DjangoTemplates()))
    finally:
        renderer._writers.cache_clear()


class WithHelp(Everything):
    noted = forms.CharField(required=False, help_text=_("见<a href='/x'>说明</a>"), label=_("备注"))

    def clean(self):
        raise forms.ValidationError(["整张表的错误 <1>", "第二条"])


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "make",
    [
        lambda: Everything(),
        lambda: Everything(initial=VALUES),
        lambda: Everything(data=VALUES),
        lambda: Everything(data={}),
        lambda: WithHelp(data=VALUES),
        lambda: WithHelp(),
    ],
    ids=["empty", "initial", "bound", "invalid", "non-field-errors", "help"],
)
def test_the_form_fields_tag_renders_as_the_form_include(language, make):
    from django.template import engines

    engine = engines["django"]
    include = engine.from_string('{% include "includes/form.html" with form=form %}')
    tag = engine.from_string("{% load form_tags %}{% form_fields form %}")
    with override(language):
        form = make()
        expected = include.render({"form": form})
        assert tag.render({"form": form}) == expected
    assert 'class="field' in expected
