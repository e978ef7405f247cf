"""The exercise pages of the built site in Debian's chromium, with no kernel: every tool reacts to
its controls by keyboard alone, the journal round trip works (switch on, write, reload, export,
delete; the export's content is checked on its own), axe finds no WCAG 2.1 A/AA violation after the interaction, the page reflows at 320 CSS px
and no request leaves 127.0.0.1. The form's number rules are the same table as the grader's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from test_browser import axe_violations

from sitepages import exercise_docs

from regionkurs.factors import load_factors
from regionkurs.widgets import esm
from regionkurs.widgets.self_assessment import factor_data

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VECTORS = json.loads((Path(__file__).with_name("answer_vectors.json")).read_text(encoding="utf-8"))


def _open(page: Page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector("html[data-regionkurs-widgets=ready]", state="attached", timeout=20_000)


def _text(locator) -> str:
    return " ".join(locator.inner_text().replace("\xa0", " ").split())


def _at_end(select) -> bool:
    """True if the list shows its last option (the down arrow would change nothing)."""
    return select.evaluate("s => s.selectedIndex === s.options.length - 1")


@pytest.mark.parametrize("doc", exercise_docs(), ids=lambda d: d.split("/")[-1])
def test_every_tool_works_in_the_page_by_keyboard(page: Page, site_url: str, doc: str):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
    exercise = doc.split("/")[-1]
    number = int(exercise[1:])
    _open(page, f"{site_url}/{doc}.html")
    keyboard = page.keyboard

    # the case explorer: county and figure by keyboard change the value, rank, chart and cases
    region = page.get_by_label("Län:", exact=True)
    chart = page.locator(".rk-bars")
    summary = page.locator(".rk-summary")
    region.focus()
    before = (chart.get_attribute("aria-label"), _text(summary))
    keyboard.press("ArrowUp" if _at_end(region) else "ArrowDown")
    after = (chart.get_attribute("aria-label"), _text(summary))
    assert before[0] != after[0] and before[1] != after[1]
    chosen = region.evaluate("s => s.options[s.selectedIndex].text")
    assert after[1].startswith(chosen) and f"{chosen} är markerat" in after[0]
    assert re.search(r"Plats \d+ av 21 län|uppgift saknas", after[1]), after[1]
    expect(page.get_by_text(re.compile(f"^Fall från {chosen}"))).to_be_visible()
    keyboard.press("Tab")
    assert page.evaluate("document.activeElement.labels[0].textContent") == "Uppgift:"
    keyboard.press("ArrowUp" if _at_end(page.get_by_label("Uppgift:", exact=True)) else "ArrowDown")
    assert chart.get_attribute("aria-label") != after[0]
    page.get_by_text("Visa siffrorna för alla län i en tabell").click()
    expect(page.locator(".rk-explorer table th[scope=row]")).to_have_count(22)

    # the self-assessment: a level gives its text and moves the radar
    rating = page.get_by_label("Nivå för faktor 1:", exact=True)
    radar = page.locator(".rk-self-assessment .rk-radar")
    assert "Du har inte bedömt någon faktor än" in radar.get_attribute("aria-label")
    rating.focus()
    keyboard.press("ArrowDown")
    keyboard.press("ArrowDown")
    assert "Du har bedömt 1 av 14. Högst (2): faktor 1." in radar.get_attribute("aria-label")
    assert "Du har inte valt någon nivå än" not in _text(page.locator(".rk-factor").first)

    # the answer fields: Swedish numbers, feedback on the form only, next to the field
    numbers = page.locator(".rk-form input[type=text]")
    assert numbers.count() >= 1 or page.locator(".rk-form fieldset").count() >= 1
    for index in range(numbers.count()):
        field = numbers.nth(index)
        feedback = page.locator(f"#{field.get_attribute('aria-describedby')}")
        field.focus()
        keyboard.type("10 551 707")
        keyboard.press("Enter")
        assert _text(feedback).startswith("Svaret har rätt form: 10 551 707"), _text(feedback)
        field.fill("tolv")
        keyboard.press("Tab")  # to Kontrollera
        keyboard.press("Enter")
        assert _text(feedback).startswith("Inte klart: Skriv svaret med siffror"), _text(feedback)
        field.fill("")
        field.press("Enter")
        assert "Du har inte svarat än" in _text(feedback)
    for group in page.locator(".rk-form fieldset").all():
        radios = group.locator("input[type=radio]")
        radios.first.focus()
        keyboard.press("Space")
        keyboard.press("ArrowDown")
        assert radios.nth(1).is_checked()
        feedback = page.locator(f"#{group.get_attribute('aria-describedby')}")
        assert _text(feedback).startswith("Du har valt alternativ 2")
    reflection = page.get_by_label("Din reflektion", exact=True)
    reflection.fill("Min reflektion")
    expect(page.get_by_text("Texten sparas inte på webbplatsen förrän du slår på sparandet").first).to_be_visible()

    # the journal round trip: switch on, write, reload, export, delete
    switch = page.get_by_role("switch", name="Spara min journal i den här webbläsaren")
    switch.focus()
    keyboard.press("Space")
    expect(switch).to_be_checked()
    journal = page.get_by_label(f"Min journal, faktor {number}:", exact=True)
    journal.fill(f"Min tanke om övning {number} <b>fet</b>")
    _open(page, f"{site_url}/{doc}.html")
    journal = page.get_by_label(f"Min journal, faktor {number}:", exact=True)
    expect(journal).to_have_value(f"Min tanke om övning {number} <b>fet</b>")
    expect(page.get_by_label("Nivå för faktor 1:", exact=True)).to_have_value("2")
    for button, name in (("Exportera journalen som Markdown", "min-reflektionsjournal.md"),
                         ("Exportera journalen som webbsida (HTML)", "min-reflektionsjournal.html")):
        with page.expect_download() as download:
            page.get_by_role("button", name=button).click()
        assert download.value.suggested_filename == name
        content = Path(download.value.path()).read_text(encoding="utf-8")
        assert f"Min tanke om övning {number} &lt;b&gt;fet&lt;/b&gt;" in content and "<b>fet" not in content
        assert "Radardiagram: din självskattning" in content or "<svg" in content
    page.get_by_role("button", name="Radera journalen från den här webbläsaren").click()
    expect(journal).to_have_value("")
    assert page.evaluate("localStorage.getItem('regionkurs-journal')") is None
    _open(page, f"{site_url}/{doc}.html")
    expect(page.get_by_label(f"Min journal, faktor {number}:", exact=True)).to_have_value("")
    expect(page.get_by_role("switch", name="Spara min journal i den här webbläsaren")).not_to_be_checked()

    # after all that: no WCAG violation, no sideways scrolling at 320 px, nothing from another host
    page.get_by_label("Nivå för faktor 2:", exact=True).select_option("3")
    violations = axe_violations(page)
    assert not violations, violations
    page.set_viewport_size({"width": 320, "height": 800})
    page.wait_for_timeout(200)
    tools = page.evaluate("Math.max(...Array.from(document.querySelectorAll('.rk-tool')).map(t => t.scrollWidth))")
    assert tools <= 320, f"a tool is {tools} px wide at 320 px"
    foreign = [u for u in requests if urlsplit(u).hostname not in ("127.0.0.1", None) and not u.startswith(("blob:", "data:"))]
    assert not foreign, foreign


def test_the_form_reads_numbers_exactly_as_the_grader_does(page: Page):
    """tests/answer_vectors.json in the browser: the form's JavaScript gives what answerparse gives."""
    page.set_content("<!DOCTYPE html><html lang='sv'><body></body></html>")
    results = page.evaluate("""async ([source, vectors, formats]) => {
        const module = await import(URL.createObjectURL(new Blob([source], {type: 'text/javascript'})));
        return {
            parsed: vectors.map(v => module.parseAnswer(v.kind, v.input, v.unit, v.options || 0)),
            written: formats.map(f => module.formatNumber(f.value, f.decimals)),
        };
    }""", [esm.module("form"), VECTORS["vectors"], VECTORS["formats"]])
    for vector, got in zip(VECTORS["vectors"], results["parsed"]):
        assert (got["value"], got["problem"]) == (vector["value"], vector["problem"]), vector
    assert results["written"] == [f["text"] for f in VECTORS["formats"]]


