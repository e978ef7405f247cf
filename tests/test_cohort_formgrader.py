"""Step 6 of book/kohort.md in the real client: the teacher grades a reflection in
nbgrader's formgrader (a real Jupyter server on 127.0.0.1, Debian's chromium),
sees the rubric while grading, and finds the points and the comment again after a
reload, in the export and in the feedback. No file a student gets holds the rubric."""

from __future__ import annotations

import csv
import json
import re

import nbformat
import pytest
from playwright.sync_api import expect

from cohort_support import answer, released, released_for_asaob, submit
from conftest import jupyter_app

from regionkurs.cohort import results
from regionkurs.cohort.autograde import autograde
from regionkurs.cohort.export import export
from regionkurs.cohort.feedback import generate_feedback
from regionkurs.cohort.rubric import rubrics

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REFLECTION = "f01-reflektion"
STUDENT_TEXT = "I Örebro län arbetar kommunerna, Region Örebro län och Länsstyrelsen med kompetensförsörjning."
COMMENT = "Bra exempel på samverkan. Vilken aktör saknas?"
NEW_TEXT = "Ny version: i Örebro län saknas civilsamhället i arbetet med kompetensförsörjning."


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    course = released_for_asaob(tmp_path_factory.mktemp("formgrader"))
    nb = released(course.root)
    answer(nb, "f01-svar1", 2)  # the keys of questions 1 and 2
    answer(nb, "f01-svar2", 4)
    submit(course.root, "asaob", nb, reflections={REFLECTION: STUDENT_TEXT})  # written in the form's text area
    result = autograde(course, "f01", jobs=1)
    assert not result.failed, [(o.student, o.reason) for o in result.failed]
    return course


@pytest.fixture(scope="module")
def server(graded_course):
    """`jupyter server` in the course directory, as step 6 tells the teacher; yield (base url, token)."""
    home = graded_course.root.parent / "home"
    home.mkdir()
    with jupyter_app("server", graded_course.root, home, graded_course.root.parent / "server.log") as server:
        yield server


def _rubric_text(course) -> str:
    source = nbformat.read(course.source / "f01" / "f01.ipynb", as_version=4)
    return rubrics(source)[REFLECTION]


def test_the_teacher_grades_a_reflection_in_the_formgrader(graded_course, server, page, tmp_path):
    base, token = server
    errors: list[str] = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    page.set_extra_http_headers({"Authorization": f"token {token}"})  # as after logging in
    page.goto(f"{base}/formgrader/gradebook/f01/f01")
    page.get_by_role("link", name="Submission #1").click()
    page.wait_for_load_state()
    assert not errors, errors  # (a course config that replaces the formgrader's template gives HTTP 500)
    page.wait_for_selector(f"input.score#{REFLECTION}")

    # the student's text and typed answers, and the rubric right below the text, for the teacher
    shown = page.inner_text("#notebook")
    assert STUDENT_TEXT in shown
    assert "Svar i formuläret: 2" in shown and "Svar i formuläret: 4" in shown
    rubric_line = "texten föreslår ett konkret och rimligt första steg"
    assert rubric_line in _rubric_text(graded_course)
    assert page.get_by_text(rubric_line).is_visible()

    # the formgrader saves each field on change, in the background: wait for each save's answer
    score = page.locator(f"input.score#{REFLECTION}")
    score.fill("2")
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT"):
        score.press("Tab")
    comment = page.locator(f"textarea#{REFLECTION}-comment")
    comment.fill(COMMENT)
    with page.expect_response(lambda r: "/formgrader/api/comment/" in r.url and r.request.method == "PUT"):
        comment.press("Tab")

    page.reload()
    page.wait_for_selector(f"input.score#{REFLECTION}")
    page.wait_for_function(f"document.getElementById('{REFLECTION}').value === '2'")
    assert page.locator(f"input.score#{REFLECTION}").input_value() == "2"
    assert page.locator(f"textarea#{REFLECTION}-comment").input_value() == COMMENT
    assert not errors, errors

    with graded_course.gradebook() as gb:
        grade = gb.find_grade(REFLECTION, "f01", "f01", "asaob")
        assert grade.manual_score == 2
        assert gb.find_comment(REFLECTION, "f01", "f01", "asaob").manual_comment == COMMENT
        assert not gb.find_submission("f01", "asaob").needs_manual_grade

    output = tmp_path / "betyg.csv"
    export(graded_course, output)
    with output.open(encoding="utf-8-sig", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["student_id"] == "asaob" and r["assignment"] == "f01")
    assert float(row["score"]) == 2 + 2  # two automatic points and the reflection's two
    assert row["status"] == results.FINAL

    files = generate_feedback(graded_course, "f01", "asaob")
    html = "\n".join(p.read_text(encoding="utf-8") for p in files)
    assert '<html lang="sv">' in html  # the Swedish template, while the formgrader kept its own
    assert COMMENT in html

    # the student hands in a new text: the formgrader says so above it, with the old score
    submit(graded_course.root, "asaob", released(graded_course.root), timestamp="2025-03-12 09:00:00.000000 UTC",
           reflections={REFLECTION: NEW_TEXT})
    autograde(graded_course, "f01", jobs=1)
    page.reload()
    page.wait_for_selector(f"input.score#{REFLECTION}")
    assert NEW_TEXT in page.inner_text("#notebook")
    notice = page.get_by_text("Ny text efter din bedömning.")
    assert notice.is_visible() and "du gav 2 av 3 poäng" in page.inner_text("#notebook")
    assert page.get_by_text(rubric_line).is_visible()


