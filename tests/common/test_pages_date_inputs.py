"""Every date input round-trips (issue 11): a browser date field reads only ISO dates, so a form
that renders a saved date must send ``value="YYYY-MM-DD"``, whatever the language."""

import datetime as dt
import importlib
import inspect
import re

import pytest
from django import forms
from django.apps import apps
from django.test import Client
from django.utils import translation

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.unit

SAVED = dt.date(2018, 3, 15)


def project_forms():
    """Every form class defined in a ``forms`` module of the project's apps."""
    found = []
    for config in apps.get_app_configs():
        if config.module.__name__.startswith("django") or "site-packages" in config.path:
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def date_fields():
    return [
        (cls, name, field)
        for cls in project_forms()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField)
    ]


def test_the_project_has_date_fields_to_check():
    # The walk finds the forms the issue named: organisation, on-site visit, publicity.
    names = {(cls.__name__, name) for cls, name, _field in date_fields()}
    assert len(names) >= 10
    assert {"registered_on", "scheduled_on", "starts_on"} <= {name for _c, name in names}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_field_of_every_form_renders_its_value_as_iso(language):
    with translation.override(language):
        for cls, name, field in date_fields():
            html = field.widget.render(name, SAVED)
            assert 'type="date"' in html, (cls.__name__, name, html)
            assert 'value="2018-03-15"' in html, (cls.__name__, name, html)


def test_a_typed_iso_date_is_accepted_by_every_date_field():
    with translation.override("zh-hans"):
        for cls, name, field in date_fields():
            assert field.clean("2018-03-15") == SAVED, (cls.__name__, name)


@pytest.mark.django_db
def test_the_offices_organisation_page_shows_the_saved_registration_date(office):
    org = OrganisationFactory(name="绿原乳业有限公司", registered_on=SAVED)
    client = Client()
    client.force_login(office)
    html = client.get(f"/organisations/{org.pk}/").content.decode()
    dates = re.findall(r'<input type="date"[^>]*>', html)
    assert dates, "the office edits the registration date on this page"
    assert any('value="2018-03-15"' in tag for tag in dates)
    assert "2018/03/15" not in html
