"""Nomination up the ladder (issue 13 §2, API.md "The award ladder"): the county's winner is
nominated into the city's cycle, completes and submits, and the city's own rules review it."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.submission import submit_application
from awards.models import Award
from awards.services.publicity import announce_cycle, start_publicity
from awards.services.sanctions import approve_revocation, decide_case, open_case
from common.exceptions import ApplicationError
from common.models import AuditEntry
from ladder.models import Nomination
from ladder.services import set_ladder
from tests.applications.conftest import complete_form
from tests.clock import travel_to
from tests.factories import (
    CycleFactory,
    EnterpriseUserFactory,
    OrganisationFactory,
    make_uscc,
    staff_user,
)
from tests.queries import assert_get_queries
from tests.review.conftest import proposed_by_committee

from .conftest import awarded_application, login_api, nominate_api

pytestmark = pytest.mark.django_db


def _actions(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(obj.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_the_county_winner_is_nominated_submits_and_wins_the_city_award_R3_nomination(ladder):
    response = nominate_api(ladder)
    assert response.status_code == 201, response.data
    assert response.data["status"] == "draft"
    assert response.data["nominated_from"] == ladder.lower.pk
    upper = Application.objects.get(pk=response.data["id"])
    assert upper.cycle == ladder.city_cycle
    assert upper.organisation == ladder.lower.organisation
    # Pre-filled from the lower file: the form, and copies of the evidence.
    assert upper.summary == ladder.lower.summary
    assert upper.self_evaluation == ladder.lower.self_evaluation
    # The city's form asks for 2024 and 2025; the county's 2023 row stays behind.
    assert [r["year"] for r in upper.indicators] == [2024]
    [original] = ladder.lower.documents.all()
    copy, dossier = upper.documents.order_by("pk")
    assert copy.sha256 == original.sha256 and copy.file.name != original.file.name
    # The lower award's dossier travels as evidence the city's reviewers read.
    assert (dossier.kind, dossier.content_type) == ("other", "application/pdf")
    assert dossier.original_name == "etkqq-2025-dossier.pdf"
    with dossier.file.open("rb") as handle:
        text = "".join(p.extract_text() or "" for p in PdfReader(handle).pages)
    assert ladder.lower.organisation.name in text
    nomination = Nomination.objects.get(application=upper)
    assert nomination.reference["award"]["year"] == 2025
    assert "nomination.created" in _actions(upper)
    assert "application.nominated_up" in _actions(ladder.lower)

    # The enterprise completes and submits it as usual.
    enterprise = login_api(ladder.enterprise)
    indicators = complete_form(upper)["indicators"]
    patched = enterprise.patch(
        f"/api/v1/applications/{upper.pk}/", {"indicators": indicators}, format="json"
    )
    assert patched.status_code == 200, patched.data
    submitted = enterprise.post(f"/api/v1/applications/{upper.pk}/submit/")
    assert submitted.status_code == 200, submitted.data
    assert submitted.data["status"] == "submitted"

    # The city's recommenders and office: its own rules, R3.nomination among the checks.
    for user, level in ((ladder.city_industry, "industry"), (ladder.city_leading, "leading_group")):
        signed = login_api(user).post(
            f"/api/v1/applications/{upper.pk}/recommendations/",
            {"level": level, "decision": "recommend", "opinion": "同意推荐"},
            format="json",
        )
        assert signed.status_code == 201, signed.data
    travel_to(dt.date(2026, 11, 16))
    city = login_api(ladder.city_office)
    checks = city.get(f"/api/v1/applications/{upper.pk}/eligibility/").data["checks"]
    [check] = [c for c in checks if c["rule"] == "R3.nomination"]
    assert check["passed"], check
    accepted = city.post(
        f"/api/v1/applications/{upper.pk}/eligibility/",
        {"decision": "accept", "reasons": ""},
        format="json",
    )
    assert accepted.status_code == 200, accepted.data
    assert accepted.data["status"] == "accepted"

    # The lower office follows its nominee.
    listed = login_api(ladder.county_office).get(
        f"/api/v1/cycles/{ladder.city_cycle.pk}/nominations/"
    )
    assert listed.status_code == 200
    assert [(r["id"], r["status"]) for r in listed.data["results"]] == [(upper.pk, "accepted")]

    # The city's committee decides and its government announces: the city's award.
    proposed_by_committee(ladder.city_cycle, [upper], dt.date(2026, 12, 1))
    travel_to(dt.date(2026, 12, 2))
    start_publicity(
        cycle=ladder.city_cycle, starts_on=dt.date(2026, 12, 2), actor=ladder.city_office
    )
    travel_to(dt.date(2026, 12, 10))
    announce_cycle(cycle=ladder.city_cycle, actor=ladder.city_government)
    upper.refresh_from_db()
    assert upper.status == S.AWARDED
    assert Award.objects.filter(application=upper, programme=ladder.city).exists()
    listed = login_api(ladder.county_office).get(
        f"/api/v1/cycles/{ladder.city_cycle.pk}/nominations/"
    )
    assert listed.data["results"][0]["status"] == "awarded"


def test_the_eligibility_check_of_a_nominee_names_its_lower_award_R3_nomination(ladder):
    upper = Application.objects.get(pk=nominate_api(ladder).data["id"])
    checks = login_api(ladder.enterprise).get(f"/api/v1/applications/{upper.pk}/eligibility/")
    [check] = [c for c in checks.data["checks"] if c["rule"] == "R3.nomination"]
    assert check["passed"] and "2025年度鄂托克前旗旗长质量奖" in check["detail"]


def test_a_county_applicant_from_another_prefecture_is_refused_by_the_city_R3(ladder):
    org = OrganisationFactory(uscc=make_uscc("150102"), rating=True)  # 呼和浩特市新城区
    user = EnterpriseUserFactory(organisation=org)
    response = login_api(user).post(
        "/api/v1/applications/", {"cycle": ladder.city_cycle.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.data["rule"] == "R3"
    assert "鄂尔多斯市" in response.data["detail"]


def test_a_local_applicant_without_a_lower_award_is_refused_R3_nomination(ladder):
    org = OrganisationFactory(uscc=make_uscc("150602"), rating=True)  # 东胜区, in Ordos
    user = EnterpriseUserFactory(organisation=org)
    response = login_api(user).post(
        "/api/v1/applications/", {"cycle": ladder.city_cycle.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.data["rule"] == "R3.nomination"
    assert "鄂托克前旗旗长质量奖" in response.data["detail"]


def test_without_requires_lower_award_anyone_in_the_city_may_apply_R3_nomination(ladder):
    set_ladder(programme=ladder.city, actor=ladder.city_office, requires_lower_award=False)
    org = OrganisationFactory(uscc=make_uscc("150602"), rating=True)
    user = EnterpriseUserFactory(organisation=org)
    response = login_api(user).post(
        "/api/v1/applications/", {"cycle": ladder.city_cycle.pk}, format="json"
    )
    assert response.status_code == 201, response.data
    checks = login_api(user).get(f"/api/v1/applications/{response.data['id']}/eligibility/")
    assert "R3.nomination" not in {c["rule"] for c in checks.data["checks"]}


def test_nomination_after_the_upper_deadline_is_refused_with_the_date_R12_1(ladder):
    travel_to(dt.date(2026, 11, 1))
    response = nominate_api(ladder)
    assert response.status_code == 400
    assert response.data["rule"] == "R12.1"
    assert "2026-10-31" in response.data["detail"]
    assert not Nomination.objects.exists()


def test_the_deadline_day_itself_still_takes_a_nomination_R12_1(ladder):
    travel_to(dt.date(2026, 10, 31))
    assert nominate_api(ladder).status_code == 201


def test_a_second_nomination_of_the_same_winner_is_409_R3_nomination(ladder):
    assert nominate_api(ladder).status_code == 201
    again = nominate_api(ladder)
    assert again.status_code == 409
    assert Nomination.objects.count() == 1


def test_an_organisation_that_applied_itself_is_not_nominated_twice_R3_nomination(ladder):
    applied = login_api(ladder.enterprise).post(
        "/api/v1/applications/", {"cycle": ladder.city_cycle.pk}, format="json"
    )
    assert applied.status_code == 201, applied.data
    assert nominate_api(ladder).status_code == 409


@pytest.mark.parametrize("status", [S.ONSITE_REVIEW, S.CANDIDATE, S.NOT_PROPOSED])
def test_only_a_winner_is_nominated_by_default_R3_nomination(ladder, status):
    lower = awarded_application(ladder.county_cycle)
    Award.objects.filter(application=lower).delete()
    Application.objects.filter(pk=lower.pk).update(status=status)
    response = nominate_api(ladder, application=lower.pk)
    assert response.status_code == 400
    assert response.data["rule"] == "R3.nomination"
    assert "获奖" in response.data["detail"]


def test_a_candidate_is_nominated_where_the_upper_programme_accepts_candidates_R3_nomination(
    ladder,
):
    set_ladder(programme=ladder.city, actor=ladder.city_office, accepts_candidates=True)
    lower = awarded_application(ladder.county_cycle)
    Award.objects.filter(application=lower).delete()
    Application.objects.filter(pk=lower.pk).update(status=S.CANDIDATE)
    response = nominate_api(ladder, application=lower.pk)
    assert response.status_code == 201, response.data
    # Still not a lower status than candidate.
    other = awarded_application(ladder.county_cycle)
    Application.objects.filter(pk=other.pk).update(status=S.ONSITE_REVIEW)
    Award.objects.filter(application=other).delete()
    assert nominate_api(ladder, application=other.pk).status_code == 400


def test_a_revoked_lower_award_cannot_be_nominated_R3_nomination(ladder):
    Award.objects.filter(application=ladder.lower).update(status="revoked")
    response = nominate_api(ladder)
    assert response.status_code == 400
    assert response.data["rule"] == "R3.nomination"


def test_an_application_of_a_programme_not_named_in_nominated_from_is_refused_R3_nomination(
    ladder,
):
    other_cycle = CycleFactory(
        programme=ladder.other,
        year=2025,
        opens_on=None,
        submission_deadline=dt.date(2025, 5, 31),
        recommendation_deadline=dt.date(2025, 6, 30),
    )
    org = OrganisationFactory(uscc=make_uscc("150624"), rating=True)
    lower = awarded_application(other_cycle, org=org)
    response = nominate_api(ladder, ladder.other_office, application=lower.pk)
    # The other banner's office serves no source of the city: it does not see the cycle.
    assert response.status_code == 404
    both = staff_user("office", programme=ladder.other, username="both_office")
    both.memberships.create(programme=ladder.county)
    response = nominate_api(ladder, both, application=lower.pk)
    assert response.status_code == 400
    assert response.data["rule"] == "R3.nomination"


def _revoke(award: Award, ladder) -> None:
    case = open_case(
        award=award,
        trigger="fraud",
        occurred_on=dt.date(2025, 4, 1),
        description="申报材料弄虚作假",
        actor=ladder.county_office,
    )
    decide_case(case=case, sanction="revoke", reasons="查实弄虚作假", actor=ladder.county_office)
    approve_revocation(case=case, actor=ladder.county_office)


def test_a_revoked_lower_award_withdraws_its_open_nomination(ladder):
    upper = Application.objects.get(pk=nominate_api(ladder).data["id"])
    award = Award.objects.get(application=ladder.lower)
    _revoke(award, ladder)
    nomination = Nomination.objects.get(application=upper)
    upper.refresh_from_db()
    assert nomination.status == "withdrawn"
    assert "已撤销" in nomination.withdrawn_reason
    assert upper.status == S.WITHDRAWN
    assert "nomination.withdrawn" in _actions(upper)
    listed = login_api(ladder.county_office).get(
        f"/api/v1/cycles/{ladder.city_cycle.pk}/nominations/"
    )
    row = listed.data["results"][0]
    assert (row["status"], row["nomination_status"]) == ("withdrawn", "withdrawn")
    # The applicant reads the portal's sentence, not an "opinion" (issue 11).
    from notifications.models import Notification

    note = Notification.objects.filter(
        subject__contains="已撤回", recipient__organisation__isnull=False
    ).latest("pk")
    assert "已撤销" in note.body and "意见：" not in note.body


def test_a_revoked_lower_award_ends_an_accepted_nomination_as_ineligible(ladder):
    upper = Application.objects.get(pk=nominate_api(ladder).data["id"])
    Application.objects.filter(pk=upper.pk).update(status=S.ACCEPTED)
    _revoke(Award.objects.get(application=ladder.lower), ladder)
    upper.refresh_from_db()
    assert upper.status == S.INELIGIBLE
    assert Nomination.objects.get(application=upper).status == "withdrawn"


def test_the_revoked_award_also_fails_the_nominees_checks_at_its_gates_R3_nomination(ladder):
    upper = Application.objects.get(pk=nominate_api(ladder).data["id"])
    Award.objects.filter(application=ladder.lower).update(status="revoked")
    upper.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        submit_application(application=upper, actor=ladder.enterprise)
    assert refused.value.rule == "R3.nomination"


# --- who may ---------------------------------------------------------------------------


def test_nominating_per_role(ladder):
    url = f"/api/v1/cycles/{ladder.city_cycle.pk}/nominations/"
    body = {"application": ladder.lower.pk}
    assert APIClient().post(url, body, format="json").status_code == 401
    for user in (ladder.enterprise, ladder.expert):
        assert login_api(user).post(url, body, format="json").status_code == 403
    # The upper office sees the cycle but nominates from no lower programme.
    assert login_api(ladder.city_office).post(url, body, format="json").status_code == 403
    assert login_api(ladder.other_office).post(url, body, format="json").status_code == 404
    unknown = "/api/v1/cycles/999999/nominations/"
    assert login_api(ladder.county_office).post(unknown, body, format="json").status_code == 404
    assert not Nomination.objects.exists()
    assert login_api(ladder.county_office).post(url, body, format="json").status_code == 201


def test_listing_nominations_per_role(ladder):
    nominate_api(ladder)
    url = f"/api/v1/cycles/{ladder.city_cycle.pk}/nominations/"
    assert APIClient().get(url).status_code == 401
    for user in (ladder.enterprise, ladder.expert):
        assert login_api(user).get(url).status_code == 403
    assert login_api(ladder.other_office).get(url).status_code == 404
    assert login_api(ladder.city_office).get(url).data["count"] == 1
    assert login_api(ladder.county_office).get(url).data["count"] == 1
    supervisor = staff_user("supervisor", programme=ladder.county, username="county_sup")
    assert login_api(supervisor).get(url).data["count"] == 1


def test_a_lower_office_sees_only_its_own_nominees(ladder):
    nominate_api(ladder)
    # A second source, with its own winner nominated by its own office.
    set_ladder(
        programme=ladder.city,
        actor=ladder.city_office,
        nominated_from=[ladder.county, ladder.other],
    )
    other_cycle = CycleFactory(
        programme=ladder.other,
        year=2025,
        opens_on=None,
        submission_deadline=dt.date(2025, 5, 31),
        recommendation_deadline=dt.date(2025, 6, 30),
    )
    org = OrganisationFactory(uscc=make_uscc("150624"), rating=True)
    lower = awarded_application(other_cycle, org=org)
    assert nominate_api(ladder, ladder.other_office, application=lower.pk).status_code == 201
    url = f"/api/v1/cycles/{ladder.city_cycle.pk}/nominations/"
    county = login_api(ladder.county_office).get(url).data["results"]
    assert [r["nominated_from"] for r in county] == [ladder.lower.pk]
    assert login_api(ladder.city_office).get(url).data["count"] == 2


def test_bad_input_is_400_never_500(ladder):
    client = login_api(ladder.county_office)
    url = f"/api/v1/cycles/{ladder.city_cycle.pk}/nominations/"
    for body in ({}, {"application": "x"}, {"application": -1}, {"application": 10**12}, []):
        assert client.post(url, body, format="json").status_code == 400, body
    # Another programme's application is not told apart from a missing one.
    stranger = awarded_application(
        CycleFactory(
            programme=ladder.other,
            year=2024,
            opens_on=None,
            submission_deadline=dt.date(2024, 5, 31),
            recommendation_deadline=dt.date(2024, 6, 30),
        ),
        org=OrganisationFactory(uscc=make_uscc("150624"), rating=True),
    )
    response = client.post(url, {"application": stranger.pk}, format="json")
    assert response.status_code == 400 and "application" in response.data


def test_the_nominations_list_takes_a_constant_number_of_queries(ladder):
    url = f"/api/v1/cycles/{ladder.city_cycle.pk}/nominations/"
    client = login_api(ladder.city_office)
    nominate_api(ladder)
    assert assert_get_queries(3, client, url).data["count"] == 1
    for _ in range(3):
        org = OrganisationFactory(registered_on=dt.date(2012, 5, 1), industry="乳制品", rating=True)
        lower = awarded_application(ladder.county_cycle, org=org)
        assert nominate_api(ladder, application=lower.pk).status_code == 201
    assert assert_get_queries(3, client, url).data["count"] == 4
