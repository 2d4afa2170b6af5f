"""An expert scores an application in the browser (R10.2, R23, SCORING.md): logs in, signs the
confidentiality pledge, opens the assignment, picks a percentage for every GB/T 19580 item,
writes strengths and improvements, watches the live total and the autosave, and submits."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.enums import Role
from applications.enums import ApplicationStatus as S
from programmes.selectors import criteria_items
from review.enums import AssignmentStatus, Stage
from review.models import Assignment
from review.services.assignment import assign_expert
from tests.factories import (
    ApplicationFactory,
    CycleFactory,
    EnterpriseUserFactory,
    ExpertProfileFactory,
    OrganisationFactory,
    ProgrammeFactory,
    default_criteria_set,
    staff_user,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TIMEOUT = 15_000  # ms, for every wait on the browser
PASSWORD = "correct-horse-battery"  # the factories' password
ORGANISATION = "鄂托克前旗草原乳业有限公司"
NOTES = {
    "4.1.2": ("高层领导定期评审质量目标并跟踪落实", "领导绩效评价未与战略目标挂钩"),
    "4.4.2": ("建立了覆盖全员的技能培训体系", "关键岗位继任计划不完整"),
    "4.7.4": ("近三年营业收入和利润持续增长", "缺少与同行业标杆的对比数据"),
}


def percent_for(index: int, points: int) -> int:
    """A varied sheet. Items of 15 points get a multiple of 10 %, so that every running total
    has one decimal place at most (15 × 5 % = 0.75 would need rounding in the browser)."""
    if points == 15:
        return 70
    return (60, 65, 70, 75, 80)[index % 5]


@pytest.fixture
def assignment():
    """The office has accepted an application and assigned the expert (services, no browser)."""
    criteria = default_criteria_set()  # transactional tests flush the migration's data
    programme = ProgrammeFactory(code="etkqq", name="鄂托克前旗旗长质量奖", criteria_set=criteria)
    cycle = CycleFactory(programme=programme, criteria_set=criteria, year=timezone.localdate().year)
    organisation = OrganisationFactory(name=ORGANISATION, industry="乳制品制造")
    EnterpriseUserFactory(organisation=organisation, username="caoyuan")
    app = ApplicationFactory(
        cycle=cycle,
        organisation=organisation,
        status=S.ACCEPTED,
        submitted_at=timezone.now(),
        last_submitted_at=timezone.now(),
    )
    office = staff_user(Role.OFFICE, programme=programme, username="office")
    expert = staff_user(
        Role.EXPERT, programme=programme, username="zhuanjia", name="李专家", is_staff=False
    )
    ExpertProfileFactory(user=expert, industries="乳制品", employer="内蒙古某大学")
    assignment = assign_expert(application=app, expert=expert, stage=Stage.DOCUMENT, actor=office)
    app.refresh_from_db()
    assert app.status == S.DOCUMENT_REVIEW
    return assignment


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/", timeout=TIMEOUT)
    expect(page.locator(".who")).to_be_visible(timeout=TIMEOUT)


def sign_pledge(page: Page, base: str) -> None:
    page.goto(f"{base}/review/assignments/")
    expect(page.get_by_role("heading", name="保密承诺")).to_be_visible(timeout=TIMEOUT)
    # no material before the pledge (R23)
    expect(page.get_by_text(ORGANISATION)).to_have_count(0)
    page.get_by_label("我已阅读并承诺遵守").check()
    page.get_by_role("button", name="签署保密承诺").click()
    page.wait_for_url(f"{base}/review/assignments/", timeout=TIMEOUT)
    expect(page.get_by_role("status").filter(has_text="已签署保密承诺")).to_be_visible(
        timeout=TIMEOUT
    )
    expect(page.get_by_role("row").filter(has_text=ORGANISATION)).to_contain_text("评审中")


def wait_for_db(check, timeout: float = 10.0):
    """The autosave's answer reaches the page after its transaction commits; poll briefly in
    case an earlier autosave wrote the status first."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def test_expert_scores_and_submits_an_application(assignment, live_server, page):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    items = criteria_items(assignment.application.cycle.criteria_set_id)
    chosen = {i.code: percent_for(n, i.points) for n, i in enumerate(items)}
    expected_total = sum((Decimal(i.points) * chosen[i.code] / 100 for i in items), Decimal(0))

    log_in(page, base, "zhuanjia")
    sign_pledge(page, base)
    page.get_by_role("row").filter(has_text=ORGANISATION).get_by_role("link", name="评分").click()
    page.wait_for_url(f"{base}/review/assignments/{assignment.pk}/", timeout=TIMEOUT)
    expect(page.get_by_role("heading", name=ORGANISATION)).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".card-head .badge")).to_have_text("资料评审 · 评审中")

    # The live total: the browser's own sum while percentages are chosen.
    total = page.locator("#self-total")
    expect(total).to_have_text("0.0", timeout=TIMEOUT)
    selects = page.locator("select.percent")
    expect(selects).to_have_count(23)  # GB/T 19580-2012: 23 scored items
    first_points = int(selects.first.get_attribute("data-points"))
    assert first_points == items[0].points == 50
    selects.first.select_option(str(chosen[items[0].code]))
    expect(total).to_have_text(f"{first_points * chosen[items[0].code] / 100:.1f}")
    for n, item in enumerate(items[1:], start=1):
        selects.nth(n).select_option(str(chosen[item.code]))
    expect(total).to_have_text(f"{expected_total:.1f}", timeout=TIMEOUT)

    # Strengths and opportunities for improvement on a few items, then one more change that
    # the autosave picks up a moment later.
    for code, (strengths, improvements) in NOTES.items():
        page.get_by_label(f"{code} 优势").fill(strengths)
        page.get_by_label(f"{code} 改进机会").fill(improvements)
    last = items[-1]
    chosen[last.code] = 90
    expected_total += Decimal(last.points) * (90 - percent_for(len(items) - 1, last.points)) / 100
    selects.last.select_option("90")  # moves the focus: the last textarea's change fires too
    expect(total).to_have_text(f"{expected_total:.1f}", timeout=TIMEOUT)
    expect(page.locator("#autosave-status")).to_contain_text("已自动保存", timeout=TIMEOUT)

    def autosaved():
        scores = {
            s.item.code: (s.percent, s.strengths, s.improvements)
            for s in assignment.scores.select_related("item")
        }
        return len(scores) == 23 and scores[last.code][0] == 90 and scores["4.7.4"][1] and scores

    saved = wait_for_db(autosaved)
    assert saved, "the autosave did not store the whole sheet"
    assert {code: v[0] for code, v in saved.items()} == chosen
    assert {code: v[1:] for code, v in saved.items() if v[1] or v[2]} == NOTES
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED  # saved, not yet submitted

    # The counter followed the choices; submitting without the confirmation is refused.
    expect(page.locator("#scored-count")).to_have_text("23")
    page.get_by_role("button", name="提交评分").click()
    expect(page.get_by_role("alert")).to_contain_text("请先勾选确认", timeout=TIMEOUT)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED

    # Submit, confirmed: the sheet is locked and shows its status.
    page.get_by_label("我已核对全部条款，确认提交；提交后不能修改。").check()
    page.get_by_role("button", name="提交评分").click()
    page.wait_for_url(f"{base}/review/assignments/{assignment.pk}/", timeout=TIMEOUT)
    expect(page.get_by_role("status").filter(has_text="评分已提交")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".card-head .badge")).to_have_text("资料评审 · 已提交")
    expect(page.get_by_role("button", name="提交评分")).to_have_count(0)
    expect(page.locator("select.percent")).to_have_count(0)
    expect(page.locator("#self-total")).to_have_text(f"{expected_total:.1f}")

    page.goto(f"{base}/review/assignments/")
    row = page.get_by_role("row").filter(has_text=ORGANISATION)
    expect(row).to_contain_text("已提交", timeout=TIMEOUT)
    expect(row.get_by_role("link", name="查看")).to_be_visible()

    # And the database agrees with what the browser showed.
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED
    assert assignment.submitted_at is not None
    assert assignment.scores.count() == 23
    assert {s.item.code: s.percent for s in assignment.scores.select_related("item")} == chosen
    assert (
        Assignment.objects.filter(application=assignment.application, status="submitted").count()
        == 1
    )
