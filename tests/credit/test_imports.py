"""The credit-data import (issue 14 item 3): grades under any scheme and the serious-dishonesty
list (R11.5), all rows or none, dry runs, idempotence, the bar to applying and the gates."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.eligibility import (
    check_credit_grade,
    ensure_still_eligible,
)
from common.exceptions import ApplicationError
from common.models import AuditEntry
from organisations.models import CreditRating, DishonestyListing
from organisations.uscc import check_character
from tests.conftest import login_api
from tests.factories import (
    DishonestyListingFactory,
    EnterpriseUserFactory,
    OrganisationFactory,
    make_uscc,
)
from tests.queries import exactly

URL = "/api/v1/credit/imports/"
PAGE = "/applications/credit-import/"
CONFIRM = "/applications/credit-import/confirm/"
SOURCE = "信用中国（鄂尔多斯）严重失信主体名单2026-05"


def dishonest(org, listed_on="2026-05-01", **extra):
    return {
        "uscc": org.uscc,
        "kind": "dishonest",
        "source": SOURCE,
        "effective_on": listed_on,
        **extra,
    }


def grade(org, value, scheme="A-D", on="2026-04-01", source="市场监督管理局"):
    return {
        "uscc": org.uscc,
        "kind": "grade",
        "grade": value,
        "scheme": scheme,
        "source": source,
        "effective_on": on,
    }


def csv_file(lines: list[str], name="credit.csv") -> SimpleUploadedFile:
    body = "uscc,kind,grade,scheme,source,effective_on,removed_on\n" + "\n".join(lines) + "\n"
    return SimpleUploadedFile(name, body.encode("utf-8"), content_type="text/csv")


def wrong_check_digit(uscc: str) -> str:
    good = check_character(uscc[:17])
    return uscc[:17] + ("1" if good != "1" else "2")


# --- the black list ends live applications (R11.5) --------------------------------------------


def test_a_black_list_import_ends_a_live_application_and_reimporting_changes_nothing_R11_5(
    office_api, live, organisation
):
    response = office_api.post(URL, {"rows": [dishonest(organisation)]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] == 1 and body["ended_applications"] == [live.pk]
    live.refresh_from_db()
    assert live.status == S.INELIGIBLE
    assert "R11.5" in live.decision_reasons and "严重失信" in live.decision_reasons
    ended = AuditEntry.objects.filter(action="application.transition", to_state=S.INELIGIBLE).last()
    assert ended is not None and ended.data["rule"] == "R11.5"
    listed = AuditEntry.objects.get(action="organisation.dishonesty_listed")
    assert listed.reason == SOURCE and listed.data["import_row"] == 1

    entries = AuditEntry.objects.count()
    again = office_api.post(URL, {"rows": [dishonest(organisation)]}, format="json")
    assert again.status_code == 201
    assert {k: again.json()[k] for k in ("created", "updated", "unchanged")} == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
    }
    assert again.json()["ended_applications"] == []
    assert DishonestyListing.objects.count() == 1
    assert AuditEntry.objects.count() == entries  # nothing changed, nothing recorded


def test_the_same_file_twice_changes_nothing_R11_5(office_api, organisation):
    lines = [
        f"{organisation.uscc},grade,AA,AAA-C,信用评级公司,2026-03-01,",
        f"{organisation.uscc},dishonest,,,{SOURCE},2025-01-01,2025-06-01",
    ]
    first = office_api.post(URL, {"file": csv_file(lines)}, format="multipart")
    assert first.status_code == 201 and first.json()["created"] == 2
    entries = AuditEntry.objects.count()
    second = office_api.post(URL, {"file": csv_file(lines)}, format="multipart")
    assert second.status_code == 201
    assert second.json()["unchanged"] == 2 and second.json()["created"] == 0
    assert AuditEntry.objects.count() == entries
    assert CreditRating.objects.filter(organisation=organisation, scheme="AAA-C").count() == 1


def test_a_listed_organisation_may_not_apply_until_removed_R11_5(office_api, applicant, open_cycle):
    office_api.post(
        URL,
        {"rows": [dishonest(applicant.organisation, removed_on="2026-05-20")]},
        format="json",
    )
    # The removal day is the first day off the list: on 2026-05-20 it may apply again.
    assert not applicant.organisation.dishonesty_listing_on(dt.date(2026, 5, 20))
    assert applicant.organisation.dishonesty_listing_on(dt.date(2026, 5, 19))
    DishonestyListing.objects.update(removed_on=None)
    response = login_api(applicant).post(
        "/api/v1/applications/", {"cycle": open_cycle.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["rule"] == "R11.5"
    assert "严重失信" in response.json()["detail"]
    assert not Application.objects.filter(organisation=applicant.organisation).exists()


def test_an_organisation_registering_after_its_listing_is_barred_R11_5(office_api, open_cycle):
    uscc = make_uscc()
    response = office_api.post(
        URL,
        {
            "rows": [
                {"uscc": uscc, "kind": "dishonest", "source": SOURCE, "effective_on": "2026-01-05"}
            ]
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["created"] == 1
    newcomer = EnterpriseUserFactory(organisation=OrganisationFactory(uscc=uscc))
    refused = login_api(newcomer).post(
        "/api/v1/applications/", {"cycle": open_cycle.pk}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["rule"] == "R11.5"


def test_every_gate_catches_a_listing_R11_5(live, organisation):
    DishonestyListingFactory(uscc=organisation.uscc, source=SOURCE, listed_on=dt.date(2026, 5, 10))
    with pytest.raises(ApplicationError) as excinfo:
        ensure_still_eligible([live], on=dt.date(2026, 5, 20), gate="进入候选")
    assert excinfo.value.rule == "R11.5"
    assert "严重失信" in excinfo.value.message
    # Before the listing, the same gate passes.
    ensure_still_eligible([live], on=dt.date(2026, 5, 9), gate="进入候选")


# --- grades under any scheme (R11.5) ----------------------------------------------------------


def test_grades_of_the_AAA_C_scheme_count_by_their_A_D_equivalent_R11_5(
    office_api, organisation, programme
):
    response = office_api.post(
        URL, {"rows": [grade(organisation, "AA", scheme="AAA-C")]}, format="json"
    )
    assert response.status_code == 201
    check = check_credit_grade(organisation, programme, dt.date(2026, 5, 20))
    assert check.passed and "AAA-C" in check.detail
    office_api.post(
        URL, {"rows": [grade(organisation, "BBB", scheme="AAA-C", on="2026-05-01")]}, format="json"
    )
    organisation.refresh_from_db()
    assert (organisation.credit_grade, organisation.credit_grade_scheme) == ("BBB", "AAA-C")
    assert not check_credit_grade(organisation, programme, dt.date(2026, 5, 20)).passed
    assert check_credit_grade(organisation, programme, dt.date(2026, 4, 30)).passed


def test_a_corrected_grade_with_the_same_key_updates_the_rating_and_is_audited_R11_5(
    office_api, organisation
):
    office_api.post(URL, {"rows": [grade(organisation, "A")]}, format="json")
    response = office_api.post(URL, {"rows": [grade(organisation, "B")]}, format="json")
    assert response.json()["updated"] == 1
    rating = CreditRating.objects.get(organisation=organisation, rated_on=dt.date(2026, 4, 1))
    assert rating.grade == "B"
    entry = AuditEntry.objects.get(action="organisation.credit_grade_corrected")
    assert (entry.from_state, entry.to_state, entry.reason) == ("A", "B", "市场监督管理局")


def test_grades_of_unregistered_organisations_are_skipped(office_api):
    response = office_api.post(
        URL,
        {"rows": [{**grade(OrganisationFactory.build(), "A"), "uscc": make_uscc()}]},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["skipped"] == 1 and not CreditRating.objects.exists()


# --- dry run ----------------------------------------------------------------------------------


def test_a_dry_run_saves_nothing_and_says_what_would_change_R11_5(office_api, live, organisation):
    entries = AuditEntry.objects.count()
    ratings = CreditRating.objects.count()
    response = office_api.post(
        URL,
        {"rows": [dishonest(organisation), grade(organisation, "B")], "dry_run": True},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True and body["created"] == 2
    assert body["ended_applications"] == [live.pk]
    assert [c["action"] for c in body["changes"]] == ["created", "created"]
    assert not DishonestyListing.objects.exists()
    assert CreditRating.objects.count() == ratings
    assert AuditEntry.objects.count() == entries
    live.refresh_from_db()
    assert live.status == S.DOCUMENT_REVIEW


def test_a_multipart_dry_run_saves_nothing(office_api, organisation):
    lines = [f"{organisation.uscc},dishonest,,,{SOURCE},2026-05-01,"]
    response = office_api.post(
        URL, {"file": csv_file(lines), "dry_run": "true"}, format="multipart"
    )
    assert response.status_code == 200 and response.json()["created"] == 1
    assert not DishonestyListing.objects.exists()


# --- bad input: the whole file refused, errors by row -----------------------------------------


def test_errors_by_row_refuse_the_whole_file(office_api, organisation):
    lines = [
        f"{organisation.uscc},grade,A,A-D,市场监督管理局,2026-04-01,",  # row 2: fine
        f"{organisation.uscc},grade,A,X-Y,市场监督管理局,2026-04-02,",  # row 3: unknown scheme
        f"{organisation.uscc},dishonest,,,{SOURCE},2026-06-01,",  # row 4: in the future
        f"{wrong_check_digit(organisation.uscc)},dishonest,,,{SOURCE},2026-05-01,",  # row 5
        f"{organisation.uscc},grade,E,A-D,市场监督管理局,2026-04-03,",  # row 6: no such grade
        f"{organisation.uscc},grade,A,A-D,市场监督管理局,2026-04-01,",  # row 7: repeats row 2
        f"{organisation.uscc},dishonest,,,{SOURCE},2026-05-01,2026-04-01",  # row 8: removed first
        f"{organisation.uscc},rumour,,,{SOURCE},2026-05-01,",  # row 9: no such kind
    ]
    ratings = CreditRating.objects.count()
    response = office_api.post(URL, {"file": csv_file(lines)}, format="multipart")
    assert response.status_code == 400
    errors = {e["row"]: e["detail"] for e in response.json()["errors"]}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9]
    assert "X-Y" in errors[3]
    assert "晚于今天" in errors[4]
    assert "校验位" in errors[5]
    assert "与第2行重复" in errors[7]
    assert CreditRating.objects.count() == ratings
    assert not DishonestyListing.objects.exists()


def test_json_rows_are_numbered_from_one(office_api, organisation):
    response = office_api.post(
        URL,
        {"rows": [grade(organisation, "A"), {**grade(organisation, "A"), "effective_on": "x"}]},
        format="json",
    )
    assert response.status_code == 400
    assert [e["row"] for e in response.json()["errors"]] == [2]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"rows": "not a list"},
        {"rows": [1, 2]},
        {"rows": None},
    ],
)
def test_malformed_bodies_are_400(office_api, body):
    response = office_api.post(URL, body, format="json")
    assert response.status_code == 400


def test_a_missing_header_column_or_empty_file_is_400(office_api):
    bad = SimpleUploadedFile("x.csv", b"uscc,grade\n1,2\n", content_type="text/csv")
    response = office_api.post(URL, {"file": bad}, format="multipart")
    assert response.status_code == 400 and "表头缺少列" in response.json()["errors"][0]["detail"]
    empty = SimpleUploadedFile("x.csv", b"", content_type="text/csv")
    assert office_api.post(URL, {"file": empty}, format="multipart").status_code == 400
    broken = SimpleUploadedFile("x.json", b'{"rows": [', content_type="application/json")
    assert office_api.post(URL, {"file": broken}, format="multipart").status_code == 400


# --- XLSX and JSON files ------------------------------------------------------------------------


def test_xlsx_and_json_files_are_read(office_api, organisation):
    book = Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "类别", "等级", "等级体系", "来源", "生效日期", "移出日期"])
    sheet.append([organisation.uscc, "信用等级", "A", "A-D", "市场监督管理局", dt.date(2026, 2, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = SimpleUploadedFile("c.xlsx", buffer.getvalue())
    response = office_api.post(URL, {"file": xlsx}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 1
    payload = json.dumps({"rows": [dishonest(organisation)]}).encode()
    response = office_api.post(
        URL, {"file": SimpleUploadedFile("c.json", payload)}, format="multipart"
    )
    assert response.status_code == 201 and response.json()["created"] == 1


# --- who may ------------------------------------------------------------------------------------


def test_only_the_office_imports_credit_data(users, organisation, api):
    answers = {}
    for role, user in users.items():
        response = login_api(user).post(
            URL, {"rows": [grade(organisation, "A")], "dry_run": True}, format="json"
        )
        answers[role] = response.status_code
    assert answers == {
        "office": 200,
        "committee": 403,
        "supervisor": 403,
        "government": 403,
        "expert": 403,
        "recommender": 403,
        "enterprise": 403,
    }
    assert api.post(URL, {"rows": []}, format="json").status_code == 401


def test_the_import_page_is_for_the_office_only(users, client):
    for role, user in users.items():
        client.force_login(user)
        assert client.get(PAGE).status_code == (200 if role == "office" else 403), role
    client.logout()
    assert client.get(PAGE).status_code == 302


def test_the_page_previews_then_confirms(client, office, live, organisation):
    client.force_login(office)
    lines = [f"{organisation.uscc},dishonest,,,{SOURCE},2026-05-01,"]
    preview = client.post(PAGE, {"file": csv_file(lines)})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "确认导入" in html and "列入严重失信主体名单" in html
    assert not DishonestyListing.objects.exists()
    token = preview.context["token"]
    done = client.post(CONFIRM, {"token": token}, follow=True)
    assert done.status_code == 200 and "新增1条" in done.content.decode()
    assert DishonestyListing.objects.count() == 1
    live.refresh_from_db()
    assert live.status == S.INELIGIBLE
    # The preview is used once; an unknown or used token is refused.
    again = client.post(CONFIRM, {"token": token})
    assert again.status_code == 400
    assert client.post(CONFIRM, {"token": "../../x"}).status_code == 400


def test_the_page_shows_errors_by_row(client, office, organisation):
    client.force_login(office)
    lines = [f"{organisation.uscc},grade,A,X-Y,市场监督管理局,2026-04-02,"]
    response = client.post(PAGE, {"file": csv_file(lines)})
    assert response.status_code == 400
    assert "第 2 行" in response.content.decode()


# --- incidents, in the incident import's row format (R11.6) -----------------------------------


def test_incident_rows_in_the_incident_import_format_are_recorded_once_R11_6(
    office_api, organisation, programme
):
    from applications.services.eligibility import check_incidents
    from organisations.models import Incident

    body = (
        "uscc,kind,occurred_on,description,status,source\n"
        f"{organisation.uscc},safety_accident,2026-03-02,生产车间火灾,verified,应急管理局\n"
        f"{organisation.uscc},重大投诉,2026-04-02,,,市场监管局\n"
    )
    bad = office_api.post(
        URL, {"file": SimpleUploadedFile("i.csv", body.encode())}, format="multipart"
    )
    assert bad.status_code == 400 and [e["row"] for e in bad.json()["errors"]] == [3]
    body = body.replace(",,,市场监管局", ",顾客集体投诉,,市场监管局").replace(
        "重大投诉", "major_complaint"
    )
    first = office_api.post(
        URL, {"file": SimpleUploadedFile("i.csv", body.encode())}, format="multipart"
    )
    assert first.status_code == 201, first.json()
    assert first.json()["created"] == 2
    assert not check_incidents(organisation, programme, dt.date(2026, 5, 20)).passed
    entry = AuditEntry.objects.filter(action="incident.recorded").first()
    assert entry.data["source"] in ("应急管理局", "市场监管局") and entry.data["import_row"] in (
        2,
        3,
    )
    again = office_api.post(
        URL, {"file": SimpleUploadedFile("i.csv", body.encode())}, format="multipart"
    )
    assert again.json()["unchanged"] == 2 and Incident.objects.count() == 2
    dismissed = body.replace("顾客集体投诉,,", "顾客集体投诉,dismissed,")
    changed = office_api.post(
        URL, {"file": SimpleUploadedFile("i.csv", dismissed.encode())}, format="multipart"
    )
    assert changed.json()["updated"] == 1
    assert Incident.objects.get(kind="major_complaint").status == "dismissed"
    # Back to "reported" is not a change the state machine allows: refused by row.
    back = dismissed.replace("顾客集体投诉,dismissed,", "顾客集体投诉,reported,")
    refused = office_api.post(
        URL, {"file": SimpleUploadedFile("i.csv", back.encode())}, format="multipart"
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["row"] == 3


def test_a_dry_run_reads_a_constant_number_of_queries(office_api, office):

    orgs = [OrganisationFactory() for _ in range(20)]
    office_api.post(URL, {"rows": [grade(orgs[0], "A")], "dry_run": True}, format="json")
    for chosen in (orgs[:1], orgs):
        rows = [grade(o, "B") for o in chosen] + [dishonest(o) for o in chosen]
        with exactly(5):
            response = office_api.post(URL, {"rows": rows, "dry_run": True}, format="json")
        assert response.status_code == 200 and response.json()["created"] == 2 * len(chosen)


def test_a_new_preview_replaces_the_waiting_one(client, office, organisation):
    client.force_login(office)
    lines = [f"{organisation.uscc},dishonest,,,{SOURCE},2026-05-01,"]
    first = client.post(PAGE, {"file": csv_file(lines)}).context["token"]
    client.post(PAGE, {"file": csv_file(lines)})
    assert client.post(CONFIRM, {"token": first}).status_code == 400
    assert not DishonestyListing.objects.exists()
