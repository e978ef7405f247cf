"""Every page of the built site, light and fast (issue 13), in Debian's chromium:

- Reflow (WCAG 2.1 1.4.10): at a 320 CSS px window, with every hidden block
  opened, no page scrolls sideways; a box that scrolls on its own (code,
  tables, outputs) has a tab stop and a name.
- Weight: the first visit's transfer, served compressed as ``make serve``
  does, stays within a fixed budget: one third of a default Jupyter Book 1
  page as measured for ../shared/DESIGN.md (text page 0.73 MB gzip, page
  with widgets 1.77 MB gzip). The ratio to a default build of the same pages,
  built in the same run, is measured by ``benchmarks/pages.py`` (it needs a
  second build and Lighthouse: minutes, not a test).
- No page loads fontawesome.js, and only the search page loads the search
  index and scripts.
- A page with tools loads each tool's module and style sheet once, from a
  file of its own (not from the page's saved state).

One page load per page (in a 320 px window) serves all of these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser

from sitepages import GENERATED_PAGES, toc_pages

pytestmark = pytest.mark.browser

PAGES = toc_pages() + list(GENERATED_PAGES)
WIDTH = 320
KB = 1000
# One third of the default Jupyter Book 1 page, compressed (DESIGN.md).
BUDGET_TEXT_PAGE = 730 * KB // 3
BUDGET_WIDGET_PAGE = 1770 * KB // 3
SEARCH_FILES = ("searchindex.js", "_static/searchtools.js", "_static/language_data.js")

# Elements that reach past the window's right edge and are not inside a box
# that clips or scrolls them (those are the ones that make the page scroll).
_MEASURE = """() => {
  for (const d of document.querySelectorAll('details')) d.open = true;
  const width = document.documentElement.clientWidth;
  const clipped = el => {
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if ((r.width || r.height) && r.right > width + 1 && !clipped(el) && getComputedStyle(el).visibility !== 'hidden'
        && !el.closest('.bd-sidebar-primary, .bd-sidebar-secondary')) {
      wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (right edge ${Math.round(r.right)} px): `
                + (el.textContent || '').trim().slice(0, 50));
    }
  }
  const boxes = [];
  for (const el of document.querySelectorAll('#main-content *')) {
    const style = getComputedStyle(el);
    // A box holding links or controls is reached by tabbing to them (as axe's
    // scrollable-region-focusable has it): the side drawer with the page's contents.
    const focusable = el.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])');
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0
        && !focusable) {
      boxes.push({what: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`, tabindex: el.getAttribute('tabindex'),
                  role: el.getAttribute('role'), name: (el.getAttribute('aria-label') || '').trim()});
    }
  }
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
  return {
    scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10), boxes,
    resources: entries.map(e => ({url: e.name, encoded: e.encodedBodySize, decoded: e.decodedBodySize})),
    widgets: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
  };
}"""


@dataclass
class PageFacts:
    scroll_width: int
    width: int
    wide: list[str]
    boxes: list[dict]
    resources: list[dict]
    widgets: int
    encodings: dict[str, str] = field(default_factory=dict)

    @property
    def transfer(self) -> int:
        return sum(r["encoded"] for r in self.resources)

    @property
    def decoded(self) -> int:
        return sum(r["decoded"] for r in self.resources)


class PageVisits:
    """Opens each page once, lazily, in a 320 px window; keeps what it measured."""

    def __init__(self, browser: Browser, site_url: str) -> None:
        self.browser = browser
        self.site_url = site_url
        self.facts: dict[str, PageFacts] = {}

    def __getitem__(self, path: str) -> PageFacts:
        if path not in self.facts:
            self.facts[path] = self._visit(path)
        return self.facts[path]

    def _visit(self, path: str) -> PageFacts:
        context = self.browser.new_context(viewport={"width": WIDTH, "height": 640})
        try:
            page = context.new_page()
            encodings: dict[str, str] = {}
            page.on("response", lambda r: encodings.__setitem__(r.url, r.headers.get("content-encoding", "")))
            page.goto(f"{self.site_url}/{path}", wait_until="networkidle")
            if page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count():
                # The course's widget runtime marks the page when every tool is drawn.
                page.wait_for_selector("html[data-regionkurs-widgets=ready]", state="attached", timeout=20_000)
            # regionkurs-scrollbox.js marks the boxes once the page is idle, and
            # again 200 ms after a change (opening the <details> below).
            page.wait_for_selector("html[data-rk-scrollboxes]", state="attached", timeout=10_000)
            data = page.evaluate(_MEASURE)
            page.wait_for_timeout(400)
            data["boxes"] = page.evaluate(_MEASURE)["boxes"]
            return PageFacts(data["scrollWidth"], data["width"], data["wide"], data["boxes"],
                             data["resources"], data["widgets"], encodings)
        finally:
            context.close()


@pytest.fixture(scope="session")
def page_visits(browser: Browser, site_url: str) -> PageVisits:
    return PageVisits(browser, site_url)


@pytest.mark.parametrize("path", PAGES)
def test_page_does_not_scroll_sideways_at_320_px(page_visits: PageVisits, path: str):
    facts = page_visits[path]
    assert facts.width == WIDTH
    assert facts.scroll_width <= WIDTH, (
        f"{path} is {facts.scroll_width} px wide at {WIDTH} px; too wide:\n" + "\n".join(facts.wide))


@pytest.mark.parametrize("path", PAGES)
def test_boxes_that_scroll_are_reachable_by_keyboard_and_named(page_visits: PageVisits, path: str):
    bad = [box for box in page_visits[path].boxes
           if box["tabindex"] != "0" or not box["name"] or box["role"] not in ("region", "group")]
    assert not bad, f"{path}: boxes that scroll without a tab stop, role or name: {bad}"


@pytest.mark.parametrize("path", PAGES)
def test_first_visit_transfer_is_within_a_third_of_a_default_page(page_visits: PageVisits, path: str):
    facts = page_visits[path]
    budget = BUDGET_WIDGET_PAGE if facts.widgets else BUDGET_TEXT_PAGE
    heaviest = sorted(facts.resources, key=lambda r: -r["encoded"])[:5]
    message = (f"{path}: {facts.transfer / KB:.0f} kB compressed (budget {budget / KB:.0f} kB); heaviest: "
               + ", ".join(f"{r['url'].split('?')[0].rsplit('/', 1)[-1]} {r['encoded'] / KB:.0f} kB" for r in heaviest))
    assert facts.transfer <= budget, message


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_no_icon_script_and_search_files_only_on_the_search_page(page_visits: PageVisits, path: str):
    urls = [r["url"].split("?")[0] for r in page_visits[path].resources]
    assert not [u for u in urls if u.endswith("/fontawesome.js")], f"{path} loads fontawesome.js"
    search = [u for u in urls if u.endswith(SEARCH_FILES)]
    if path == "search.html":
        assert len(search) == len(SEARCH_FILES), f"the search page should load {SEARCH_FILES}, loaded {search}"
    else:
        assert not search, f"{path} loads search files: {search}"


@pytest.mark.parametrize("path", PAGES)
def test_text_files_arrive_compressed(page_visits: PageVisits, path: str):
    facts = page_visits[path]
    plain = [r["url"] for r in facts.resources
             if r["encoded"] >= 1024 and r["url"].split("?")[0].endswith((".html", ".js", ".css"))
             and facts.encodings.get(r["url"], "") not in ("br", "gzip")]
    assert not plain, f"{path}: text files sent uncompressed: {plain}"


@pytest.mark.parametrize("path", PAGES)
def test_tool_modules_come_from_files_once_each(page_visits: PageVisits, path: str):
    facts = page_visits[path]
    urls = [r["url"].split("?")[0] for r in facts.resources]
    tools = [u for u in urls if u.rsplit("/", 1)[-1].startswith("tool-")]
    assert not [u for u in urls if u.startswith("blob:")], f"{path}: a tool module was read from the page itself"
    assert len(tools) == len(set(tools)), f"{path}: a tool file loaded more than once: {tools}"
    if facts.widgets:
        assert [u for u in tools if u.endswith(".js")] and [u for u in tools if u.endswith(".css")], \
            f"{path}: {facts.widgets} tools, but no tool module or style sheet loaded: {urls}"
    else:
        assert not tools, f"{path} has no tools but loads {tools}"
