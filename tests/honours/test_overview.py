"""The jurisdiction's overview (issue 13 item 4): its numbers equal those counted by hand from
the fixture below, on the page, in the API and in the workbook; a fixed number of queries."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from applications.enums import ApplicationStatus as S
from awards.services.ledger import record_owed, record_payment
from honours.enums import HonourKind
from honours.services import record_honour, reward_honour
from programmes.enums import CycleStatus
from tests.conftest import login_api
from tests.factories import (
    ApplicationFactory,
    CycleFactory,
    OrganisationFactory,
    ProgrammeFactory,
    make_uscc,
)
from tests.honours.conftest import TODAY, make_award
from tests.queries import assert_get_queries

pytestmark = pytest.mark.unit
D = dt.date


def cycle(programme, year, *, closed=True):
    return CycleFactory(
        programme=programme,
        year=year,
        opens_on=D(year, 3, 1),
        submission_deadline=D(year, 5, 31),
        recommendation_deadline=D(year, 6, 30),
        announced_on=D(year, 12, 20) if closed else None,
        status=CycleStatus.CLOSED if closed else CycleStatus.OPEN,
    )


def applications(c, n, *, status=S.NOT_PROPOSED, submitted=True, region="150623"):
    for _ in range(n):
        ApplicationFactory(
            cycle=c,
            organisation=OrganisationFactory(uscc=make_uscc(region)),
            status=status,
            submitted_at=timezone.now() if submitted else None,
        )


def paid(award, amount, office):
    record_owed(award=award, actor=office, on=award.announced_on)
    record_payment(
        award=award, amount=amount, on=award.announced_on, reference="付-1", actor=office
    )


@pytest.fixture
def ladder(programme, city, dongsheng, hohhot, office, city_office):
    """By hand:
    - 鄂托克前旗 (county, quota 3), 2025 closed: 4 submitted + 1 draft; 2 awards, one of them
      revoked; paid 100,000 + 40,000. 2026 open: 2 submitted, no award yet. An honour reward
      of 50,000 recorded today (2026).
    - 东胜区 (county, quota 2), 2024 closed: 1 submitted, 1 award (valid until 2027-12-20).
      2020: an award recorded from before the portal (no cycle), expired 2023-12-20.
    - 鄂尔多斯市 (the city, quota 3), 2025 closed: 3 submitted, 1 award, paid 100,000.
    - 新城区 of Hohhot: not under the city, never counted.
    """
    dongsheng.quota = 2
    dongsheng.save()
    county25 = cycle(programme, 2025)
    applications(county25, 4)
    applications(county25, 1, status=S.DRAFT, submitted=False)
    a1 = make_award(programme, OrganisationFactory(), announced_on=D(2025, 12, 20), cycle=county25)
    a2 = make_award(programme, OrganisationFactory(), announced_on=D(2025, 12, 20), cycle=county25)
    paid(a1, "100000", office)
    paid(a2, "40000", office)
    a2.status = "revoked"
    a2.revoked_on = D(2026, 6, 1)
    a2.save()
    county26 = cycle(programme, 2026, closed=False)
    applications(county26, 2, status=S.SUBMITTED)
    honour = record_honour(
        organisation=OrganisationFactory(uscc=make_uscc("150623")),
        kind=HonourKind.CITY_MAYOR_AWARD,
        title="鄂尔多斯市市长质量奖",
        issuer="鄂尔多斯市人民政府",
        granted_on=D(2026, 1, 10),
        actor=office,
    )
    reward_honour(honour=honour, actor=office)

    ds24 = cycle(dongsheng, 2024)
    applications(ds24, 1, region="150602")
    make_award(dongsheng, OrganisationFactory(), announced_on=D(2024, 12, 20), cycle=ds24)
    make_award(dongsheng, OrganisationFactory(), announced_on=D(2020, 12, 20))

    city25 = cycle(city, 2025)
    applications(city25, 3)
    paid(
        make_award(city, OrganisationFactory(), announced_on=D(2025, 12, 20), cycle=city25),
        "100000",
        office,
    )

    hh25 = cycle(hohhot, 2025)
    applications(hh25, 5, region="150102")
    make_award(hohhot, OrganisationFactory(), announced_on=D(2025, 12, 20), cycle=hh25)


# (programme code, year, applications, quota, winners, vacancies, valid, revoked, paid,
#  honour rewards): the city's own row first, then its counties by region code.
EXPECTED = [
    ("ordos", 2025, 3, 3, 1, 2, 1, 0, "100000.00", "0.00"),
    ("dsq", 2020, 0, 2, 1, 1, 0, 0, "0.00", "0.00"),
    ("dsq", 2024, 1, 2, 1, 1, 1, 0, "0.00", "0.00"),
    ("etkqq", 2025, 4, 3, 2, 1, 1, 1, "140000.00", "0.00"),
    ("etkqq", 2026, 2, 3, 0, None, 0, 0, "0.00", "50000.00"),
]


def test_the_overview_api_equals_the_numbers_counted_by_hand(ladder, city, city_office):
    response = login_api(city_office).get(f"/api/v1/programmes/{city.pk}/overview/")
    assert response.status_code == 200
    got = [
        (
            r["programme_code"],
            r["year"],
            r["applications"],
            r["quota"],
            r["winners"],
            r["vacancies"],
            r["valid"],
            r["revoked"],
            r["paid"],
            r["honour_rewards"],
        )
        for r in response.json()
    ]
    assert got == EXPECTED


def test_the_workbook_holds_the_same_numbers(ladder, city, city_office):
    response = login_api(city_office).get(
        f"/api/v1/programmes/{city.pk}/overview/", {"export": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "质量奖" and rows[1][11] == "荣誉奖励应付（元）"
    names = {
        "ordos": "鄂尔多斯市市长质量奖",
        "dsq": "东胜区区长质量奖",
        "etkqq": "鄂托克前旗旗长质量奖",
    }
    body = [(r[0], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11]) for r in rows[2:]]
    assert body == [
        (
            names[code],
            year,
            apps,
            quota,
            winners,
            "—" if vac is None else vac,
            valid,
            revoked,
            Decimal(money) if Decimal(money) % 1 else int(Decimal(money)),
            Decimal(hon) if Decimal(hon) % 1 else int(Decimal(hon)),
        )
        for code, year, apps, quota, winners, vac, valid, revoked, money, hon in EXPECTED
    ]


def test_no_programme_name_becomes_a_formula_in_the_workbook(city, city_office):
    evil = ProgrammeFactory(code="evil", name='=HYPERLINK("http://x","点我")', region="150621")
    cycle(evil, 2025)
    content = (
        login_api(city_office)
        .get(f"/api/v1/programmes/{city.pk}/overview/", {"export": "xlsx"})
        .content
    )
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_page_shows_the_table_and_the_chart(ladder, city, city_office):
    client = Client()
    client.force_login(city_office)
    page = client.get(f"/honours/overview/{city.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "辖区概览" in html and "<svg" in html and "<script" not in html
    assert "东胜区区长质量奖" in html and "呼和浩特" not in html
    assert "140000.00" in html and "评审中" in html
    export = client.get(f"/honours/overview/{city.pk}/", {"export": "xlsx"})
    assert export.status_code == 200 and export.content.startswith(b"PK")
    # the index leads the city office straight to its one overview
    assert client.get("/honours/overview/").url == f"/honours/overview/{city.pk}/"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("city_office", 200),
        ("city_supervisor", 200),
        ("office", 404),  # the county's office does not serve the city programme
        ("supervisor", 404),
        ("member", 404),
        ("expert", 404),
    ],
)
def test_who_reads_the_overview(request, city, who, status):
    user = request.getfixturevalue(who)
    assert login_api(user).get(f"/api/v1/programmes/{city.pk}/overview/").status_code == status
    client = Client()
    client.force_login(user)
    assert client.get(f"/honours/overview/{city.pk}/").status_code == status


def test_a_county_programme_has_no_overview_and_anonymous_is_refused(api, programme, office):
    assert login_api(office).get(f"/api/v1/programmes/{programme.pk}/overview/").status_code == 404
    assert login_api(office).get("/api/v1/programmes/99999/overview/").status_code == 404
    assert api.get(f"/api/v1/programmes/{programme.pk}/overview/").status_code == 401
    client = Client()
    assert client.get("/honours/overview/").status_code == 302  # to the login page
    client.force_login(office)
    index = client.get("/honours/overview/")
    assert index.status_code == 200 and "没有市（盟）级" in index.content.decode()


def test_an_enterprise_user_has_no_overview_index(member):
    client = Client()
    client.force_login(member)
    assert client.get("/honours/overview/").status_code == 403


def _costs(user, paths, counts) -> None:
    """Each of ``paths`` costs its literal count of ``counts``, after a warm-up request."""
    client = Client()
    client.force_login(user)
    for path, queries in zip(paths, counts, strict=True):
        assert_get_queries(queries, client, path)


def test_the_overview_costs_a_fixed_number_of_queries(city, programme, dongsheng, city_office):
    paths = (f"/honours/overview/{city.pk}/", f"/api/v1/programmes/{city.pk}/overview/")
    cycle(programme, 2025)
    _costs(city_office, paths, (11, 10))
    for i, code in enumerate(("150621", "150622", "150624", "150625", "150626")):
        p = ProgrammeFactory(code=f"c{i}", region=code)
        for year in (2021, 2022, 2023):
            c = cycle(p, year)
            applications(c, 2, region=code)
            make_award(p, OrganisationFactory(), announced_on=D(year, 12, 20), cycle=c)
    _costs(city_office, paths, (11, 10))
    assert TODAY.year == 2026
