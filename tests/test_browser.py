"""Every page of the site in Debian's chromium (Playwright): no WCAG 2.0/2.1 A
or AA violation (axe-core, light and dark colour mode), nothing loaded from
any host but this site, the interview player only after a click or a key
press, the exercise widgets rendered from their saved state without a
kernel, and a working Swedish search.

The pages come from _toc.yml (see sitepages.py): a new chapter or exercise is
tested as soon as it is in the table of contents.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, Route

from sitepages import GENERATED_PAGES, REPO, InterviewUse, exercise_docs, interview_uses, toc_pages

pytestmark = pytest.mark.browser

AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The WCAG rules whose result depends on colours (checked again in dark mode).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
PAGES = toc_pages() + list(GENERATED_PAGES)
LOCAL_HOST = "127.0.0.1"
VIEW_TYPE = "application/vnd.jupyter.widget-view+json"
STATE_TYPE = "application/vnd.jupyter.widget-state+json"
VIEW_SCRIPT = f'script[type="{VIEW_TYPE}"]'
THIRD_PARTY_VIDEO = re.compile(r"(youtube|youtube-nocookie|ytimg|googlevideo|google|gstatic|doubleclick|ggpht)\.")


class Visit:
    """A page opened on the local site, with every request recorded and every
    request to another host stopped before it leaves the machine."""

    def __init__(self, page: Page, site_url: str) -> None:
        self.page = page
        self.site_url = site_url
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.failed: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("response", lambda response: response.status >= 400 and self.failed.append(f"{response.status} {response.url}"))
        page.route("**/*", self._route)

    def _route(self, route: Route) -> None:
        if urlsplit(route.request.url).hostname == LOCAL_HOST:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def open(self, path: str) -> Page:
        self.page.goto(f"{self.site_url}/{path}", wait_until="networkidle")
        if self.page.locator(VIEW_SCRIPT).count():
            # The course's widget runtime marks the page when every tool is drawn.
            self.page.wait_for_selector("html[data-regionkurs-widgets=ready]", state="attached", timeout=20_000)
        return self.page

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).hostname not in (LOCAL_HOST, None)
                and not url.startswith(("data:", "blob:", "about:"))]


@pytest.fixture
def visit(page: Page, site_url: str) -> Visit:
    return Visit(page, site_url)


def axe_violations(page: Page, rules: list[str] | None = None) -> list[dict]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page (or only ``rules``)."""
    page.add_script_tag(path=str(AXE_JS))
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_TAGS}
    return page.evaluate(
        """async runOnly => {
            const result = await axe.run(document, {runOnly, resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }""",
        run_only,
    )


@dataclass
class PageReport:
    """What one visit to a page found (light mode, then the same page in dark mode)."""

    lang: str | None
    foreign: list[str]
    failed: list[str]
    violations: list[dict]
    dark_violations: list[dict]


class SiteReports:
    """Visits each page once, lazily, and keeps the findings for the tests below."""

    def __init__(self, browser: Browser, site_url: str) -> None:
        self.browser = browser
        self.site_url = site_url
        self.reports: dict[str, PageReport] = {}

    def __getitem__(self, path: str) -> PageReport:
        if path not in self.reports:
            self.reports[path] = self._visit(path)
        return self.reports[path]

    def _visit(self, path: str) -> PageReport:
        context = self.browser.new_context(color_scheme="light")
        try:
            visit = Visit(context.new_page(), self.site_url)
            page = visit.open(path)
            lang = page.locator("html").get_attribute("lang")
            violations = axe_violations(page)
            foreign, failed = visit.foreign_requests(), list(visit.failed)
            # Visitors whose computer prefers dark get the theme's dark mode:
            # only colours change, so only the colour rules run again.
            page.emulate_media(color_scheme="dark")
            visit.open(path)
            dark = axe_violations(page, COLOUR_RULES)
            return PageReport(lang, foreign, failed, violations, dark)
        finally:
            context.close()


@pytest.fixture(scope="session")
def site_reports(browser: Browser, site_url: str) -> SiteReports:
    return SiteReports(browser, site_url)


def _describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations)


# --- every page -----------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_wcag_violation(site_reports: SiteReports, path: str):
    violations = site_reports[path].violations
    assert not violations, f"{path}:\n{_describe(violations)}"


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_contrast_problem_in_dark_mode(site_reports: SiteReports, path: str):
    violations = site_reports[path].dark_violations
    assert not violations, f"{path} (dark mode):\n{_describe(violations)}"


@pytest.mark.parametrize("path", PAGES)
def test_page_is_swedish_and_loads_only_from_this_site(site_reports: SiteReports, path: str):
    report = site_reports[path]
    assert report.lang == "sv"
    assert not report.foreign, f"{path} asks other hosts for: {report.foreign}"
    assert not report.failed, f"{path}: requests that failed: {report.failed}"


# --- the interview player -----------------------------------------------------

