"""{% fixed %} (common/templatetags/fixed.py, issue 12): a part every page and person share is
rendered once per language and served again; it sees nothing of the page but its ``by`` value."""

import pytest
from django.template import Context, Engine, TemplateSyntaxError
from django.test import override_settings
from django.utils import translation

ENGINE = Engine(
    libraries={"fixed": "common.templatetags.fixed", "i18n": "django.templatetags.i18n"}
)


def render(source: str, **values) -> str:
    return ENGINE.from_string("{% load fixed i18n %}" + source).render(Context(values))


class Counting:
    """A value whose every reading is counted."""

    def __init__(self):
        self.reads = 0

    def __str__(self):
        self.reads += 1
        return "read"


def test_a_fixed_part_is_rendered_once_per_language():
    template = ENGINE.from_string(
        '{% load fixed i18n %}{% fixed %}{% translate "公示" %}{% endfixed %}'
    )
    with translation.override("zh-hans"):
        assert template.render(Context()) == "公示"
    with translation.override("en"):
        assert template.render(Context()) == "Publicity"
    with translation.override("zh-hans"):
        assert template.render(Context()) == "公示"


def test_a_fixed_part_sees_no_variable_of_the_page():
    counting = Counting()
    with translation.override("zh-hans"):
        page = render(
            "[{% fixed %}{{ name }}{{ c }}{{ LANGUAGE_CODE }}{% endfixed %}]",
            name="王五",
            c=counting,
        )
    assert page == "[zh-hans]"
    assert counting.reads == 0


def test_fixed_by_a_value_renders_once_per_value_and_sees_only_it():
    template = ENGINE.from_string(
        "{% load fixed %}{% fixed by menu %}{{ menu }}{{ other }}{% endfixed %}"
    )
    assert template.render(Context({"menu": "a", "other": "x"})) == "a"
    assert template.render(Context({"menu": "b", "other": "y"})) == "b"
    assert template.render(Context({"menu": "a", "other": "z"})) == "a"


def test_a_fixed_part_is_rendered_once():
    counting = Counting()
    template = ENGINE.from_string("{% load fixed %}{% fixed by c %}{{ c }}{% endfixed %}")
    for _ in range(3):
        assert template.render(Context({"c": counting})) == "read"
    assert counting.reads == 1


def test_a_changed_setting_renders_the_part_again():
    template = ENGINE.from_string("{% load fixed %}{% fixed by c %}{{ c }}{% endfixed %}")
    counting = Counting()
    template.render(Context({"c": counting}))
    with override_settings(STATIC_URL="/elsewhere/"):
        template.render(Context({"c": counting}))
    assert counting.reads == 2


def test_a_block_may_not_sit_in_a_fixed_part():
    with pytest.raises(TemplateSyntaxError):
        render("{% fixed %}{% block title %}{% endblock %}{% endfixed %}")
    with pytest.raises(TemplateSyntaxError):
        render("{% fixed menu %}{% endfixed %}")
