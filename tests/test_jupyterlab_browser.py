"""Two exercises in a real JupyterLab server on 127.0.0.1, in Debian's chromium: after Kör alla celler
the form answers `10 551 707`, `12,5`, `12.5`, `tolv` and nothing with Swedish feedback next to the
field and never a traceback; keys typed in a tool never reach JupyterLab's shortcuts (no cell is
added, the notebook stays as it was); arrows work in the radio group; the other tools still work;
the answers file is written; and the exercise, saved and opened again, shows no "model not found"."""

from __future__ import annotations

import json
import shutil
import time

import pytest
from playwright.sync_api import Page, expect

from conftest import REPO, jupyter_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EXERCISES = ("f04", "f13")  # exercises with a number field and a radio group


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`jupyter lab` in a learner's folder holding two exercises, with the course's save hook."""
    root = tmp_path_factory.mktemp("lab")
    work, home = root / "ovningar", root / "home"
    work.mkdir()
    home.mkdir()
    for name in EXERCISES:
        shutil.copyfile(REPO / "exercises" / f"{name}.ipynb", work / f"{name}.ipynb")
    with jupyter_app("lab", work, home, root / "lab.log",
                     "--FileContentsManager.pre_save_hook=regionkurs.labhooks.strip_tool_views",
                     "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                     startup=120) as (base, token):
        yield base, token, work


def _run_all(page: Page) -> None:
    page.locator(".jp-Notebook:visible").first.click(position={"x": 5, "y": 5})
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_selector(".rk-journal", state="attached", timeout=180_000)
    page.wait_for_selector(".rk-form input", state="attached", timeout=60_000)


def _open(page: Page, base: str, token: str, name: str) -> None:
    # Each exercise in a workspace of its own: JupyterLab would otherwise restore the tabs of the
    # exercise before, and the notebook shown could change under the clicks.
    page.goto(f"{base}/lab/workspaces/{name}/tree/{name}.ipynb?token={token}", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook:visible .jp-Cell", timeout=120_000)
    expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=120_000)


@pytest.mark.parametrize("name", EXERCISES)
def test_the_form_in_jupyterlab_answers_in_swedish_and_never_with_a_traceback(page: Page, lab, name: str):
    base, token, work = lab
    _open(page, base, token, name)
    _run_all(page)
    cells = page.locator(".jp-Notebook:visible .jp-Cell").count()
    field = page.locator(".rk-form input[type=text]").first
    feedback = page.locator(f"#{field.get_attribute('aria-describedby')}")
    unit = field.evaluate("i => i.parentElement.querySelector('.rk-unit')?.textContent || ''")
    after = f"\xa0{unit}" if unit else ""
    for typed, expected in (("10 551 707", f"Svaret har rätt form: 10 551 707{after}."),
                            ("12,5", f"Svaret har rätt form: 12,5{after}."),
                            ("12.5", f"Svaret har rätt form: 12,5{after}."),
                            ("tolv", "Inte klart: Skriv svaret med siffror"),
                            ("", "Inte klart: Du har inte svarat än")):
        field.click()
        field.press("Control+a")
        if typed:
            field.press_sequentially(typed)  # letters and digits: JupyterLab's shortcuts (a, b, d, 1 …) must not fire
        else:
            field.press("Delete")
        field.press("Enter")
        expect(feedback).to_contain_text(expected)
    field.press_sequentially("ddbbaa")
    field.press("Escape")
    field.press_sequentially("12 st" if unit == "st" else "12")
    field.press("Enter")
    assert page.locator(".jp-Notebook:visible .jp-Cell").count() == cells, "a key reached JupyterLab and changed the notebook"
    assert page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    text = page.locator(".jp-Notebook:visible").inner_text()
    assert "Traceback" not in text and "Error" not in text

    radios = page.locator(".rk-form fieldset").first.locator("input[type=radio]")
    radios.first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert radios.nth(1).is_checked() and radios.nth(1).evaluate("r => r === document.activeElement")

    # the other tools still work: the case explorer and the self-assessment react
    summary = page.locator(".rk-summary")
    before = summary.inner_text()
    page.get_by_label("Län:", exact=True).select_option(label="Gotlands län")
    expect(summary).not_to_have_text(before)
    page.get_by_label("Nivå för faktor 3:", exact=True).select_option("4")
    assert "Du har bedömt 1 av 14" in page.locator(".rk-self-assessment .rk-radar").get_attribute("aria-label")

    answers = work / f"{name}.svar.json"
    deadline = time.monotonic() + 20
    typed = field.input_value()
    while time.monotonic() < deadline:
        if answers.exists() and {typed, "2"} <= set(json.loads(answers.read_text(encoding="utf-8"))["answers"].values()):
            break
        time.sleep(0.3)
    saved = json.loads(answers.read_text(encoding="utf-8"))["answers"]
    assert {typed, "2"} <= set(saved.values()), (saved, typed)  # the number field and the first radio group

    # saved and opened again: no "model not found"; Kör alla celler brings the answers back
    page.keyboard.press("Control+s")
    page.wait_for_timeout(1500)
    _open(page, base, token, name)
    assert page.get_by_text("model not found").count() == 0
    _run_all(page)
    expect(page.locator(".rk-form input[type=text]").first).to_have_value(typed)