def test_no_file_a_student_gets_holds_the_rubric(graded_course, server):
    """Release, exchange and feedback: the rubric stays in source/ and the formgrader's copy."""
    lines = re.findall(r"[^\W\d_][\w ,:]{24,}", _rubric_text(graded_course))  # phrases, without Markdown
    assert lines
    autograded = (graded_course.autograded / "asaob" / "f01" / "f01.ipynb").read_text(encoding="utf-8")
    assert all(line in autograded for line in lines)  # (so the search below can find them)
    generate_feedback(graded_course, "f01")
    student_files = [p for folder in (graded_course.release, graded_course.root / "exchange",
                                      graded_course.feedback)
                     for p in folder.rglob("*") if p.is_file() and p.suffix in (".ipynb", ".html")]
    assert any(p.suffix == ".html" for p in student_files) and any(p.suffix == ".ipynb" for p in student_files)
    for path in student_files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = "\n".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                             for c in json.loads(text)["cells"])
        for line in lines:
            assert line not in text, (path, line)


def test_an_automatic_score_the_teacher_overrode_stays_and_a_changed_answer_is_flagged_there(graded_course, server,
                                                                                             page):
    """The teacher types a score over question 1's automatic one; the student then changes that answer."""
    base, token = server

    def hand_in(first: int, timestamp: str) -> None:
        nb = released(graded_course.root)
        answer(nb, "f01-svar1", first)
        answer(nb, "f01-svar2", 4)
        submit(graded_course.root, "asaob", nb, timestamp=timestamp, reflections={REFLECTION: NEW_TEXT})
        autograde(graded_course, "f01", jobs=1)

    hand_in(2, "2025-03-13 09:00:00.000000 UTC")  # the key of question 1
    page.set_extra_http_headers({"Authorization": f"token {token}"})
    page.goto(f"{base}/formgrader/gradebook/f01/f01")
    page.get_by_role("link", name="Submission #1").click()
    score = page.locator("input.score#f01-test1")
    score.wait_for()
    score.fill("0")  # the key was chosen, but the teacher gives no point (say, the answer was copied)
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT"):
        score.press("Tab")
    with graded_course.gradebook() as gb:
        grade = gb.find_grade("f01-test1", "f01", "f01", "asaob")
        assert (grade.manual_score, grade.auto_score, grade.needs_manual_grade) == (0, 1, False)

    assert "Nytt svar efter att du ändrade poängen" not in page.inner_text("#notebook")

    hand_in(3, "2025-03-14 09:00:00.000000 UTC")  # a new answer to question 1
    page.reload()
    page.wait_for_function("document.getElementById('f01-test1').value === '0'")  # the teacher's score is kept
    expect(page.get_by_text("Nytt svar efter att du ändrade poängen.")).to_be_visible()
    shown = " ".join(page.inner_text("#notebook").split())
    assert "Svar i formuläret: 3" in shown
    assert "Du gav 0 av 1 poäng i stället för den automatiska poängen" in shown
    assert "För det nya svaret ger den automatiska rättningen 0." in shown

def test_a_wrong_formgrader_address_gives_a_readable_not_found_page(graded_course, server, page):
    """nbgrader's own 404 page raises under jupyter-server 2 (an empty page); the course's
    extension (regionkurs.cohort.formgrader404, switched on by `make setup`) answers instead."""
    base, token = server
    log = graded_course.root.parent / "server.log"
    assert "regionkurs.cohort.formgrader404 | extension was successfully loaded" in log.read_text(), \
        "the extension is not enabled in this environment: run `make setup` (python -m regionkurs.labhooks)"
    page.set_extra_http_headers({"Authorization": f"token {token}"})
    for wrong in ("/formgrader/betyg", "/formgrader/gradebook/f01/f01/asaob/extra"):
        response = page.goto(base + wrong)
        assert response.status == 404, wrong
        expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte i Formgrader")
        assert f"Det finns ingen sida i Formgrader med adressen {wrong}." in page.inner_text("main")
        assert page.evaluate("document.documentElement.lang") == "sv"
    with page.expect_navigation():
        page.get_by_role("link", name="Gå till Formgraders startsida").click()
    assert page.url.endswith("/formgrader/manage_assignments")  # where the formgrader's start sends you
    expect(page.get_by_text("f01").first).to_be_visible()
    assert "Uncaught exception in write_error" not in log.read_text()

    stranger = page.context.browser.new_page()  # not logged in: the login page, never the formgrader's page
    try:
        stranger.goto(base + "/formgrader/betyg")
        assert "/login" in stranger.url and "Sidan finns inte" not in stranger.content()
    finally:
        stranger.close()
