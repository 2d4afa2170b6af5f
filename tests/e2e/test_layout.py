"""What each person sees, on a desktop (1,366 px) and on a phone (390 px): every role walks its
task from the landing page, and on every page

- nothing is wider than the screen (a table may scroll inside its `.table-wrap`, nothing else);
- no raw code shows: no `field（value）`, no `→ status`, no JSON;
- in Chinese no English word shows outside a short allow-list (abbreviations, e-mail addresses,
  the demo usernames, the English language switch);
- every date input shows the date it was saved with (issue 11)."""

import os
import re
import tempfile
from pathlib import Path

import pytest

from demo.world import ORGANISATIONS, STAFF, load_demo, password_for
from tests.factories import default_criteria_set

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = ((1366, 768), (390, 844))

# As in test_intake_journey: the README's screenshots are refreshed only with SCREENSHOTS=1.
DOCS = (
    Path(__file__).resolve().parents[2] / "docs"
    if os.environ.get("SCREENSHOTS") == "1"
    else Path(tempfile.mkdtemp(prefix="award-portal-shots-"))
)

RAW_CODE = (re.compile(r"[a-z_]+（[a-z_]+）"), re.compile(r"→ [a-z_]+"), re.compile(r"\{\""))
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
ALLOWED_WORDS = {
    "PDF",
    "USCC",
    "GB",
    "XLSX",
    "DOCX",
    "JPEG",
    "PNG",
    "API",
    "ID",
    "CSV",
    "ISO",
    "QR",
}
ALLOWED_WORDS |= {"SHA", "MB", "KB", "AAA", "AA"}
ALLOWED_WORDS |= {u for u, *_ in STAFF} | {u for u, *_ in ORGANISATIONS}

