"""The office's list of awards reads a row's columns only, in a fixed number of queries
(issue 12)."""

from __future__ import annotations

import pytest

from tests.factories import AwardFactory, OrganisationFactory
from tests.queries import assert_get_queries


@pytest.mark.parametrize("item_count", (1, 3))
def test_office_award_list_costs_a_fixed_number_of_queries(client, office, programme, item_count):
    awards = [
        AwardFactory(programme=programme, organisation=OrganisationFactory())
        for _ in range(item_count)
    ]
    client.force_login(office)
    page = assert_get_queries(9, client, "/awards/office/").content.decode()
    for award in awards:
        assert f'href="/awards/{award.pk}/"' in page
        assert award.organisation.name in page
        assert award.valid_until.isoformat() in page
    assert programme.name in page


def test_office_award_list_rows_load_only_their_columns(client, office, programme):
    AwardFactory(programme=programme, organisation=OrganisationFactory())
    client.force_login(office)
    row = client.get("/awards/office/").context["awards"][0]
    assert {"announced_on", "cycle_id", "application_id"} <= row.get_deferred_fields()
    assert "uscc" in row.organisation.get_deferred_fields()
