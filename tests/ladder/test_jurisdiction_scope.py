"""Staff scoped to a node (issue 13 §1): a city or league office reads the programmes of the
counties under it, read-only, and writes only in its own; a county office reads nothing above
or beside it."""

import pytest
import rules
from django.utils import timezone

from applications.enums import ApplicationStatus as S
from common.models import AuditEntry
from tests.factories import ApplicationFactory, OrganisationFactory
from tests.ladder.conftest import login_api

pytestmark = pytest.mark.django_db


def submitted_in(cycle):
    return ApplicationFactory(
        cycle=cycle,
        organisation=OrganisationFactory(),
        status=S.RECOMMENDED,
        submitted_at=timezone.now(),
    )


def test_the_city_office_reads_its_counties_programmes_R3(ladder):
    city = ladder.city_office
    assert city.reads(ladder.county.pk) and city.reads(ladder.other.pk)
    assert not city.serves(ladder.county.pk)
    county = ladder.county_office
    assert county.reads(ladder.county.pk)
    assert not county.reads(ladder.city.pk) and not county.reads(ladder.other.pk)


def test_reading_below_is_read_only_through_the_api(ladder):
    app = submitted_in(ladder.county_cycle)
    api = login_api(ladder.city_office)
    assert api.get(f"/api/v1/applications/{app.pk}/").status_code == 200
    assert api.get(f"/api/v1/cycles/{ladder.county_cycle.pk}/").status_code == 200
    listed = api.get("/api/v1/applications/").json()
    ids = {row["id"] for row in listed.get("results", listed)}
    assert app.pk in ids
    before = AuditEntry.objects.count()
    decided = api.post(
        f"/api/v1/applications/{app.pk}/eligibility/",
        {"decision": "accept", "reasons": "符合条件"},
        format="json",
    )
    assert decided.status_code == 403
    app.refresh_from_db()
    assert app.status == S.RECOMMENDED and AuditEntry.objects.count() == before


def test_the_permissions_say_read_yes_write_no(ladder):
    app = submitted_in(ladder.county_cycle)
    city = ladder.city_office
    assert rules.has_perm("applications.view_application", city, app)
    assert rules.has_perm("review.view_dashboard", city, ladder.county_cycle)
    assert not rules.has_perm("applications.decide_eligibility", city, app)
    assert not rules.has_perm("review.manage_review", city, ladder.county_cycle)
    assert not rules.has_perm("awards.run_publicity", city, ladder.county_cycle)
    assert not rules.has_perm("programmes.create_cycle", city, ladder.county)


def test_a_county_office_does_not_read_the_city_or_a_neighbour(ladder):
    city_app = submitted_in(ladder.city_cycle)
    api = login_api(ladder.county_office)
    assert api.get(f"/api/v1/applications/{city_app.pk}/").status_code == 404
    assert api.get(f"/api/v1/cycles/{ladder.city_cycle.pk}/").status_code == 404
    neighbour = login_api(ladder.other_office)
    county_app = submitted_in(ladder.county_cycle)
    assert neighbour.get(f"/api/v1/applications/{county_app.pk}/").status_code == 404


def test_the_city_office_opens_a_county_review_page_but_cannot_post_to_it(client, ladder):
    client.force_login(ladder.city_office)
    cycle = ladder.county_cycle
    assert client.get(f"/review/cycles/{cycle.pk}/").status_code == 200
    assert client.post(f"/review/cycles/{cycle.pk}/auto-assign/document/").status_code == 403