def test_the_journal_export_is_standalone_and_keeps_learner_text_as_text(page: Page):
    """journal.js makes the export on the site, in JupyterLab and in Voilà: every chapter, the
    self-assessment, nothing to fetch, and what the learner typed never becomes markup, a link or an image."""
    factors = load_factors()
    factor_list, levels = factor_data(factors)
    factor_list = [{**f, "prompt": factors.by_id(f["id"]).journal_prompt} for f in factor_list]
    attack = ('Hej <script>alert("x")</script> & <img src=x onerror=alert(1)>\n\n'
              "[klicka](javascript:alert(1)) och ![bild](http://example.com/x.png)")
    data = {"entries": {"f01": attack, "f02": "Rösten för länet.\n\nAndra stycket."}, "ratings": {"f02": 5}}
    page.set_content("<!DOCTYPE html><html lang='sv'><body></body></html>")
    markdown, html = page.evaluate("""async ([source, data, factors, levels]) => {
        const module = await import(URL.createObjectURL(new Blob([source], {type: 'text/javascript'})));
        const when = new Date(2026, 11, 2, 9, 5);
        return [module.journalMarkdown(data, factors, levels, when), module.journalHtml(data, factors, levels, when)];
    }""", [esm.module("journal"), data, factor_list, levels])

    assert markdown.startswith("# Min reflektionsjournal\n") and "Exporterad 2026-12-02 09:05." in markdown
    assert markdown.count("\n## ") == len(factors) + 1  # the self-assessment, then every chapter
    assert "Radardiagram: din självskattning av de 14 faktorerna" in markdown and "| 2. " in markdown
    assert "5 – Förebild" in markdown and markdown.count("*Inget skrivet än.*") == len(factors) - 2
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown and "<img" not in markdown
    assert "](javascript:" not in markdown.replace("\\]", "")
    assert "\\[klicka\\](javascript:alert(1))" in markdown and "!\\[bild\\]" in markdown

    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    assert re.findall(r'(?:src|href)="', html) == [] and "<link" not in html  # standalone: nothing to fetch
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in html
    assert "<p>Rösten för länet.</p>\n<p>Andra stycket.</p>" in html
    for factor in factors:
        assert f"<h2>{factor.number}. {factor.title}</h2>" in html.replace("&amp;", "&")
    assert '<svg' in html and 'role="img"' in html and 'aria-label="Radardiagram: din självskattning' in html
    assert "5 – Förebild" in html and html.count("Inget skrivet än.") == len(factors) - 2
