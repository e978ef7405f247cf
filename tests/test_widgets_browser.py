"""The toolkit's widgets on the static site (chromium): rendered from saved state, charts with text
alternatives and data tables, labelled controls usable by keyboard, no journal content published."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def exercise(page: Page, site_url: str) -> Page:
    page.goto(f"{site_url}/exercises/f01.html", wait_until="networkidle")
    page.wait_for_selector(".jupyter-widgets select", timeout=20_000)
    return page


def _chosen(select) -> str:
    """The visible text of a select's chosen option (the widget shows spaces as no-break spaces)."""
    return select.evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ")


def test_case_explorer_chart_has_alt_text_and_a_data_table(exercise: Page):
    chart = exercise.locator("img[alt^='Stapeldiagram: Folkmängd 31 december 2023']")
    expect(chart).to_have_count(1)
    alt = chart.get_attribute("alt")
    assert "Örebro län är markerat med ränder och pil: 308 116 invånare, plats 8 av 21" in alt
    assert chart.evaluate("img => img.complete && img.naturalWidth > 300")
    table = exercise.locator("details:has(summary:text('Visa siffrorna för alla län i en tabell')) table")
    expect(table.locator("th[scope=row]")).to_have_count(22)
    exercise.get_by_text("Visa siffrorna för alla län i en tabell").click()
    expect(table.get_by_text("Örebro län (valt län)")).to_be_visible()
    expect(exercise.get_by_text("Fall från Örebro län i kursen")).to_be_visible()


def test_controls_are_found_by_their_swedish_labels_and_work_by_keyboard(exercise: Page):
    region = exercise.get_by_label("Län:", exact=True)
    indicator = exercise.get_by_label("Uppgift:", exact=True)
    assert _chosen(region) == "Örebro län"
    for number in range(1, 15):
        rating = exercise.get_by_label(f"Nivå för faktor {number}:", exact=True)
        assert _chosen(rating) == "Välj nivå"
    indicator.focus()
    exercise.keyboard.press("ArrowDown")
    assert _chosen(indicator) == "Landareal 1 januari 2024"
    text = exercise.get_by_label("Min journal, faktor 1:", exact=True)
    text.focus()
    exercise.keyboard.type("Prov")
    expect(text).to_have_value("Prov")
    expect(exercise.get_by_role("button", name="Exportera journalen som webbsida (HTML)")).to_be_visible()


def test_no_journal_is_published_and_the_page_says_so(exercise: Page):
    text = exercise.get_by_label("Min journal, faktor 1:", exact=True)
    expect(text).to_have_value("")
    expect(exercise.get_by_text("Här sparas ingenting: på webbplatsen").first).to_be_visible()
    radar = exercise.locator("img[alt^='Radardiagram']")
    assert "Du har inte bedömt någon faktor än" in radar.get_attribute("alt")
