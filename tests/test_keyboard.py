"""What the accessibility statement promises about the keyboard: the interview
button, the self-check answers and the side menu work without a mouse."""

from __future__ import annotations

import pytest

from regionkurs.factors import load_factors

CHAPTER = load_factors().by_number(1).chapter
MAX_TABS = 300


def tab_to(page, selector: str) -> None:
    """Press Tab until the element matching ``selector`` has focus, as a keyboard user would."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("sel => document.activeElement && document.activeElement.matches(sel)", selector):
            return
    pytest.fail(f"{selector} cannot be reached with the Tab key")


@pytest.fixture
def chapter_page(page, site_url):
    # The player must never really load here: answer the embed with an empty page.
    page.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body="", content_type="text/html"))
    page.goto(f"{site_url}/{CHAPTER}.html")
    return page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("key", ["Enter", " "])
def test_the_interview_button_plays_the_film_from_the_keyboard(chapter_page, key):
    tab_to(chapter_page, ".intervju-knapp")
    chapter_page.keyboard.press(key)
    frame = chapter_page.locator(".intervju iframe").first
    frame.wait_for(state="attached", timeout=5000)
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")


@pytest.mark.browser
@pytest.mark.slow
def test_a_self_check_answer_opens_from_the_keyboard(chapter_page):
    selector = "article details.sd-dropdown > summary"
    answer = chapter_page.locator("article details.sd-dropdown").first
    assert answer.get_attribute("open") is None
    tab_to(chapter_page, selector)
    chapter_page.keyboard.press("Enter")
    assert answer.get_attribute("open") is not None
    assert answer.locator(".sd-summary-content").first.is_visible()


@pytest.mark.browser
@pytest.mark.slow
def test_the_side_menu_leads_to_the_course_overview_from_the_keyboard(page, site_url):
    page.goto(f"{site_url}/book/index.html")
    tab_to(page, 'nav.bd-docs-nav a[href$="oversikt.html"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/book/oversikt.html")
    assert page.locator("h1").first.inner_text().startswith("Kursöversikt")
