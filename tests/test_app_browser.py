"""An exercise as an app without code (Voilà 0.5.13 through `regionkurs app`), in Debian's chromium:
no code, no English the learner can see, the tools and fields work, and the answers and the
reflection are back when the app is closed and opened again."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

import nbformat
import pytest
from playwright.sync_api import Page, expect
from test_browser import axe_violations

from conftest import run_env

from regionkurs.app import ERROR_INSTRUCTION

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Words of Voilà's and JupyterLab's own English texts (progress, errors, kernel messages).
ENGLISH = re.compile(r"\b(Run|Running|Executing|Reading|Loading|Error|error|kernel|Kernel|cell|Cells|Please|Voil[aà])\b")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _running_app(target: str, home: Path):
    """`regionkurs app TARGET` for a learner whose home (and working folder) is ``home``; yields its url."""
    port = _free_port()
    env = {**run_env(), "HOME": str(home)}
    env.pop("REGIONKURS_JOURNAL", None)
    process = subprocess.Popen([sys.executable, "-m", "regionkurs", "app", target, "--no-browser", f"--port={port}"],
                               env=env, cwd=home, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urlopen(url, timeout=60).close()
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail(f"the app did not start: {process.stdout.read()[-2000:]}")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def app(tmp_path: Path):
    """`regionkurs app f13` for a learner whose home is tmp_path; yields (url, the learner's folder)."""
    with _running_app("f13", tmp_path) as url:
        yield url, tmp_path / "regionkurs" / "ovningar"


def _open(page: Page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_selector(".rk-journal", timeout=120_000)
    page.wait_for_timeout(500)


def test_the_app_shows_the_exercise_in_swedish_without_code_and_keeps_the_answers(page: Page, app):
    url, folder = app
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
    _open(page, url)
    assert page.evaluate("document.documentElement.lang") == "sv"
    text = page.evaluate("document.body.innerText")
    assert "Övning 13" in text and "Så gör du" in text
    assert not page.locator(".jp-InputArea-editor, .jp-CodeMirrorEditor, .cm-editor, .highlight").count(), "code is shown"
    assert "form.number" not in text and "import" not in text
    assert "Kör alla celler" not in text and "Här ser läraren" not in text  # cells tagged remove-cell are not shown
    assert not ENGLISH.search(text), ENGLISH.search(text)

    field = page.get_by_label("Ditt svar på fråga 1 (st)", exact=True)
    field.fill("12,5")
    field.press("Enter")
    expect(page.get_by_text("Svaret har rätt form: 12,5 st.")).to_be_visible()
    field.fill("12 st")
    field.press("Enter")
    page.locator(".rk-form input[type=radio]").nth(1).check()
    page.get_by_label("Din reflektion", exact=True).fill("Min reflektion i appen")
    page.get_by_label("Din reflektion", exact=True).blur()
    page.get_by_label("Min journal, faktor 13:", exact=True).fill("Journal i appen")
    page.get_by_label("Min journal, faktor 13:", exact=True).blur()
    page.get_by_label("Län:", exact=True).select_option(label="Gotlands län")
    expect(page.locator(".rk-summary")).to_contain_text("Gotlands län")
    answers = folder / "f13.svar.json"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (answers.exists() and "Min reflektion" in answers.read_text(encoding="utf-8")):
        time.sleep(0.2)
    saved = json.loads(answers.read_text(encoding="utf-8"))
    violations = axe_violations(page)  # WCAG 2.1 A and AA, with the answers and their messages shown
    assert not violations, violations
    assert saved["answers"] == {"svar_fraga_1": "12 st", "svar_fraga_2": "2"}
    assert saved["reflections"] == {"f13-reflektion": "Min reflektion i appen"}
    time.sleep(1.5)  # the journal saves after a second of quiet
    page.close()

    again = page.context.new_page()
    again.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
    _open(again, url)
    expect(again.get_by_label("Ditt svar på fråga 1 (st)", exact=True)).to_have_value("12 st")
    expect(again.get_by_label("Din reflektion", exact=True)).to_have_value("Min reflektion i appen")
    expect(again.get_by_label("Min journal, faktor 13:", exact=True)).to_have_value("Journal i appen")
    assert again.locator(".rk-form input[type=radio]").nth(1).is_checked()
    foreign = [u for u in requests if urlsplit(u).hostname not in ("127.0.0.1", None) and not u.startswith(("blob:", "data:"))]
    assert not foreign, foreign


def _notebook(folder: Path, name: str, code: str) -> Path:
    """A small notebook: a heading, one code cell, and a text after it."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Övning för test"), nbformat.v4.new_code_cell(code),
                                         nbformat.v4.new_markdown_cell("Texten efter verktyget.")])
    path = folder / name
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("code, what", [
    # e.g. an old copy of an exercise whose setup cell imports what the course no longer has
    ("from regionkurs.widgets import finns_inte", "Det gick inte att visa resten av övningen."),
    ("import time\ntime.sleep(60)", "Övningen tog för lång tid att öppna och stoppades."),
], ids=["error", "timeout"])
def test_a_part_that_fails_is_told_in_swedish(page: Page, tmp_path: Path, code: str, what: str):
    (tmp_path / "voila.json").write_text(json.dumps({"VoilaExecutor": {"timeout": 5}}), encoding="utf-8")
    notebook = _notebook(tmp_path, "trasig.ipynb", code)
    with _running_app(str(notebook), tmp_path) as url:
        page.goto(url, wait_until="domcontentloaded", timeout=120_000)
        problem = page.locator(".rk-app-problem")
        expect(problem).to_be_visible(timeout=60_000)
        assert " ".join(problem.inner_text().split()) == f"{what} {ERROR_INSTRUCTION}"
        text = page.evaluate("document.body.innerText")
        assert "Övning för test" in text
        assert "There was an error" not in text and "timed out" not in text
        assert not ENGLISH.search(text), ENGLISH.search(text)
        assert "finns_inte" not in text and "Traceback" not in text
        violations = axe_violations(page)  # WCAG 2.1 A and AA, with the message shown
        assert not violations, violations
