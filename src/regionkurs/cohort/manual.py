"""What the teacher graded by hand stays graded; a changed answer is flagged.

nbgrader's ``SaveAutoGrades`` keeps a hand-set score, but marks every such
grade "needs manual grade" again on each autograde, so a forced re-grade
turns finished work into unfinished. Around it:

- :func:`before_regrade` notes, for each grade the teacher has set by hand,
  the score, whether it was still open, and the answer text in the current
  autograded copy (the text the teacher saw in the formgrader);
- :func:`after_regrade` puts back "graded" where the answer is the same
  text, and where a resubmission brought new text keeps the grade open and
  puts a notice for the teacher above the answer (shown in the formgrader,
  never in feedback: see :mod:`.rubric`).

:func:`review_notes` gives the report's note for every grade that waits
for a new look, from the gradebook and the autograded copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.api import MissingEntry

from .course import Course
from .rubric import teacher_cell, teacher_cells

NOTICE = "notice"


@dataclass(frozen=True)
class HandGrade:
    grade_id: str
    manual_score: float
    max_score: float
    was_open: bool            # still "needs manual grade" before this run
    old_text: str | None      # the answer in the autograded copy the teacher saw
    had_notice: bool          # that copy already flagged the answer as new


def _answers(notebook: NotebookNode) -> dict[str, str]:
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in notebook.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("solution") and
            c.metadata["nbgrader"].get("grade_id")}


def _answer(answers: dict[str, str], grade_id: str) -> str:
    """The text a grade judges: its own cell's, or (a test cell) all the answers together."""
    if grade_id in answers:
        return answers[grade_id]
    return "\n\x00\n".join(f"{k}\n{v}" for k, v in sorted(answers.items()))


def _autograded(course: Course, assignment: str, student: str, notebook: str) -> Path:
    return course.autograded / student / assignment / f"{notebook}.ipynb"


def before_regrade(course: Course, assignment: str, student: str, notebook: str) -> dict[str, HandGrade]:
    """The hand-set grades of one submitted notebook, before it is graded again."""
    path = _autograded(course, assignment, student, notebook)
    old = nbformat.read(path, as_version=4) if path.is_file() else None
    answers = _answers(old) if old is not None else {}
    notices = teacher_cells(old, NOTICE) if old is not None else {}
    with course.gradebook() as gb:
        try:
            grades = gb.find_submission_notebook(notebook, assignment, student).grades
        except MissingEntry:
            return {}
        return {g.name: HandGrade(grade_id=g.name, manual_score=float(g.manual_score), max_score=float(g.max_score),
                                  was_open=bool(g.needs_manual_grade),
                                  old_text=_answer(answers, g.name) if old is not None else None,
                                  had_notice=g.name in notices)
                for g in grades if g.manual_score is not None}


def after_regrade(course: Course, assignment: str, student: str, notebook_name: str,
                  notebook: NotebookNode, before: dict[str, HandGrade]) -> None:
    """After ``SaveAutoGrades``: keep the hand grades of unchanged answers; flag the changed ones."""
    if not before:
        return
    answers = _answers(notebook)
    flagged: dict[str, HandGrade] = {}
    with course.gradebook() as gb:
        for grade in gb.find_submission_notebook(notebook_name, assignment, student).grades:
            hand = before.get(grade.name)
            if hand is None:
                continue
            changed = hand.old_text is None or hand.old_text != _answer(answers, grade.name)
            grade.needs_manual_grade = True if changed else hand.was_open
            if changed or (hand.was_open and hand.had_notice):
                flagged[grade.name] = hand
        gb.db.commit()
    if flagged:
        cells = []
        for cell in notebook.cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if grade_id in flagged and grade_id in answers:
                cells.append(teacher_cell(NOTICE, grade_id, _notice_text(flagged[grade_id])))
            cells.append(cell)
        notebook.cells = cells


def _notice_text(hand: HandGrade) -> str:
    return (f"**Ny text efter din bedömning.** Studenten har lämnat in igen efter att du gav "
            f"{_points(hand.manual_score)} av {_points(hand.max_score)} poäng. Din poäng och kommentar "
            "gällde den förra texten. Läs den nya texten och sätt poängen igen. Står din bedömning "
            "sig, klickar du på **Resolve**.")


def _points(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def review_notes(course: Course, assignment: str, student: str) -> list[str]:
    """Report notes for the hand grades that wait for a new look after a resubmission."""
    notes = []
    folder = course.autograded / student / assignment
    for path in sorted(folder.glob("*.ipynb")):
        notices = teacher_cells(nbformat.read(path, as_version=4), NOTICE)
        if not notices:
            continue
        with course.gradebook() as gb:
            try:
                grades = {g.name: g for g in gb.find_submission_notebook(path.stem, assignment, student).grades}
            except MissingEntry:
                continue
            for grade_id in sorted(notices):
                grade = grades.get(grade_id)
                if grade is not None and grade.needs_manual_grade and grade.manual_score is not None:
                    notes.append(f"new text in {grade_id} since you graded it by hand "
                                 f"({grade.manual_score:g} / {grade.max_score:g}): grade it again")
    return notes
