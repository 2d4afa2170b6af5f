"""The office's organisation list counts each organisation's incidents in a subquery
(issue 12): the counts of the grouped join it replaces, in name order, with the search."""

import pytest

from organisations.selectors import organisations_with_incident_counts
from tests.factories import IncidentFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_incident_counts_in_name_order_and_searchable():
    b = OrganisationFactory(name="乙企业")
    a = OrganisationFactory(name="甲企业")
    c = OrganisationFactory(name="丙公司")
    for _ in range(2):
        IncidentFactory(organisation=b)
    IncidentFactory(organisation=c)

    rows = list(organisations_with_incident_counts())
    assert [o.name for o in rows] == sorted(o.name for o in (a, b, c))
    assert {o.name: o.incident_count for o in rows} == {"乙企业": 2, "甲企业": 0, "丙公司": 1}
    assert organisations_with_incident_counts().count() == 3
    found = organisations_with_incident_counts("企业")
    assert {o.name: o.incident_count for o in found} == {"乙企业": 2, "甲企业": 0}
    assert [o.pk for o in organisations_with_incident_counts(c.uscc.lower())] == [c.pk]