INTERVIEWS = [(use, index) for doc in dict.fromkeys(u.doc for u in interview_uses())
              for index, use in enumerate(u for u in interview_uses() if u.doc == doc)]
# The mouse on every block (each has its own video and times); the keys on the
# first (the button and its script are the same on every page).
INTERVIEW_CASES = [(*case, "mouse") for case in INTERVIEWS] + [(*INTERVIEWS[0], key) for key in ("Enter", "Space")]


@pytest.mark.parametrize(("use", "index", "how"), INTERVIEW_CASES,
                         ids=lambda v: v.doc if isinstance(v, InterviewUse) else str(v))
def test_interview_player_loads_only_after_the_visitor_asks(visit: Visit, use: InterviewUse, index: int, how: str):
    page = visit.open(f"{use.doc}.html")
    block = page.locator(".intervju").nth(index)
    assert block.locator("iframe").count() == 0
    assert not [u for u in visit.requests if THIRD_PARTY_VIDEO.search(urlsplit(u).hostname or "")], \
        "YouTube or Google was contacted before the click"
    button = block.get_by_role("button", name="Spela upp intervjun (visas från YouTube)")
    if how == "mouse":
        button.click()
    else:
        button.focus()
        page.keyboard.press(how)
    frame = block.locator("iframe")
    frame.wait_for(state="attached", timeout=5_000)
    src = frame.get_attribute("src")
    assert src.startswith(f"https://www.youtube-nocookie.com/embed/{use.youtube_id}?"), src
    params = parse_qs(urlsplit(src).query)
    assert params.get("start") == ([str(use.start)] if use.start else None)
    assert params.get("end") == ([str(use.end)] if use.end else None)
    assert (frame.get_attribute("title") or "").startswith("Intervju: ")
    assert page.evaluate("document.activeElement.tagName") == "IFRAME", "focus should move to the player"
    page.wait_for_timeout(200)
    assert visit.blocked and urlsplit(visit.blocked[0]).hostname == "www.youtube-nocookie.com", visit.blocked


# --- the exercise widgets -------------------------------------------------------

def _text(value: str) -> str:
    return " ".join(value.replace("\xa0", " ").split())


def saved_widgets(html: str) -> list[dict]:
    """The saved widget models a page displays (one per view)."""
    soup = BeautifulSoup(html, "html.parser")
    script = soup.find("script", type=STATE_TYPE)
    if script is None:
        return []
    state = json.loads(script.string)["state"]
    return [state[json.loads(s.string)["model_id"]] for s in soup.find_all("script", type=VIEW_TYPE)]


@pytest.mark.parametrize("doc", exercise_docs(), ids=lambda d: d.split("/")[-1])
def test_exercise_tools_are_drawn_from_saved_state(visit: Visit, built_site: Path, doc: str):
    """Every view on the page is one of the course's anywidget tools, and the runtime draws each one."""
    models = saved_widgets((built_site / f"{doc}.html").read_text(encoding="utf-8"))
    assert models, f"{doc}: no saved widget state on the page"
    assert {m["model_module"] for m in models} == {"anywidget"}, f"{doc}: a tool that only the widget manager could draw"
    page = visit.open(f"{doc}.html")
    assert page.locator(".rk-widget > .rk-tool").count() == len(models)
    assert page.get_by_text("kunde inte visas").count() == 0
    labels = page.evaluate("() => Array.from(document.querySelectorAll('.rk-tool label, .rk-tool legend')).map(l => l.textContent)")
    for model in models:
        label = model["state"].get("label")
        if label:
            assert any(text.startswith(label) for text in labels), f"{doc}: no field labelled {label!r}"


# --- Swedish search ----------------------------------------------------------------

def test_search_finds_pages_for_a_swedish_word(visit: Visit, built_site: Path):
    """Search for the longest word of the first chapter's title (indexed and looked up
    with the Swedish stemmer); the result and its messages are Swedish."""
    chapter = next(p for p in toc_pages() if p.startswith("chapters/"))
    title = BeautifulSoup((built_site / chapter).read_text(encoding="utf-8"), "html.parser").find("h1").get_text(" ", strip=True)
    word = max(re.findall(r"[^\W\d_]+", title), key=len).casefold()
    page = visit.open(f"search.html?q={quote(word)}")
    page.wait_for_function("() => document.querySelector('#search-results .search-summary')?.innerText", timeout=30_000)
    results = page.locator("#search-results ul.search > li > a")
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(chapter in href for href in hrefs), f"searching {word!r} did not find {chapter}: {hrefs}"
    count = page.locator("#search-results ul.search > li").count()
    raw = (built_site / "_static" / "translations.js").read_text(encoding="utf-8")
    swedish = json.loads(raw[raw.index("(") + 1: raw.rindex(")")])["messages"][
        "Search finished, found ${resultCount} page(s) matching the search query."]
    summary = page.locator("#search-results .search-summary").inner_text()
    assert swedish and summary == swedish.replace("${resultCount}", str(count)), summary
    assert page.locator("#search-results h2").inner_text().startswith("Sökresultat")
