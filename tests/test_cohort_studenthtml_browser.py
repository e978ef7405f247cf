"""A student's HTML never runs in the teacher's or the student's browser: a
reflection with script and an event handler, and the student's own
``display(HTML(...))``, opened in nbgrader's formgrader (a real Jupyter
server on 127.0.0.1, Debian's chromium) and as the feedback page."""

from __future__ import annotations

import pytest
from test_cohort_formgrader import REFLECTION, server  # noqa: F401 (the formgrader's server fixture)

from cohort_support import add_code, answer, released, released_for_asaob, submit

from regionkurs.cohort.autograde import autograde
from regionkurs.cohort.feedback import generate_feedback

pytestmark = [pytest.mark.slow, pytest.mark.browser]

VISIBLE = "Min reflektion om samverkan i Örebro län."
HOSTILE = (f"{VISIBLE}\n\n<script>window.__pwned = 'script'; document.title = 'pwned'</script>"
           "<img src=x onerror=\"window.__pwned = 'onerror'; document.title = 'pwned'\">"
           "\n\n[Klicka här](javascript:window.__pwned='link')")
OUTPUT = "from IPython.display import HTML, display\ndisplay(HTML(\"<b>fet</b><script>window.__pwned = 'output'</script>\"))"


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    course = released_for_asaob(tmp_path_factory.mktemp("studenthtml"))
    nb = released(course.root)
    answer(nb, "f01-svar1", 12)
    add_code(nb, OUTPUT, after="f01-svar2")
    submit(course.root, "asaob", nb, reflections={REFLECTION: HOSTILE})  # typed in the form's text area
    result = autograde(course, "f01", jobs=1)
    assert not result.failed, [(o.student, o.reason) for o in result.failed]
    return course


def _nothing_ran(page) -> None:
    assert page.evaluate("window.__pwned") is None
    assert page.title() != "pwned"


def test_the_formgrader_shows_the_reflection_as_text(graded_course, server, page):  # noqa: F811
    base, token = server
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_extra_http_headers({"Authorization": f"token {token}"})
    page.goto(f"{base}/formgrader/gradebook/f01/f01")
    page.get_by_role("link", name="Submission #1").click()
    page.wait_for_selector(f"input.score#{REFLECTION}")
    page.wait_for_load_state("networkidle")
    assert VISIBLE in page.inner_text("#notebook")
    assert "fet" in page.inner_text("#notebook")
    _nothing_ran(page)
    for link in page.locator("#notebook a").all():
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    assert not dialogs


def test_the_feedback_page_runs_no_script(graded_course, page):
    pages = generate_feedback(graded_course, "f01")
    assert len(pages) == 1
    html = pages[0].read_text(encoding="utf-8")
    assert "script-src 'none'" in html
    page.goto(pages[0].as_uri())
    page.wait_for_load_state("load")
    assert VISIBLE in page.inner_text("body")
    _nothing_ran(page)
