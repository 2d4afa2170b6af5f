"""An application list row loads what the list shows, not the form (issue 12): the office's
list page and the list API read ``applications.selectors.LIST_COLUMNS``, in a number of
queries that does not grow with the rows."""

from __future__ import annotations

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.selectors import application_rows, applications_for
from tests.factories import ApplicationFactory, OrganisationFactory
from tests.queries import assert_get_queries

FORM_FIELDS = {"summary", "indicators", "management_systems", "innovation", "brand"}


def _submitted(cycle, creator):
    now = timezone.now()
    return ApplicationFactory(
        cycle=cycle,
        organisation=OrganisationFactory(),
        created_by=creator,
        status=S.SUBMITTED,
        submitted_at=now,
        last_submitted_at=now,
    )


def test_list_rows_defer_the_form(open_cycle, office):
    _submitted(open_cycle, office)
    row = application_rows(applications_for(office)).get()
    assert row.get_deferred_fields() >= FORM_FIELDS
    assert "self_evaluation" in row.get_deferred_fields()
    assert {"name"} == {f.attname for f in row.organisation._meta.concrete_fields} - set(
        row.organisation.get_deferred_fields()
    ) - {"id"}


@pytest.mark.parametrize("item_count", (1, 3))
def test_list_api_query_count_is_constant(client, open_cycle, office, item_count):
    apps = [_submitted(open_cycle, office) for _ in range(item_count)]
    client.force_login(office)
    response = assert_get_queries(7, client, "/api/v1/applications/")
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [a.pk for a in reversed(apps)]
    assert rows[0]["organisation_name"] == apps[-1].organisation.name
    assert rows[0]["year"] == open_cycle.year
    assert rows[0]["programme"] == open_cycle.programme_id
