"""The organisation's page in the office shows its honours with a form to add one (no script),
and the office records the art. 13 reward there (R13); the import is all rows or none."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from awards.enums import LedgerEntryKind
from awards.models import LedgerEntry
from honours.enums import HonourKind
from honours.models import Honour
from honours.services import record_honour, reward_honour
from tests.factories import OrganisationFactory, make_uscc
from tests.honours.conftest import make_award
from tests.queries import assert_get_queries

pytestmark = pytest.mark.unit

FORM = {
    "kind": "city_mayor_award",
    "title": "鄂尔多斯市市长质量奖",
    "issuer": "鄂尔多斯市人民政府",
    "granted_on": "2026-01-15",
    "valid_until": "",
}


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_office_sees_the_honours_and_adds_one_on_the_organisations_page(org, office):
    client = browser(office)
    page = client.get(f"/organisations/{org.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "荣誉（含外部授予，第十三条）" in html and "登记荣誉" in html
    assert 'enctype="multipart/form-data"' in html
    posted = client.post(f"/honours/organisations/{org.pk}/", FORM)
    assert posted.status_code == 302
    assert posted.url == f"/organisations/{org.pk}/#honours"
    honour = Honour.objects.get()
    assert honour.valid_until is None and honour.created_by == office
    html = client.get(f"/organisations/{org.pk}/").content.decode()
    assert "鄂尔多斯市人民政府" in html and "登记奖励" in html


def test_a_bad_form_is_400_with_the_message_in_chinese(org, office):
    client = browser(office)
    future = client.post(f"/honours/organisations/{org.pk}/", {**FORM, "granted_on": "2027-01-01"})
    assert future.status_code == 400
    assert "晚于今天" in future.content.decode()
    backwards = client.post(
        f"/honours/organisations/{org.pk}/", {**FORM, "valid_until": "2025-01-01"}
    )
    assert backwards.status_code == 400 and "应晚于授予日期" in backwards.content.decode()
    assert (
        client.post(f"/honours/organisations/{org.pk}/", {**FORM, "kind": "x"}).status_code == 400
    )
    assert not Honour.objects.exists()


def test_the_reward_is_recorded_on_the_page_once_R13(org, honour, office):
    client = browser(office)
    form = {"amount": ""}
    url = f"/honours/organisations/{org.pk}/honours/{honour.pk}/reward/"
    first = client.post(url, form)
    assert first.status_code == 302
    entry = LedgerEntry.objects.get(honour=honour, kind=LedgerEntryKind.OWED)
    assert str(entry.amount) == "50000.00"
    second = client.post(url, form)
    assert second.status_code == 409
    assert "不能重复登记" in second.content.decode()
    bad = client.post(url, {**form, "amount": "-1"})
    assert bad.status_code == 400
    assert LedgerEntry.objects.filter(honour=honour).count() == 1
    # a posted honour of another organisation is not found here
    other = record_honour(
        organisation=OrganisationFactory(),
        kind=HonourKind.FAMOUS_BRAND,
        title="内蒙古名牌产品",
        issuer="内蒙古自治区市场监督管理局",
        granted_on=dt.date(2025, 1, 1),
        actor=office,
    )
    other_url = f"/honours/organisations/{org.pk}/honours/{other.pk}/reward/"
    assert client.post(other_url, form).status_code == 404


@pytest.mark.parametrize(
    ("who", "get", "post"),
    [
        ("office", 200, 302),
        ("member", 200, 403),
        ("supervisor", 200, 403),
        ("stranger", 404, 404),
        ("expert", 404, 404),
    ],
)
def test_who_sees_and_uses_the_honours_page(request, org, honour, who, get, post):
    client = browser(request.getfixturevalue(who))
    page = client.get(f"/honours/organisations/{org.pk}/")
    assert page.status_code == get
    if get == 200:
        html = page.content.decode()
        assert honour.title in html
        assert ("登记荣誉" in html) == (who == "office")
    response = client.post(f"/honours/organisations/{org.pk}/", {**FORM, "title": "另一项荣誉"})
    assert response.status_code == post


def test_the_member_reads_its_honours_on_its_page_without_forms(org, honour, member):
    html = browser(member).get(f"/organisations/{org.pk}/").content.decode()
    assert honour.title in html and "登记荣誉" not in html and "登记奖励" not in html


def _costs(client, paths, counts) -> None:
    """Each of ``paths`` costs its literal count of ``counts``, after a warm-up request."""
    for path, queries in zip(paths, counts, strict=True):
        assert_get_queries(queries, client, path)


def test_the_register_costs_a_fixed_number_of_queries(org, honour, office, programme):
    reward_honour(honour=honour, actor=office)
    make_award(programme, org, announced_on=dt.date(2019, 12, 20))
    client = browser(office)
    paths = (f"/organisations/{org.pk}/", f"/api/v1/organisations/{org.pk}/honours/")
    _costs(client, paths, (9, 7))
    for i in range(8):
        h = record_honour(
            organisation=org,
            kind=HonourKind.FAMOUS_BRAND,
            title=f"内蒙古名牌产品{i}",
            issuer="内蒙古自治区市场监督管理局",
            granted_on=dt.date(2025, 1, 1 + i),
            actor=office,
        )
        if i % 2:
            reward_honour(honour=h, actor=office)
    for year in (2016, 2013):
        make_award(programme, org, announced_on=dt.date(year, 12, 20))
    _costs(client, paths, (9, 7))


# --- the import --------------------------------------------------------------------------------


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("honours.csv", text.encode("utf-8"), content_type="text/csv")


def test_the_import_records_every_row_or_none_with_row_numbers(org, office):
    other = OrganisationFactory(uscc=make_uscc("150602"))
    good = (
        "uscc,kind,title,issuer,granted_on,valid_until\n"
        f"{org.uscc},city_mayor_award,鄂尔多斯市市长质量奖,鄂尔多斯市人民政府,2025-12-01,\n"
        f"{other.uscc},内蒙古名牌产品,内蒙古名牌产品（羊绒）,内蒙古自治区市场监督管理局,2024/06/01,2027-05-31\n"
    )
    bad = (
        good
        + "\n"
        + f"{org.uscc},nobel,诺贝尔奖,瑞典,2030-01-01,\n"
        + "911506230000000000,famous_brand,名牌,局,2025-01-01,\n"
        + f"{org.uscc},city_mayor_award,鄂尔多斯市市长质量奖,鄂尔多斯市人民政府,2025-12-01,\n"
        + f"{other.uscc},other,荣誉,局,2025-02-30,\n"
    )
    client = browser(office)
    refused = client.post("/honours/import/", {"file": csv_file(bad)})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "第 5 行" in html and "荣誉类别“nobel”不正确" in html and "晚于今天" in html
    assert "第 6 行" in html and "不是已注册的组织" in html
    assert "第 7 行" in html and "与第2行重复" in html
    assert "第 8 行" in html and "不是日期" in html
    assert not Honour.objects.exists()

    done = client.post("/honours/import/", {"file": csv_file(good)})
    assert done.status_code == 302
    assert Honour.objects.count() == 2
    brand = Honour.objects.get(organisation=other)
    assert brand.kind == HonourKind.FAMOUS_BRAND and brand.valid_until == dt.date(2027, 5, 31)
    # the same file again: every row is already registered, nothing changes
    again = client.post("/honours/import/", {"file": csv_file(good)})
    assert again.status_code == 400 and "该荣誉已登记" in again.content.decode()
    assert Honour.objects.count() == 2


def test_the_import_reads_xlsx_through_the_api(org, office):
    book = Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "荣誉类别", "荣誉名称", "授予机关", "授予日期", "有效期至"])
    sheet.append(
        [org.uscc, "standards_leader", "企业标准领跑者", "市场监管总局", dt.date(2025, 5, 1), None]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("h.xlsx", buffer.getvalue())
    from tests.conftest import login_api

    response = login_api(office).post(
        "/api/v1/honours/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert response.json() == {"rows": 1, "created": 1, "errors": []}
    assert Honour.objects.get().granted_on == dt.date(2025, 5, 1)


def test_a_header_without_the_columns_and_other_roles_are_refused(org, office, member):
    client = browser(office)
    response = client.post("/honours/import/", {"file": csv_file("a,b\n1,2\n")})
    assert response.status_code == 400 and "表头缺少列" in response.content.decode()
    assert browser(member).get("/honours/import/").status_code == 403
    from tests.conftest import login_api

    assert (
        login_api(member)
        .post("/api/v1/honours/import/", {"file": csv_file("a\n")}, format="multipart")
        .status_code
        == 403
    )
    missing = login_api(office).post("/api/v1/honours/import/", {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()
