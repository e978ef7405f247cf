"""Grading again keeps what the teacher did: hand grades survive `autograde --force`,
a resubmission after hand grading waits for a new look, and only one grading run
at a time touches a course; its files are replaced in one step."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from cohort_support import answer, cli, fingerprint, released, released_for_asaob, report_rows, submit
from conftest import run_env

from regionkurs.cohort import results
from regionkurs.cohort.autograde import autograde
from regionkurs.cohort.feedback import generate_feedback
from regionkurs.cohort.lock import grading_lock, replace_folder

pytestmark = pytest.mark.slow

REFLECTION = "f01-reflektion"


def _hand_in(course, text: str, timestamp: str = "2025-03-10 09:00:00.000000 UTC") -> None:
    """Åsa answers question 1 and writes ``text`` in the reflection's text area, then hands in."""
    nb = released(course.root)
    answer(nb, "f01-svar1", 2)  # the key of question 1
    submit(course.root, "asaob", nb, timestamp=timestamp, reflections={REFLECTION: text})


def _grade_by_hand(course, score: float, comment: str) -> None:
    """What the formgrader's API does when the teacher saves a score and a comment."""
    with course.gradebook() as gb:
        grade = gb.find_grade(REFLECTION, "f01", "f01", "asaob")
        grade.manual_score = score
        grade.needs_manual_grade = False
        gb.find_comment(REFLECTION, "f01", "f01", "asaob").manual_comment = comment
        gb.db.commit()


def _state(course) -> tuple[float | None, bool, str | None, bool]:
    with course.gradebook() as gb:
        grade = gb.find_grade(REFLECTION, "f01", "f01", "asaob")
        comment = gb.find_comment(REFLECTION, "f01", "f01", "asaob").manual_comment
        return grade.manual_score, grade.needs_manual_grade, comment, gb.find_submission("f01", "asaob").needs_manual_grade


def _notices(course) -> list[str]:
    nb = nbformat.read(course.autograded / "asaob" / "f01" / "f01.ipynb", as_version=4)
    return [c.source for c in nb.cells if c.metadata.get("regionkurs_teacher_only", {}).get("kind") == "notice"]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return released_for_asaob(tmp_path_factory.mktemp("regrade"))


def test_hand_grades_survive_a_forced_regrade_and_a_resubmission_is_flagged(course):
    _hand_in(course, "Första texten om aktörerna i länet.")
    autograde(course, "f01", jobs=1)
    assert _state(course) == (None, True, None, True)  # the reflection waits for the teacher
    _grade_by_hand(course, 3, "Mycket bra.")

    result = autograde(course, "f01", jobs=1, force=True)
    assert _state(course) == (3, False, "Mycket bra.", False)
    row = report_rows(course.root)["asaob"]
    assert row["status"] == results.FINAL and float(row["score"]) == 1 + 3, row
    assert not result.outcomes[0].needs_manual_grade and not _notices(course)

    # the student hands in a new text after the teacher graded the old one
    _hand_in(course, "En helt ny text om aktörerna.", timestamp="2025-03-12 09:00:00.000000 UTC")
    autograde(course, "f01", jobs=1)
    score, grade_open, comment, submission_open = _state(course)
    assert (score, comment) == (3, "Mycket bra.")  # kept, never lost ...
    assert grade_open and submission_open  # ... but no longer counted as final
    row = report_rows(course.root)["asaob"]
    assert row["status"] == results.RESUBMITTED
    assert f"new text in {REFLECTION} since you graded it by hand (3 / 3)" in row["notes"]
    notice = _notices(course)
    assert len(notice) == 1 and "Ny text efter din bedömning" in notice[0] and "3 av 3 poäng" in notice[0]

    # a forced re-grade before the teacher looked again keeps it open and flagged
    autograde(course, "f01", jobs=1, force=True)
    assert _state(course)[1] and _notices(course)
    assert "new text in" in report_rows(course.root)["asaob"]["notes"]
    # and a plain re-run (nothing new) still names it in the report
    autograde(course, "f01", jobs=1)
    assert "new text in" in report_rows(course.root)["asaob"]["notes"]

    # feedback never shows the teacher's notice or rubric
    html = "\n".join(p.read_text(encoding="utf-8") for p in generate_feedback(course, "f01"))
    assert "En helt ny text" in html and "Ny text efter din bedömning" not in html
    assert "Bedömningsstöd" not in html

    # the teacher grades the new text: from now on it stays graded
    _grade_by_hand(course, 2, "Bra, men vilken aktör saknas?")
    autograde(course, "f01", jobs=1, force=True)
    assert _state(course) == (2, False, "Bra, men vilken aktör saknas?", False)
    assert not _notices(course) and "new text" not in report_rows(course.root)["asaob"]["notes"]


def test_a_second_grading_run_stops_with_a_clear_message_and_changes_nothing(course):
    _hand_in(course, "Ännu en text.", timestamp="2025-03-13 09:00:00.000000 UTC")
    before = fingerprint(course.root, skip=(".grading.lock",))
    with grading_lock(course, "autograde f01"):
        result = cli("cohort", "autograde", str(course.root), "f01", "--force")
    assert result.returncode == 2, result.stderr
    assert "`regionkurs cohort autograde f01` (process" in result.stderr
    assert "only one grading run at a time" in result.stderr and "nothing was changed" in result.stderr
    assert fingerprint(course.root, skip=(".grading.lock",)) == before

    # two runs started together, as in the report of the issue: one grades, the other stops
    command = [sys.executable, "-m", "regionkurs", "cohort", "autograde", str(course.root), "f01", "--force"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=run_env(), cwd="/") for _ in range(2)]
    finished = sorted((run.wait(timeout=600), run.stderr.read()) for run in runs)
    assert [code for code, _ in finished] == [0, 2], finished
    assert "only one grading run at a time" in finished[1][1]
    row = report_rows(course.root)["asaob"]
    assert row["status"] in results.SCORED and row["score"], row  # graded once, not "failed"
    assert (course.autograded / "asaob" / "f01" / "f01.ipynb").is_file()
    assert not list(course.staging.iterdir())


def test_a_folder_is_replaced_in_one_step(tmp_path):
    target, new = tmp_path / "autograded" / "f01", tmp_path / ".staging" / "f01-asaob"
    (target / "data").mkdir(parents=True)
    (target / "f01.ipynb").write_text("old", encoding="utf-8")
    (target / "f01.ipynb").chmod(0o444)
    (target / "data").chmod(0o555)  # as nbgrader leaves autograded files
    new.mkdir(parents=True)
    (new / "f01.ipynb").write_text("new", encoding="utf-8")
    replace_folder(new, target)
    assert (target / "f01.ipynb").read_text(encoding="utf-8") == "new"
    assert not (target / "data").exists()
    assert list((tmp_path / ".staging").iterdir()) == []  # the old copy is gone, nothing left over
