"""English is the portal's second language: the catalogue is complete, and what services say
(eligibility lines, refusals, notifications) and the dates pages print come out in English."""

import datetime as dt
import gettext
import re
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from applications.services.drafting import create_application
from applications.services.eligibility import check_credit_grade, check_operating_years
from awards.services.validity import enforce_award_rules
from common.exceptions import ApplicationError
from notifications.models import Notification
from tests.awards.conftest import make_award
from tests.clock import travel_to
from tests.factories import CycleFactory, OrganisationFactory

sys.path.insert(0, str(Path(settings.BASE_DIR) / "scripts"))
import po_todo  # the catalogue tool, scripts/po_todo.py

pytestmark = pytest.mark.unit
D = dt.date
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]")
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|\{[^}]*\}")


def _entries():
    return [e for e in po_todo.parse(po_todo.PO.read_text(encoding="utf-8")) if e["msgid"]]


def test_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    missing = [po_todo.key(e) for e in po_todo.todo(_entries())]
    assert missing == [], f"{len(missing)} entries need English: make messages, then translate"


def test_english_catalogue_keeps_placeholders_and_has_no_chinese():
    wrong = []
    for e in _entries():
        for index, text in e["msgstr"].items():
            source = e["plural"] if index and e["plural"] else e["msgid"]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                wrong.append((e["msgid"], text))
            if CJK.search(text):
                wrong.append((e["msgid"], text))
    assert wrong == []


def test_compiled_catalogue_matches_the_po():
    """The .mo is committed: a .po edited without compilemessages would serve stale English."""
    with po_todo.PO.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for e in _entries():
        if e["plural"] is None:
            served = compiled.pgettext(e["msgctxt"], e["msgid"]) if e["msgctxt"] else None
            served = served or compiled.gettext(e["msgid"])
            if served != e["msgstr"][0]:
                stale.append(e["msgid"])
        elif compiled.ngettext(e["msgid"], e["plural"], 2) != e["msgstr"][1]:
            stale.append(e["msgid"])
    assert stale == [], "run make messages (compilemessages) and commit django.mo"


def test_eligibility_lines_in_english_R11_1_R11_5(programme):
    org = OrganisationFactory(registered_on=D(2024, 5, 10), rating=True)
    with translation.override("en"):
        years = check_operating_years(org, programme, D(2026, 12, 3))
        grade = check_credit_grade(org, programme, D(2026, 12, 3))
    assert (years.rule, years.passed) == ("R11.1", False)
    assert years.title == "Registration and years in operation"
    assert years.detail == (
        "Registered on 10 May 2024; fewer than 3 full years by 3 Dec 2026 "
        "(3 full years from 10 May 2027)."
    )
    assert (grade.rule, grade.passed) == ("R11.5", True)
    assert grade.title == "Quality credit grade"
    assert grade.detail.startswith("Grade A (")
    assert "rated on 1 Jan 2025); grade" in grade.detail
    with translation.override("zh-hans"):
        assert (
            "2027年5月10日起满3年" in check_operating_years(org, programme, D(2026, 12, 3)).detail
        )


def test_service_refusal_in_english(programme):
    cycle = CycleFactory(programme=programme)
    travel_to(D(2026, 12, 3))  # after the submission deadline (2026-05-31)
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        create_application(organisation=OrganisationFactory(), cycle=cycle, actor=None)
    assert str(refused.value.args[0]) == (
        f"{programme.name} 2026 is not open for applications (application deadline: 2026-05-31)."
    )


def test_award_expiry_notification_in_english_R6(programme):
    travel_to(D(2026, 6, 2))
    make_award(programme, announced_on=D(2023, 6, 1))  # valid until 2026-06-01
    with translation.override("en"):
        enforce_award_rules(today=D(2026, 6, 2))
    note = Notification.objects.get()
    assert note.subject == (
        f"[{programme.name}] Your award has expired; you are welcome to apply again"
    )
    assert "expired on 1 Jun 2026. You may now apply again (Article 6)." in note.body


def _header(html: str) -> str:
    """The header without what is Chinese on purpose: the brand mark and the switcher's 中文
    (a language is offered in its own name)."""
    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    return header.replace('aria-hidden="true">奖<', "><").replace('lang="zh-CN">中文<', "><")


def _nav(html: str) -> str:
    return html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_home_page_in_english_has_english_navigation_and_dates(client, programme):
    CycleFactory(programme=programme)
    travel_to(D(2026, 4, 1))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert CJK.findall(_nav(html)) == []
    assert CJK.findall(_header(html)) == []
    assert "31 May 2026" in html  # the submission deadline, in the locale's DATE_FORMAT
    assert "2026年5月31日" not in html


@pytest.mark.parametrize("role", ["office", "committee", "government", "supervisor", "expert"])
def test_staff_navigation_in_english_has_no_chinese(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/").content.decode()
    assert CJK.findall(_nav(html)) == []
    who = _header(html).split('<span class="who"', 1)[1].split("</span>", 1)[0]
    assert CJK.findall(who.replace(user.display_name, "")) == []


def test_chinese_stays_the_default(client, programme):
    CycleFactory(programme=programme)
    travel_to(D(2026, 4, 1))
    html = client.get("/").content.decode()
    assert "2026年5月31日" in html
