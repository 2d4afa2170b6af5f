"""Programmes and cycles: settings defaults (RULES.md), R5 one cycle a year, the API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.exceptions import ApplicationError
from common.models import AuditEntry
from programmes.enums import CycleStatus
from programmes.models import Cycle, Programme
from programmes.services import close_unheld_cycles, create_cycle
from tests.conftest import login_api
from tests.factories import CycleFactory, ProgrammeFactory, staff_user

pytestmark = pytest.mark.unit


def test_programme_defaults_are_those_of_rules_md(programme):
    assert (programme.quota, programme.validity_years, programme.min_operating_years) == (3, 3, 3)
    assert (programme.lookback_years, programme.watch_years, programme.ban_years) == (2, 2, 3)
    assert programme.fraud_ban_years == 0  # R20 names no ban (RULES.md)
    assert programme.required_credit_grade == "A"
    assert programme.reward_amount == Decimal("100000.00")
    assert programme.publicity_days == 7
    assert (programme.document_experts, programme.onsite_group_size) == (3, 5)
    assert (programme.weight_document, programme.weight_onsite, programme.weight_satisfaction) == (
        30,
        60,
        10,
    )
    assert programme.min_composite_score == Decimal("600")
    assert programme.criteria_set.code == "GB/T 19580-2012"


def test_programme_weights_must_sum_to_100(programme):
    programme.weight_satisfaction = 20
    with pytest.raises(ValidationError, match="100%"):
        programme.full_clean()


def test_cycle_R5_second_cycle_in_a_year_is_refused(programme, office):
    create_cycle(
        programme=programme,
        year=2027,
        submission_deadline=dt.date(2027, 5, 31),
        recommendation_deadline=dt.date(2027, 6, 30),
        actor=office,
    )
    with pytest.raises(ApplicationError) as excinfo:
        create_cycle(
            programme=programme,
            year=2027,
            submission_deadline=dt.date(2027, 8, 31),
            recommendation_deadline=dt.date(2027, 9, 30),
            actor=office,
        )
    assert excinfo.value.rule == "R5"
    assert Cycle.objects.filter(programme=programme, year=2027).count() == 1


def test_cycle_R5_another_programme_may_hold_the_same_year(programme, office):
    other = ProgrammeFactory(code="city", name="鄂尔多斯市市长质量奖")
    for p in (programme, other):
        create_cycle(
            programme=p,
            year=2027,
            submission_deadline=dt.date(2027, 5, 31),
            recommendation_deadline=dt.date(2027, 6, 30),
            actor=office,
        )
    assert Cycle.objects.filter(year=2027).count() == 2


def test_cycle_R5_records_the_criteria_edition(programme, office):
    cycle = create_cycle(
        programme=programme,
        year=2027,
        submission_deadline=dt.date(2027, 5, 31),
        recommendation_deadline=dt.date(2027, 6, 30),
        actor=office,
    )
    assert cycle.criteria_set.edition == 2012
    entry = AuditEntry.objects.for_object(cycle).get()
    assert entry.action == "cycle.created"
    assert entry.actor == office


def test_cycle_R5_without_submissions_closes_as_not_held(cycle):
    assert close_unheld_cycles(today=cycle.submission_deadline) == []
    closed = close_unheld_cycles(today=cycle.submission_deadline + dt.timedelta(days=1))
    assert closed == [cycle]
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.NOT_HELD
    # Idempotent: the second run changes nothing.
    assert close_unheld_cycles(today=cycle.submission_deadline + dt.timedelta(days=2)) == []
    assert AuditEntry.objects.filter(action="cycle.not_held").count() == 1


# --- API ---------------------------------------------------------------------------------


def test_api_office_creates_programme_with_defaults(office):
    response = login_api(office).post(
        "/api/v1/programmes/",
        {
            "code": "etkqq2",
            "name": "鄂托克旗旗长质量奖",
            "region": "150624",  # 鄂托克旗
            "quota": 2,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["quota"] == 2
    assert body["validity_years"] == 3
    assert body["reward_amount"] == "100000.00"
    assert body["government_name"] == "鄂托克旗人民政府"
    office.refresh_roles()
    assert office.serves(body["id"])


@pytest.mark.parametrize("role", ["committee", "recommender", "expert", "supervisor", "government"])
def test_api_other_roles_cannot_create_programmes(programme, role):
    user = staff_user(role, programme=programme)
    response = login_api(user).post(
        "/api/v1/programmes/", {"code": "x", "name": "x", "region": "150624"}, format="json"
    )
    assert response.status_code == 403


def test_api_enterprise_and_anonymous_cannot_create_programmes(api, enterprise_user):
    assert api.post("/api/v1/programmes/", {}, format="json").status_code == 401
    response = login_api(enterprise_user).post("/api/v1/programmes/", {}, format="json")
    assert response.status_code == 403


def test_api_programme_bad_weights_and_taken_code(office, programme):
    client = login_api(office)
    response = client.post(
        "/api/v1/programmes/",
        {"code": "p2", "name": "n", "region": "150624", "weight_document": 50},
        format="json",
    )
    assert response.status_code == 400
    assert "weight_satisfaction" in response.json()
    response = client.post(
        "/api/v1/programmes/",
        {"code": programme.code, "name": "n", "region": "150624"},
        format="json",
    )
    assert response.status_code == 400
    assert "code" in response.json()


def test_api_cycle_create_and_R5_duplicate(office, programme):
    client = login_api(office)
    body = {
        "programme": programme.pk,
        "year": 2027,
        "submission_deadline": "2027-05-31",
        "recommendation_deadline": "2027-06-30",
    }
    response = client.post("/api/v1/cycles/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["phase"] in {"not_open", "submission", "eligibility"}
    assert response.json()["criteria_set"] == "GB/T 19580-2012"
    response = client.post("/api/v1/cycles/", body, format="json")
    assert response.status_code == 400
    assert response.json()["rule"] == "R5"


@pytest.mark.parametrize(
    "body",
    [
        {
            "programme": 999999,
            "year": 2027,
            "submission_deadline": "2027-05-31",
            "recommendation_deadline": "2027-06-30",
        },
        {"programme": "x", "year": "twenty", "submission_deadline": "31/05/2027"},
        {
            "year": 2027,
            "submission_deadline": "2027-06-30",
            "recommendation_deadline": "2027-05-31",
        },
    ],
)
def test_api_cycle_bad_input_is_400(office, programme, body):
    body = {"programme": programme.pk, **body} if "programme" not in body else body
    response = login_api(office).post("/api/v1/cycles/", body, format="json")
    assert response.status_code == 400


def test_api_cycle_office_of_another_programme_is_refused(programme):
    other = ProgrammeFactory(code="city")
    office = staff_user("office", programme=other)
    response = login_api(office).post(
        "/api/v1/cycles/",
        {
            "programme": programme.pk,
            "year": 2027,
            "submission_deadline": "2027-05-31",
            "recommendation_deadline": "2027-06-30",
        },
        format="json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "role", ["office", "committee", "recommender", "expert", "supervisor", "government"]
)
def test_api_cycle_detail_staff_of_the_programme_read_it(cycle, role):
    user = staff_user(role, programme=cycle.programme)
    response = login_api(user).get(f"/api/v1/cycles/{cycle.pk}/")
    assert response.status_code == 200
    assert response.json()["counts"] == {}
    assert response.json()["year"] == 2026


def test_api_cycle_detail_hidden_from_other_programmes_and_enterprises(cycle, enterprise_user):
    other = staff_user("office", programme=ProgrammeFactory(code="city"))
    assert login_api(other).get(f"/api/v1/cycles/{cycle.pk}/").status_code == 404
    assert login_api(enterprise_user).get(f"/api/v1/cycles/{cycle.pk}/").status_code == 403
    assert login_api(other).get("/api/v1/cycles/999999/").status_code == 404


def test_cycle_phase_follows_the_calendar(cycle):
    assert cycle.date_phase(dt.date(2026, 2, 1)) == "not_open"
    assert cycle.date_phase(dt.date(2026, 5, 31)) == "submission"
    assert cycle.date_phase(dt.date(2026, 6, 1)) == "recommendation"
    assert cycle.date_phase(dt.date(2026, 7, 1)) == "eligibility"


def test_programme_admin_edit_is_audited(client, programme):
    admin = staff_user("office", programme=programme, is_superuser=True)
    client.force_login(admin)
    response = client.get(f"/admin/programmes/programme/{programme.pk}/change/")
    assert response.status_code == 200
    data = {
        f: getattr(programme, f)
        for f in (
            "code",
            "name",
            "region",
            "level",
            "government_name",
            "office_name",
            "quota",
            "validity_years",
            "min_operating_years",
            "lookback_years",
            "required_credit_grade",
            "watch_years",
            "ban_years",
            "fraud_ban_years",
            "reward_amount",
            "publicity_days",
            "document_experts",
            "onsite_group_size",
            "weight_document",
            "weight_onsite",
            "weight_satisfaction",
            "min_composite_score",
            "dispersion_threshold",
            "evidence_total_mb",
            "correction_days",
        )
    }
    data.update(criteria_set=programme.criteria_set_id, is_active="on", quota=2)
    data["initial-criteria_set"] = programme.criteria_set_id  # callable default: hidden initial
    response = client.post(f"/admin/programmes/programme/{programme.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Programme.objects.get(pk=programme.pk).quota == 2
    entry = AuditEntry.objects.for_object(programme).get(action="programme.changed_in_admin")
    assert entry.data == {"quota": "2"}


def test_cycle_factory_has_no_side_effects(db):
    CycleFactory()
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quota", 0),
        ("quota", 11),
        ("validity_years", 0),
        ("lookback_years", 0),
        ("watch_years", 0),
        ("ban_years", 0),
        ("min_operating_years", 0),
        ("publicity_days", 0),
        ("fraud_ban_years", 11),
    ],
)
def test_settings_have_sane_bounds(office, field, value):
    """Issue 9 §5: quota 1-10, windows and bans of at least one year where they are set."""
    response = login_api(office).post(
        "/api/v1/programmes/",
        {"code": "bounds", "name": "n", "region": "150624", field: value},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()


def test_a_running_cycle_keeps_the_rules_it_opened_with(programme, cycle):
    """Issue 9 §5: later edits to the programme apply to later cycles only."""
    programme.quota, programme.publicity_days = 1, 10
    programme.save()
    cycle = type(cycle).objects.get(pk=cycle.pk)
    assert (cycle.settings.quota, cycle.settings.publicity_days) == (3, 7)
    later = CycleFactory(programme=programme, year=cycle.year + 1)
    assert (later.settings.quota, later.settings.publicity_days) == (1, 10)
