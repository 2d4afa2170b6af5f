"""An enterprise registers, fills in the whole application form in the browser, uploads evidence
and submits it: the intake journey of R12.1, without the API and without shortcuts."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.enums import Role
from applications.models import Application
from common.dates import add_years, today
from tests.factories import CycleFactory, ProgrammeFactory, default_criteria_set, staff_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The README's screenshots are refreshed only on request (SCREENSHOTS=1); otherwise the test
# writes them to a temporary folder, so a test run never changes the work tree.
DOCS = (
    Path(__file__).resolve().parents[2] / "docs"
    if os.environ.get("SCREENSHOTS") == "1"
    else Path(tempfile.mkdtemp(prefix="award-portal-shots-"))
)
TIMEOUT = 15_000  # ms, for every wait on the browser

USERNAME = "hongyuan"
PASSWORD = "Zhiliang-Award-2025!"
VALID_USCC = "91150623MA0XYHW81K"  # registered in 鄂托克前旗 (150623)
WRONG_USCC = "91150623MA0XYHW810"  # same code, wrong check character
SUMMARY = (
    "鄂托克前旗宏远建材有限公司成立于二零一五年，主要生产新型节能墙体材料和商品混凝土，"
    "现有员工二百余人。公司坚持质量第一，建立了覆盖研发、采购、生产和服务全过程的质量管理体系，"
    "产品连续多年抽检合格。"
)
INNOVATION = "近三年研发投入占营业收入的百分之三点五，获得实用新型专利六项，参与制定地方标准一项。"
COMMENT = "建立了战略制定与部署的系统方法，每年评审并改进。"
BRAND = "“宏远”商标为自治区著名商标，产品销往周边五个旗县，顾客满意度连续三年超过百分之九十。"


@pytest.fixture
def journey_data():
    """The programme, a cycle open today, and the staff who act on the application later."""
    criteria = default_criteria_set()  # transactional tests flush the migration's data
    programme = ProgrammeFactory(
        code="etkqq",
        name="鄂托克前旗旗长质量奖",
        region="150623",  # 鄂托克前旗
        criteria_set=criteria,
    )
    day = today()
    cycle = CycleFactory(
        programme=programme,
        criteria_set=criteria,
        year=day.year,
        opens_on=day - dt.timedelta(days=10),
        submission_deadline=day + dt.timedelta(days=20),
        recommendation_deadline=day + dt.timedelta(days=30),
    )
    recommenders = []
    for username, level in (("industry", "industry"), ("leading", "leading_group")):
        user = staff_user(Role.RECOMMENDER, programme=programme, username=username)
        user.recommender_level = level
        user.industries = "建材" if level == "industry" else ""  # R12.2: its industry
        user.save()
        recommenders.append(user)
    office = staff_user(Role.OFFICE, programme=programme, username="office")
    return {"programme": programme, "cycle": cycle, "recommenders": recommenders, "office": office}


def save_and_continue(page: Page, base: str, pk: int, next_section: str) -> None:
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_url(f"{base}/applications/{pk}/edit/{next_section}/", timeout=TIMEOUT)
    expect(page.get_by_role("status").filter(has_text="已保存")).to_be_visible(timeout=TIMEOUT)


def register(page: Page, base: str) -> None:
    registered_on = add_years(today(), -5)
    page.goto(f"{base}/accounts/register/")
    expect(page.get_by_role("heading", name="注册申报账号")).to_be_visible(timeout=TIMEOUT)

    def fill_passwords() -> None:  # password inputs are never sent back after an error
        page.get_by_label("密码", exact=True).fill(PASSWORD)
        page.get_by_label("密码确认", exact=True).fill(PASSWORD)

    page.get_by_label("用户名", exact=True).fill(USERNAME)
    fill_passwords()
    page.get_by_label("您的姓名").fill("王建国")
    page.get_by_label("电子邮箱").fill("wang@hongyuan.example.com")
    page.get_by_label("手机号").fill("13912345678")
    page.get_by_label("组织名称").fill("鄂托克前旗宏远建材有限公司")
    page.get_by_label("统一社会信用代码").fill(WRONG_USCC)
    page.get_by_label("组织类型").select_option(label="企业")
    page.get_by_label("注册地").select_option(label="鄂托克前旗")
    page.get_by_label("注册登记日期").fill(registered_on.isoformat())
    page.get_by_label("所属行业").fill("建材制造业")
    page.get_by_role("button", name="注册", exact=True).click()

    # Refused with the check-character message, on the same page, the other fields kept.
    expect(page.get_by_role("alert").filter(has_text="统一社会信用代码校验位不正确")).to_be_visible(
        timeout=TIMEOUT
    )
    assert page.url == f"{base}/accounts/register/"
    expect(page.get_by_label("组织名称")).to_have_value("鄂托克前旗宏远建材有限公司")
    expect(page.get_by_label("注册地")).to_have_value("鄂托克前旗")

    page.get_by_label("统一社会信用代码").fill(VALID_USCC)
    fill_passwords()
    page.get_by_role("button", name="注册", exact=True).click()
    # The same neutral answer whatever exists (issue 8 item 13); the person then logs in.
    page.wait_for_url(f"{base}/accounts/register/done/", timeout=TIMEOUT)
    expect(page.get_by_role("status").filter(has_text="注册申请已收到")).to_be_visible(
        timeout=TIMEOUT
    )
    page.get_by_role("link", name="登录", exact=True).last.click()
    page.wait_for_url(re.compile(r".*/accounts/login/$"), timeout=TIMEOUT)
    page.get_by_label("用户名").fill(USERNAME)
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/", timeout=TIMEOUT)
    expect(page.locator(".who")).to_contain_text("王建国")


def start_application(page: Page, base: str) -> int:
    page.goto(f"{base}/applications/mine/")
    expect(page.get_by_role("heading", name="我的申报")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("鄂托克前旗旗长质量奖")).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("button", name="开始申报").click()
    page.wait_for_url(re.compile(r".*/applications/\d+/edit/profile/$"), timeout=TIMEOUT)
    expect(page.get_by_role("status").filter(has_text="已创建申报草稿")).to_be_visible(
        timeout=TIMEOUT
    )
    return int(re.search(r"/applications/(\d+)/edit/", page.url).group(1))


def fill_sections(page: Page, base: str, pk: int) -> None:
    year = today().year

    # 申报单位简介与联系人
    assert len(SUMMARY) >= 50
    page.get_by_label("申报单位简介").fill(SUMMARY)
    page.get_by_label("联系人", exact=True).fill("王建国")
    page.get_by_label("联系人手机").fill("13987654321")
    save_and_continue(page, base, pk, "indicators")

    # 近两年主要指标: one row per year (the inputs sit in a table, found by their names).
    expect(page.get_by_role("heading", name="近两年主要指标")).to_be_visible(timeout=TIMEOUT)
    rows = {
        year - 2: ("58000000", "4200000.50", "3100000", "99.2"),
        year - 1: ("63500000.00", "-150000", "3350000", "99.5"),
    }
    for y, (revenue, profit, tax, rate) in rows.items():
        page.locator(f"input[name='revenue_{y}']").fill(revenue)
        page.locator(f"input[name='profit_{y}']").fill(profit)
        page.locator(f"input[name='tax_{y}']").fill(tax)
        page.locator(f"input[name='quality_pass_rate_{y}']").fill(rate)
    save_and_continue(page, base, pk, "management_systems")

    # 管理体系认证: the first certificate, valid beyond today.
    certificate = page.get_by_role("group", name="证书 1")
    certificate.get_by_label("标准").fill("GB/T 19001-2016")
    certificate.get_by_label("证书编号").fill("00123Q45678R2M")
    certificate.get_by_label("发证机构").fill("中国质量认证中心")
    certificate.get_by_label("有效期至").fill((today() + dt.timedelta(days=400)).isoformat())
    save_and_continue(page, base, pk, "innovation_brand")

    # 自主创新与品牌
    page.get_by_label("自主创新情况").fill(INNOVATION)
    page.get_by_label("品牌建设情况").fill(BRAND)
    save_and_continue(page, base, pk, "self_evaluation")


def fill_self_evaluation(page: Page, base: str, pk: int) -> None:
    total = page.locator("#self-total")
    expect(total).to_have_text("0.0", timeout=TIMEOUT)
    selects = page.locator("select.percent")
    count = selects.count()
    assert count == 23, count  # GB/T 19580-2012: 23 scored items
    first_points = int(selects.first.get_attribute("data-points"))
    selects.first.select_option("60")
    # The running total is the browser's own sum, before anything is saved.
    expect(total).to_have_text(f"{first_points * 0.6:.1f}", timeout=TIMEOUT)
    for i in range(1, count):
        selects.nth(i).select_option("60")
    expect(total).to_have_text("600.0", timeout=TIMEOUT)
    # The comment boxes carry no label of their own: found by the row of their item.
    first_row = page.get_by_role("row").filter(has=page.get_by_role("combobox")).first
    first_row.locator("textarea").fill(COMMENT)
    save_and_continue(page, base, pk, "evidence")

    # Saved: back on the section, the server's total agrees with the browser's and nothing is
    # missing any more. This is the picture of the section in the README.
    page.get_by_role("link", name="自我评价").click()
    page.wait_for_url(f"{base}/applications/{pk}/edit/self_evaluation/", timeout=TIMEOUT)
    expect(page.locator("#self-total")).to_have_text("600.0", timeout=TIMEOUT)
    expect(page.locator("select.percent").last).to_have_value("60")
    expect(page.locator("textarea").first).to_have_value(COMMENT)
    expect(page.locator("ul.checklist")).to_have_count(0)
    expect(page.get_by_role("link", name="自我评价")).to_have_class(re.compile(r"\bcomplete\b"))
    page.screenshot(path=str(DOCS / "screenshot-self-evaluation.png"), full_page=True)
    page.get_by_role("link", name="实证材料").click()
    page.wait_for_url(f"{base}/applications/{pk}/edit/evidence/", timeout=TIMEOUT)


def upload_evidence(page: Page, base: str, pk: int, tmp_path: Path) -> None:
    expect(page.get_by_role("heading", name="实证材料", exact=True)).to_be_visible(timeout=TIMEOUT)
    disguised = tmp_path / "x.pdf"
    disguised.write_bytes(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120)
    page.get_by_label("材料类别").select_option(label="管理体系")
    page.get_by_label("文件", exact=True).set_input_files(str(disguised))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_role("alert").filter(has_text="内容不是允许的格式")).to_be_visible(
        timeout=TIMEOUT
    )
    expect(page.get_by_role("link", name="x.pdf")).to_have_count(0)

    certificate = tmp_path / "质量管理体系认证证书.pdf"
    certificate.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )
    page.get_by_label("材料类别").select_option(label="管理体系")
    page.get_by_label("文件", exact=True).set_input_files(str(certificate))
    page.get_by_role("button", name="上传").click()
    page.wait_for_url(f"{base}/applications/{pk}/edit/evidence/", timeout=TIMEOUT)
    expect(page.get_by_role("status").filter(has_text="已上传")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("link", name="质量管理体系认证证书.pdf")).to_be_visible(timeout=TIMEOUT)
    # Every section is now complete.
    expect(page.locator(".section-nav a.complete")).to_have_count(6, timeout=TIMEOUT)


def submit(page: Page, base: str, pk: int) -> None:
    page.get_by_role("navigation", name="申报表各部分").get_by_role(
        "link", name="提交", exact=True
    ).click()
    page.wait_for_url(f"{base}/applications/{pk}/submit/", timeout=TIMEOUT)
    expect(page.get_by_text("各部分已填写完整")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("自评合计：600.0 分")).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("button", name="确认提交").click()
    page.wait_for_url(f"{base}/applications/{pk}/", timeout=30_000)  # renders the PDF eagerly
    expect(page.get_by_role("status").filter(has_text="申报已提交")).to_be_visible(timeout=TIMEOUT)


def test_enterprise_registers_fills_in_and_submits(journey_data, live_server, page, tmp_path):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})  # the README's screenshots

    register(page, base)
    pk = start_application(page, base)
    fill_sections(page, base, pk)
    fill_self_evaluation(page, base, pk)
    upload_evidence(page, base, pk, tmp_path)
    submit(page, base, pk)

    # The detail page: submitted, frozen, waiting for the two recommendations.
    expect(page.locator(".card-head .badge")).to_have_text("已提交", timeout=TIMEOUT)
    timeline = page.locator("ol.timeline")
    expect(timeline).to_be_visible(timeout=TIMEOUT)
    expect(timeline.locator("li.step")).to_have_count(8)
    expect(timeline.locator("li.step.done")).to_contain_text("申报")
    current = timeline.locator("li[aria-current='step']")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("推荐")
    expect(page.get_by_text("等待行业主管部门和质量强旗工作领导小组签署推荐意见")).to_be_visible()
    expect(page.get_by_role("link", name="继续填写")).to_have_count(0)
    expect(page.get_by_role("link", name="质量管理体系认证证书.pdf")).to_be_visible()
    page.screenshot(path=str(DOCS / "screenshot-application.png"), full_page=True)

    # And the database agrees with what the browser showed.
    app = Application.objects.get(pk=pk)
    assert app.status == "submitted"
    assert app.organisation.uscc == VALID_USCC
    assert app.cycle == journey_data["cycle"]
    assert app.versions.count() == 1
    assert app.documents.filter(removed_at=None).count() == 1
    assert [row["percent"] for row in app.self_evaluation] == [60] * 23
