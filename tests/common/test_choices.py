"""``get_FOO_display`` reads the field's choices once (common.choices, issue 12)."""

from functools import partialmethod

import pytest
from django.db.models import Model
from django.utils import translation

from applications.enums import ApplicationStatus
from applications.models import Application
from organisations.models import Organisation


def _django_display(instance: Model, name: str) -> str:
    return Model._get_FIELD_display(instance, instance._meta.get_field(name))


def test_the_models_displays_are_the_cached_ones():
    assert not isinstance(Application.__dict__["get_status_display"], partialmethod)
    assert not isinstance(Organisation.__dict__["get_kind_display"], partialmethod)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_same_label_as_django_in_the_active_language(language):
    with translation.override(language):
        for status in ApplicationStatus.values:
            app = Application(status=status)
            assert app.get_status_display() == _django_display(app, "status")
        assert Application(status="draft").get_status_display() == str(
            ApplicationStatus.DRAFT.label
        )


def test_a_value_outside_the_choices_shows_as_itself():
    app = Application(status="no-such-state")
    assert app.get_status_display() == "no-such-state" == _django_display(app, "status")


def test_a_label_costs_a_few_calls_not_the_whole_choices(monkeypatch):
    """Django's rebuilt the dictionary (hashing each lazy label) at every call."""
    from django.db.models.fields import Field

    app = Application(status="draft")
    app.get_status_display()  # built once
    reads = []
    original = Field.flatchoices
    monkeypatch.setattr(
        Field, "flatchoices", property(lambda f: reads.append(f) or original.fget(f))
    )
    for _ in range(3):
        app.get_status_display()
    assert reads == []
