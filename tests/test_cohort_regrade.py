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


def _override(course, grade_id: str, score: float) -> None:
    """What the formgrader's API does when the teacher types a score over an automatic one."""
    with course.gradebook() as gb:
        grade = gb.find_grade(grade_id, "f01", "f01", "asaob")
        grade.manual_score = score
        grade.needs_manual_grade = False
        gb.db.commit()


def _grade(course, grade_id: str) -> tuple[float | None, float | None, bool]:
    with course.gradebook() as gb:
        grade = gb.find_grade(grade_id, "f01", "f01", "asaob")
        return grade.manual_score, grade.auto_score, grade.needs_manual_grade


def test_an_overridden_automatic_score_is_kept_and_a_changed_answer_is_flagged(tmp_path):
    course = released_for_asaob(tmp_path)
    text = "Min text om aktörerna i länet."

    def hand_in(first: int, second: int, timestamp: str) -> None:
        nb = released(course.root)
        answer(nb, "f01-svar1", first)
        answer(nb, "f01-svar2", second)
        submit(course.root, "asaob", nb, timestamp=timestamp, reflections={REFLECTION: text})

    hand_in(3, 4, "2025-03-10 09:00:00.000000 UTC")  # question 1 wrong (the key is 2), question 2 right
    autograde(course, "f01", jobs=1)
    assert _grade(course, "f01-test1") == (None, 0, False)
    _override(course, "f01-test1", 1)  # the teacher accepts answer 3 to question 1
    _grade_by_hand(course, 2, "Bra.")

    # the same answers graded again: the teacher's score stays, nothing is flagged
    autograde(course, "f01", jobs=1, force=True)
    assert _grade(course, "f01-test1") == (1, 0, False)
    row = report_rows(course.root)["asaob"]
    assert row["status"] == results.FINAL and float(row["score"]) == 1 + 1 + 2, row
    assert not _notices(course)

    # the student changes question 2 only: the override on question 1 still judges the same answer
    hand_in(3, 1, "2025-03-11 09:00:00.000000 UTC")
    autograde(course, "f01", jobs=1)
    assert _grade(course, "f01-test1") == (1, 0, False)
    assert report_rows(course.root)["asaob"]["status"] == results.FINAL

    # the student changes the answer the teacher's score was about: kept, never replaced, but flagged
    hand_in(1, 1, "2025-03-12 09:00:00.000000 UTC")
    run = cli("cohort", "autograde", str(course.root), "f01", check=True)
    assert _grade(course, "f01-test1") == (1, 0, True)  # the teacher's 1 stays; the autograder says 0
    message = ("asaob: new answer in f01-test1 since you overrode its automatic score "
               "(you gave 1 / 1; the autograder gives 0): check it in the formgrader")
    assert message in run.stdout, run.stdout
    row = report_rows(course.root)["asaob"]
    assert row["status"] == results.RESUBMITTED, row
    assert "new answer in f01-test1 since you overrode its automatic score" in row["notes"]
    notice = _notices(course)
    assert len(notice) == 1 and "Nytt svar efter att du ändrade poängen" in notice[0]
    assert "Du gav 1 av 1 poäng" in notice[0] and "ger den automatiska rättningen 0" in notice[0]
    nb = nbformat.read(course.autograded / "asaob" / "f01" / "f01.ipynb", as_version=4)
    ids = [c.metadata.get("regionkurs_teacher_only", {}).get("kind") or c.metadata.get("nbgrader", {}).get("grade_id")
           for c in nb.cells]
    assert ids[ids.index("notice") + 1] == "f01-test1"  # right above the test the score belongs to
    exported = tmp_path / "betyg.csv"
    assert cli("cohort", "export", str(course.root), "-o", str(exported)).returncode == 0
    assert results.RESUBMITTED in exported.read_text(encoding="utf-8-sig")
    html = "\n".join(p.read_text(encoding="utf-8") for p in generate_feedback(course, "f01"))
    assert "Nytt svar efter" not in html and "Bedömningsstöd" not in html
    refused = cli("cohort", "feedback", str(course.root), "f01", "--release")
    assert refused.returncode != 0 and "feedback not released: work waits for you in the formgrader" in refused.stderr
    assert "an answer changed after you set its score" in refused.stderr and "(asaob)" in refused.stderr

    # a forced re-grade before the teacher looked keeps it kept and flagged
    autograde(course, "f01", jobs=1, force=True)
    assert _grade(course, "f01-test1") == (1, 0, True) and _notices(course)

    # the teacher clicks Resolve (the score stands): from now on it stays, unflagged
    with course.gradebook() as gb:
        gb.find_grade("f01-test1", "f01", "f01", "asaob").needs_manual_grade = False
        gb.db.commit()
    autograde(course, "f01", jobs=1, force=True)
    assert _grade(course, "f01-test1") == (1, 0, False) and not _notices(course)
    assert report_rows(course.root)["asaob"]["status"] == results.FINAL
