"""Words people read (issue 11): no category name cut short on the radar, no stock wording for
a length limit on the objection form."""

from decimal import Decimal

from awards.forms import ObjectionForm
from review.ranking import radar_points
from tests.factories import default_criteria_set


def test_the_radar_labels_carry_the_whole_category_name(db):
    categories = list(default_criteria_set().categories.order_by("order"))
    radar = radar_points({c.code: Decimal(c.points) / 2 for c in categories}, categories)
    labels = {"".join(a["lines"]) for a in radar["axes"]}
    assert "顾客与市场" in labels  # was cut to "顾客与市"
    assert all(len(line) <= 4 for a in radar["axes"] for line in a["lines"])
    assert {a["share"] for a in radar["axes"]} == {50}


def test_an_objection_too_long_says_so_in_its_own_words_and_keeps_the_text():
    text = "事" * 5001
    form = ObjectionForm({"text": text, "name": "张三", "phone": "13800000000"})
    assert not form.is_valid()
    assert form.errors["text"] == ["异议内容不能超过5000字（现为5001字），请精简后再提交。"]
    assert form["text"].value() == text
    assert 'maxlength="5000"' in str(form["text"]) and "data-counter" in str(form["text"])


def test_an_objection_too_short_asks_for_facts():
    form = ObjectionForm({"text": "不行", "name": "张三", "phone": "13800000000"})
    assert form.errors["text"] == ["异议内容至少10字（现为2字），请写明事实和依据。"]


def test_length_limits_everywhere_are_said_in_the_portals_words():
    """Django's stock "确保该变量包含不超过 …" is replaced (locale/zh_Hans)."""
    import pytest
    from django import forms
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(forms.ValidationError) as too_long:
        forms.CharField(max_length=3).clean("四个汉字")
    assert too_long.value.messages == ["最多3个字，现为4个字，请精简。"]
    with translation.override("zh-hans"), pytest.raises(forms.ValidationError) as too_short:
        forms.CharField(min_length=3).clean("短")
    assert too_short.value.messages == ["至少需要3个字，现为1个字。"]