# What the browser measures: elements that reach past the right edge of the viewport, except
# inside a table frame (which scrolls sideways, with its cue), and the date inputs whose shown
# value is not the saved one.
MEASURE = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.table-wrap') && !el.classList.contains('table-wrap')) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 1 && box.right > width + 1) {
      wide.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(box.right)} px): `
        + (el.textContent || '').trim().slice(0, 30));
    }
  }
  const dates = [...document.querySelectorAll('input[type=date][value]')]
    .filter(i => i.value !== i.getAttribute('value'))
    .map(i => `${i.name}: shows "${i.value}", saved "${i.getAttribute('value')}"`);
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('script, style, code, kbd, [lang=en], input').forEach(e => e.remove());
  return {
    scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5), dates,
    // e-mail and web addresses, file names, and codes with a digit (ETKQQ-2025-0001, expert4).
    words: copy.textContent.replace(/\\S+@\\S+/g, ' ').replace(/https?:\\/\\/\\S+/g, ' ')
      .replace(/[^\\s：:]+\\.(pdf|png|jpe?g|docx?|xlsx?|csv|zip)\\b/gi, ' ')
      .replace(/[\\w.-]*\\d[\\w.-]*/g, ' '),
  };
}"""


def _login(page, base: str, username: str | None) -> None:
    page.context.clear_cookies()
    if username is None:
        return
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password_for(username))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def _problems(page, url: str) -> list[str]:
    """What is wrong with the page at ``url`` at either width."""
    found = []
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(url)
        where = f"{url} @ {width}px"
        if response is None or response.status != 200:
            found.append(f"{where}: HTTP {response.status if response else '?'}")
            continue
        seen = page.evaluate(MEASURE)
        if seen["scrollWidth"] > seen["width"]:
            found.append(f"{where}: the page scrolls sideways ({seen['scrollWidth']} px)")
        found += [f"{where}: too wide: {w}" for w in seen["wide"]]
        found += [f"{where}: date input {d}" for d in seen["dates"]]
        if width == WIDTHS[0][0]:  # the text is the same at both widths
            text = page.inner_text("main")
            found += [
                f"{where}: raw code {m.group(0)!r}" for rx in RAW_CODE for m in rx.finditer(text)
            ]
            english = set(ENGLISH_WORD.findall(seen["words"])) - ALLOWED_WORDS
            if english:
                found.append(f"{where}: English words {sorted(english)}")
    return found


def _first_link(page, base: str, url: str, pattern: str) -> str:
    """The first link on ``url`` whose address matches ``pattern`` (how a person goes on)."""
    page.goto(base + url)
    for href in page.eval_on_selector_all(
        "main a[href]", "els => els.map(a => a.getAttribute('href'))"
    ):
        if re.fullmatch(pattern, href):
            return href
    raise AssertionError(f"no link like {pattern} on {url}")


@pytest.fixture
def demo(live_server):
    default_criteria_set()
    return load_demo(stage="awarded")


def _walk(page, base: str, username: str | None, urls: list) -> list[str]:
    """Log in, then open each page; an entry (url, pattern) follows that page's first matching
    link, as the person would."""
    _login(page, base, username)
    found = []
    for entry in ["/", *urls]:
        url = _first_link(page, base, *entry) if isinstance(entry, tuple) else entry
        found += _problems(page, base + url)
    return found


def _applications():
    from applications.models import Application

    return {
        (a.organisation.name, a.cycle.year): a
        for a in Application.objects.select_related("organisation", "cycle")
    }


def test_the_public_reads_the_registry_publicity_and_a_verification(demo, live_server, page):
    from awards.models import Award

    award = Award.objects.order_by("pk").first()
    urls = ["/awards/", "/publicity/", "/announcements/", "/exposures/", f"/verify/{award.code}/"]
    urls += ["/accounts/login/", "/accounts/register/"]
    assert _walk(page, live_server.url, None, urls) == []
    # On a phone each award is a card: its status and the verification link are on screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/awards/")
    row = page.locator("main tbody tr").first
    for label in ("状态", "核验"):
        cell = row.locator(f"td[data-label='{label}']")
        box = cell.bounding_box()
        assert cell.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 390, label


def test_on_a_phone_the_header_is_a_menu_that_opens_without_javascript(live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    registry = page.locator(".main-nav").get_by_role("link", name="获奖名录")
    assert registry.is_hidden()
    page.get_by_text("菜单").click()
    assert registry.is_visible()
    assert page.get_by_role("button", name="English").is_visible()
    assert page.locator(".account").get_by_role("link", name="登录").is_visible()
    page.set_viewport_size({"width": 1366, "height": 768})
    page.reload()
    assert page.get_by_text("菜单").is_hidden()
    assert page.locator(".main-nav").get_by_role("link", name="获奖名录").is_visible()
    context.close()


def test_the_enterprise_follows_its_application(demo, live_server, page):
    apps = _applications()
    draft = apps[("鄂托克前旗绿原乳业有限公司", demo.cycle.year)]
    awarded = apps[("鄂托克前旗绿原乳业有限公司", demo.cycle.year - 1)]
    urls = ["/applications/mine/", f"/applications/{draft.pk}/"]
    urls += [(f"/applications/{draft.pk}/", rf"/applications/{draft.pk}/edit/[\w-]+/")]
    urls += [f"/applications/{awarded.pk}/", "/organisations/mine/", "/notifications/"]
    found = _walk(page, live_server.url, "greenmilk", urls)
    # A date saved in a section comes back in its date input.
    systems = f"{live_server.url}/applications/{draft.pk}/edit/management_systems/"
    page.goto(systems)
    page.fill("#id_ms-0-standard", "GB/T 19001-2016")
    page.fill("#id_ms-0-certificate_no", "00124Q31256R2M")
    page.fill("#id_ms-0-issuer", "中国质量认证中心")
    page.fill("#id_ms-0-valid_until", "2028-06-30")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()
    found += _problems(page, systems)
    assert page.input_value("#id_ms-0-valid_until") == "2028-06-30"
    assert found == []


def test_the_office_takes_in_reviews_and_keeps_the_awards(demo, live_server, page):
    apps = _applications()
    awarded = apps[("鄂托克前旗绿原乳业有限公司", demo.cycle.year - 1)]
    last_year = awarded.cycle_id
    urls = ["/applications/office/", f"/applications/{awarded.pk}/", "/organisations/"]
    urls += ["/review/", f"/review/cycles/{last_year}/", f"/review/applications/{awarded.pk}/"]
    urls += ["/review/experts/", ("/review/experts/", r"/review/experts/\d+/")]
    urls += ["/awards/office/", ("/awards/office/", r"/awards/\d+/")]
    assert _walk(page, live_server.url, "office", urls) == []


def test_the_expert_opens_its_assignments(live_server, page):
    # Last year's cycle stopped in the review, so the expert has applications to score.
    default_criteria_set()
    load_demo(stage="review")
    urls = ["/review/assignments/", ("/review/assignments/", r"/review/assignments/\d+/")]
    urls += ["/notifications/"]
    assert _walk(page, live_server.url, "expert1", urls) == []


def test_the_committee_reads_the_ranking(demo, live_server, page):
    last_year = _applications()[("鄂托克前旗绿原乳业有限公司", demo.cycle.year - 1)].cycle_id
    urls = ["/review/", f"/review/cycles/{last_year}/ranking/", "/awards/office/"]
    assert _walk(page, live_server.url, "committee", urls) == []


def test_the_government_approves_announcements(demo, live_server, page):
    urls = ["/approvals/", "/awards/office/", "/honours/overview/"]
    assert _walk(page, live_server.url, "government", urls) == []


def test_the_supervisor_reads_everything(demo, live_server, page):
    hospital = _applications()[("鄂托克前旗人民医院", demo.cycle.year - 1)]
    urls = ["/applications/office/", f"/applications/{hospital.pk}/", "/review/"]
    urls += ["/awards/office/", "/review/experts/", ("/review/experts/", r"/review/experts/\d+/")]
    assert _walk(page, live_server.url, "supervisor", urls) == []


def test_the_recommender_opens_its_queue(demo, live_server, page):
    urls = ["/applications/recommend/", "/notifications/"]
    assert _walk(page, live_server.url, "recommender", urls) == []


def test_phone_screenshots_of_the_landing_page_a_timeline_and_the_registry(demo, live_server, page):
    """The README's phone views (written to docs/ only with SCREENSHOTS=1, as the desktop ones)."""
    awarded = _applications()[("鄂托克前旗绿原乳业有限公司", demo.cycle.year - 1)]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    page.screenshot(path=str(DOCS / "screenshot-phone-home.png"))
    page.goto(live_server.url + "/awards/")
    page.screenshot(path=str(DOCS / "screenshot-phone-registry.png"))
    _login(page, live_server.url, "greenmilk")
    page.goto(f"{live_server.url}/applications/{awarded.pk}/")
    page.locator(".timeline").first.scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS / "screenshot-phone-application.png"))
    for name in ("home", "registry", "application"):
        assert (DOCS / f"screenshot-phone-{name}.png").stat().st_size <= 200_000, name
