"""Issue 11 on the award pages: no raw codes, money grouped by thousands."""

import re

import pytest
from django.test import Client

from common import audit
from common.labels import format_money

pytestmark = pytest.mark.unit


def _page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_award_history_shows_names_roles_and_statuses_in_words(award, office):
    office.name = "王主任"
    office.save()
    audit.record(action="award.created", actor=office, obj=award, to_state="active")
    audit.record(action="award.expired", obj=award, from_state="active", to_state="expired")
    page = _page(office, f"/awards/{award.pk}/")
    history = page[page.index("授予奖项") - 300 :]
    assert "王主任（评审委员会办公室）" in history
    assert "→ 有效" in history and "有效 → 已过期" in history
    assert "系统" in history
    assert not re.search(r"→ [a-z_]+", page)
    assert not re.search(r"[a-z_0-9]+（[a-z_,]+）", page)
    assert "office1" not in history


def test_money_on_the_award_page_has_thousands_separators_R13(award, office, programme):
    page = _page(office, f"/awards/{award.pk}/")
    owed = programme.reward_amount if hasattr(programme, "reward_amount") else None
    amounts = re.findall(r"\d[\d,]*\.\d\d", page)
    assert amounts, "the ledger shows amounts"
    big = [a for a in amounts if len(a.replace(",", "").split(".")[0]) > 3]
    assert big and all("," in a for a in big), big
    if owed is not None:
        assert format_money(owed) in page


def test_money_on_the_office_award_list_has_thousands_separators_R13(rf, office):
    from decimal import Decimal

    from django.template.loader import render_to_string

    request = rf.get("/awards/office/")
    request.user = office
    money = {
        "owed": Decimal("400000.00"),
        "paid": Decimal("200000.00"),
        "outstanding": Decimal("200000.00"),
        "clawback_due": Decimal("0.00"),
        "clawback_received": Decimal("0.00"),
    }
    page = render_to_string(
        "awards/office_list.html",
        {"cycles": [{"cycle": "2025年度", "certificates": (2, 2), "money": money}]},
        request=request,
    )
    assert "400,000.00" in page and "200,000.00" in page
    assert "400000.00" not in page


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("200000", "200,000.00"),
        ("-1000000.5", "-1,000,000.50"),
        (0, "0.00"),
        ("", ""),
        ("—", "—"),
        (None, ""),
    ],
)
def test_format_money(value, shown):
    assert format_money(value) == shown
